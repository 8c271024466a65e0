import { UsageError } from '../errors.js';
import { readResults } from '../results/io.js';
import { InfraFault } from './faults.js';
import { ZERO_USAGE, type ChatReply, type ChatRequest, type ModelSpec, type Provider } from './types.js';

/**
 * Re-grades the replies recorded in an earlier run: attempt n of a trial answers with that trial's
 * recorded reply n. No API call, no cost. A recorded run may hold several models: `replay:<file>`
 * replays the first, `replay:<file>#<model>` a chosen one.
 */
export class ReplayProvider implements Provider {
  private readonly replies = new Map<string, string>();
  constructor(readonly spec: ModelSpec) {
    const [file, wanted] = spec.model.split('#') as [string, string | undefined];
    const results = readResults(file);
    const model = wanted ?? results.models[0]?.name;
    if (!results.models.some((m) => m.name === model)) {
      throw new UsageError(
        `--models: ${file} has no model "${model}" (it has: ${results.models.map((m) => m.name).join(', ')})`,
      );
    }
    for (const trial of results.trials.filter((t) => t.model === model)) {
      let n = 0;
      for (const attempt of trial.attempts) {
        if (attempt.outcome === 'infra' || attempt.reply === null) continue;
        this.replies.set(`${trial.task}#${trial.trial}#${++n}`, attempt.reply);
      }
    }
  }

  async chat(request: ChatRequest): Promise<ChatReply> {
    const { taskKey, trial, attempt } = request.context;
    const text = this.replies.get(`${taskKey}#${trial}#${attempt}`);
    if (text === undefined) {
      throw new InfraFault(
        'harness',
        `replay: no recorded reply for ${taskKey} trial ${trial} attempt ${attempt}`,
        false,
      );
    }
    return { text, usage: ZERO_USAGE, modelId: `replay:${this.spec.model}`, latencyMs: 0, stopReason: 'end' };
  }
}

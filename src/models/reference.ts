import { formatFiles } from '../prompt/format-files.js';
import type { Task } from '../tasks/loader.js';
import { ZERO_USAGE, type ChatReply, type ChatRequest, type ModelSpec, type Provider } from './types.js';

/**
 * The tasks' own reference solutions, answered as a model would (fenced files), so the harness's
 * self-check goes through the same extraction and grading path as a real model. Costs nothing.
 */
export class ReferenceProvider implements Provider {
  constructor(
    readonly spec: ModelSpec,
    private readonly tasks: ReadonlyMap<string, Task>,
  ) {}

  async chat(request: ChatRequest): Promise<ChatReply> {
    const task = this.tasks.get(request.context.taskKey);
    if (!task) throw new Error(`reference: unknown task ${request.context.taskKey}`);
    return {
      text: formatFiles(task.reference),
      usage: ZERO_USAGE,
      modelId: 'reference',
      latencyMs: 0,
      stopReason: 'end',
    };
  }
}

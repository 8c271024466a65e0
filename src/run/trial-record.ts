import { addUsage, sumCosts } from '../models/prices.js';
import { ZERO_USAGE, type Usage } from '../models/types.js';
import type { AttemptRecord, TrialRecord } from '../results/schema.js';

/**
 * A trial's record is a pure function of its attempts: the journal stores the attempts once and this
 * rebuilds the trial from them (on the run's way and on `--resume`), so no attempt is written twice.
 */
export function summarizeTrial(
  key: { model: string; task: string; trial: number },
  attempts: AttemptRecord[],
  stoppedBy: TrialRecord['stoppedBy'],
): TrialRecord {
  const passedAt = attempts.find((a) => a.outcome === 'pass')?.n ?? null;
  const last = attempts.at(-1);
  return {
    model: key.model,
    task: key.task,
    trial: key.trial,
    passed: passedAt !== null,
    outcome: passedAt !== null ? 'pass' : (last?.outcome ?? 'infra'),
    passedAtAttempt: passedAt,
    attempts,
    cost: sumCosts(attempts.map((a) => a.cost)),
    usage: attempts.reduce<Usage>((u, a) => addUsage(u, a.usage), ZERO_USAGE),
    modelMs: attempts.reduce((s, a) => s + a.modelMs, 0),
    gradeMs: attempts.reduce((s, a) => s + a.gradeMs, 0),
    stoppedBy,
  };
}

import type { AttemptRecord } from '../results/schema.js';
import { usd } from '../report/format.js';
import type { RunPlan } from '../run/run.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The run's first line: models × tasks × trials, attempts, isolation. */
export function headerLine(plan: RunPlan): string {
  const total = plan.models * plan.tasks * plan.trials;
  const resumed = plan.resumed ? ` (${plan.resumed} already done, resuming)` : '';
  return `aibench: ${plural(plan.models, 'model')} × ${plural(plan.tasks, 'task')} × ${plural(plan.trials, 'trial')} = ${plural(total, 'trial')}${resumed}, up to ${plural(plan.attempts, 'attempt')} each · isolation: ${plan.isolation}`;
}

export interface AttemptInfo {
  model: string;
  task: string;
  trial: number;
  attempt: AttemptRecord;
}

/**
 * Counts finished trials against the real total: a trial ends at a pass, at an API fault that ran out
 * of retries (infra), or at its last attempt. Its `line` prefixes each attempt with `[finished/total]`.
 */
export class TrialCounter {
  private finished: number;
  constructor(
    readonly total: number,
    private readonly attempts: number,
    alreadyFinished = 0,
  ) {
    this.finished = alreadyFinished;
  }

  /** Counts the attempt and renders its line. */
  line(info: AttemptInfo, tty: boolean): string {
    const o = info.attempt.outcome;
    if (o === 'pass' || o === 'infra' || info.attempt.n >= this.attempts) this.finished++;
    return attemptLine(info, this.finished, this.total, tty);
  }
}

/** One line per graded attempt, with the count of finished trials; on a TTY in colour. */
export function attemptLine(info: AttemptInfo, done: number, total: number, tty: boolean): string {
  const a = info.attempt;
  const steps = a.steps.map((s) => `${s.name} ${(s.durationMs / 1000).toFixed(1)}s`).join(', ');
  const tests = a.tests ? ` ${a.tests.passed}/${a.tests.expected} tests` : '';
  const cause = a.outcome === 'infra' ? ` (${a.faults.at(-1)?.message ?? 'fault'})` : '';
  const text = `${info.model} ${info.task}${info.trial > 1 ? ` #${info.trial}` : ''} attempt ${a.n}: ${a.outcome}${cause}${tests} ${steps ? `[${steps}] ` : ''}${usd(a.cost)}`;
  const counter = `[${done}/${total}]`;
  if (!tty) return `${counter} ${text}`;
  const colour = a.outcome === 'pass' ? 32 : a.outcome === 'infra' ? 33 : 31;
  return `\x1b[2m${counter}\x1b[0m \x1b[${colour}m${text}\x1b[0m`;
}

import { usd } from '../report/format.js';
import type { RunPlan } from '../run/run.js';
import { endsTrial, type AttemptInfo, type PhaseInfo } from './progress-state.js';

export type { AttemptInfo } from './progress-state.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The run's first line: models × tasks × trials, attempts, isolation. */
export function headerLine(plan: RunPlan): string {
  const total = plan.models * plan.tasks * plan.trials;
  const resumed = plan.resumed ? ` (${plan.resumed} already done, resuming)` : '';
  return `aibench: ${plural(plan.models, 'model')} × ${plural(plan.tasks, 'task')} × ${plural(plan.trials, 'trial')} = ${plural(total, 'trial')}${resumed}, up to ${plural(plan.attempts, 'attempt')} each · isolation: ${plan.isolation}`;
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
    if (endsTrial(info.attempt, this.attempts)) this.finished++;
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

/**
 * Where a run's progress goes: the run's events in, lines or a live display out. `log` carries the run's
 * warnings, so a live display can print them above itself instead of through it.
 */
export interface RunProgress {
  onPlan(plan: RunPlan): void;
  onPhase(info: PhaseInfo): void;
  onAttempt(info: AttemptInfo): void;
  log(line: string): void;
  /** The run is over (or interrupted): leave the screen as a person should read it. Idempotent. */
  finish(): void;
}

/** Progress as plain lines (pipes, CI logs, a dumb terminal): the header, then one line per attempt. */
export function plainProgress(err: (line: string) => void, colour: boolean): RunProgress {
  let counter: TrialCounter | null = null;
  return {
    onPlan: (plan) => {
      counter = new TrialCounter(plan.models * plan.tasks * plan.trials, plan.attempts, plan.resumed);
      err(headerLine(plan));
    },
    onPhase: () => {},
    onAttempt: (info) => {
      if (counter) err(counter.line(info, colour));
    },
    log: err,
    finish: () => {},
  };
}

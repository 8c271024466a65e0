import type { AttemptRecord } from '../results/schema.js';
import type { RunPlan } from '../run/run.js';
import type { AttemptPhase } from '../run/trial.js';
import { usd } from '../report/format.js';

/** A graded (or fault-ended) attempt, as the run reports it. */
export interface AttemptInfo {
  model: string;
  task: string;
  trial: number;
  attempt: AttemptRecord;
}

/** An attempt entering a phase, as the run reports it. */
export interface PhaseInfo {
  model: string;
  task: string;
  trial: number;
  attempt: number;
  phase: AttemptPhase;
}

/** One attempt in flight: what the live display lists under the counters. */
interface InFlight {
  model: string;
  task: string;
  trial: number;
  attempt: number;
  phase: AttemptPhase;
  /** When it entered this phase (ms). */
  since: number;
}

/**
 * Whether an attempt ends its trial: a pass, an API fault that ran out of retries (infra), or the last
 * attempt. The same rule the plain lines' `[finished/total]` counter uses.
 */
export function endsTrial(attempt: AttemptRecord, attempts: number): boolean {
  return attempt.outcome === 'pass' || attempt.outcome === 'infra' || attempt.n >= attempts;
}

/** Money paid so far: known dollars, and the models whose attempts had no price (their spend is unknown). */
export interface Spend {
  knownCost: number;
  readonly unpriced: Set<string>;
}

/** Adds one attempt's cost: a null (unknown price) marks the model, it never counts as $0. */
export function addSpend(spend: Spend, model: string, cost: number | null): void {
  if (cost === null) spend.unpriced.add(model);
  else spend.knownCost += cost;
}

const key = (i: { model: string; task: string; trial: number }) =>
  `${i.model}\u0000${i.task}\u0000${i.trial}`;

/**
 * What the run has done so far, fed by its events (plan, phase, attempt); no I/O and no clock of its
 * own (every call that needs the time is given it), so the display's text is a function of this state.
 */
export class ProgressState implements Spend {
  total = 0;
  attempts = 1;
  /** Trials an interrupted run had finished before this one resumed it (not part of the ETA's pace). */
  resumed = 0;
  /** Trials finished in this session. */
  finished = 0;
  passed = 0;
  /** Trials that ended on an API or harness fault (no verdict). */
  infra = 0;
  /** Known spend of this session's attempts (USD). */
  knownCost = 0;
  /** Models with at least one attempt of unknown price: their spend is unknown, never $0. */
  readonly unpriced = new Set<string>();
  startedAt = 0;
  readonly inFlight = new Map<string, InFlight>();
  /** Finished trials per model, for the action's per-model groups. */
  readonly finishedBy = new Map<string, number>();

  /** The run's plan: totals, and the clock the ETA counts from. */
  plan(plan: RunPlan, now: number): void {
    this.total = plan.models * plan.tasks * plan.trials;
    this.attempts = plan.attempts;
    this.resumed = plan.resumed;
    this.startedAt = now;
  }

  phase(info: PhaseInfo, now: number): void {
    this.inFlight.set(key(info), { ...info, since: now });
  }

  /** Counts a graded attempt; returns whether it finished its trial. */
  attempt(info: AttemptInfo): boolean {
    const a = info.attempt;
    addSpend(this, info.model, a.cost);
    const ends = endsTrial(a, this.attempts);
    if (ends) {
      this.inFlight.delete(key(info));
      this.finished++;
      this.finishedBy.set(info.model, (this.finishedBy.get(info.model) ?? 0) + 1);
      if (a.outcome === 'pass') this.passed++;
      if (a.outcome === 'infra') this.infra++;
    }
    return ends;
  }

  /** Trials done, resumed ones included: the numerator of `done/total`. */
  get done(): number {
    return this.resumed + this.finished;
  }
}

/** `1h 02m`, `3m 05s`, `42s`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Time left at this session's pace so far (trials run concurrently, so the mean time between finished
 * trials is the throughput); null until a trial has finished.
 */
export function eta(state: ProgressState, now: number): number | null {
  if (!state.finished) return null;
  const left = Math.max(0, state.total - state.done);
  return ((now - state.startedAt) / state.finished) * left;
}

/** Spend so far: known dollars, and which models' spend is unknown (an unknown price is never $0). */
export function costText(spend: Spend): string {
  if (!spend.unpriced.size) return `cost ${usd(spend.knownCost)}`;
  const who = `no price for ${[...spend.unpriced].join(', ')}`;
  return spend.knownCost > 0 ? `cost ${usd(spend.knownCost)} + unknown (${who})` : `cost unknown (${who})`;
}

/** The one-line status: done/total, passes, spend, elapsed and ETA. Also the action's heartbeat line. */
export function statusLine(state: ProgressState, now: number): string {
  const left = eta(state, now);
  const parts = [
    `${state.done}/${state.total} trials`,
    `${state.passed} passed`,
    ...(state.infra ? [`${state.infra} infra`] : []),
    costText(state),
    `${duration(now - state.startedAt)} elapsed`,
    left === null
      ? 'ETA after the first trial'
      : state.done >= state.total
        ? 'done'
        : `ETA ~${duration(left)}`,
  ];
  return parts.join(' · ');
}

const PHASE_TEXT: Record<AttemptPhase, string> = {
  model: 'waiting for model',
  'awaiting-grader': 'waiting for a grader',
  grading: 'grading',
};

/** A text progress bar `[█████░░░░░]` of `width` cells. */
export function bar(done: number, total: number, width = 24): string {
  const full = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}]`;
}

/**
 * The live display's lines: the bar with the status line, then each attempt in flight (oldest first,
 * at most `maxInFlight`, the rest counted) as model × task × attempt with its phase and how long it has
 * been in it. Plain text: the terminal edge adds nothing but cursor movement.
 */
export function liveLines(state: ProgressState, now: number, maxInFlight = 8): string[] {
  const lines = [`aibench ${bar(state.done, state.total)} ${statusLine(state, now)}`];
  const flying = [...state.inFlight.values()].sort((a, b) => a.since - b.since);
  if (!flying.length) return lines;
  const counts = (['model', 'awaiting-grader', 'grading'] as const)
    .map((p) => [flying.filter((f) => f.phase === p).length, PHASE_TEXT[p]] as const)
    .filter(([n]) => n > 0)
    .map(([n, text]) => `${n} ${text}`);
  lines.push(`in flight: ${counts.join(', ')}`);
  const shown = flying.slice(0, maxInFlight);
  const modelWidth = Math.max(...shown.map((f) => f.model.length));
  const taskWidth = Math.max(...shown.map((f) => f.task.length + (f.trial > 1 ? ` #${f.trial}`.length : 0)));
  for (const f of shown) {
    const task = `${f.task}${f.trial > 1 ? ` #${f.trial}` : ''}`;
    lines.push(
      `  ${f.model.padEnd(modelWidth)}  ${task.padEnd(taskWidth)}  attempt ${f.attempt}/${state.attempts}  ${PHASE_TEXT[f.phase]} ${duration(now - f.since)}`,
    );
  }
  if (flying.length > shown.length) lines.push(`  … and ${flying.length - shown.length} more`);
  return lines;
}

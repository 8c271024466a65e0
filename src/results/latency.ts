import { quantile } from 'd3-array';
import type { AttemptRecord, Results, TrialRecord } from './schema.js';

/** p50 and p95 of a set of durations (ms); null when there is nothing to measure. */
export interface Percentiles {
  p50: number | null;
  p95: number | null;
  /** How many values the percentiles were computed from. */
  n: number;
}

export interface ModelLatency {
  model: string;
  /** Time from request to complete reply, per graded attempt (API retries included). */
  modelMs: Percentiles;
  /** Time the grader took (build + tests + checks), per graded attempt. */
  gradeMs: Percentiles;
  /** First request to last verdict, per trial (see `trialWallMs`). */
  trialWallMs: Percentiles;
  /** Output tokens per second of model time; null when no attempt reported both (e.g. the reference). */
  tokensPerSecond: Percentiles;
}

/** Linear-interpolated percentiles (d3's R-7 definition, as spreadsheets compute them). */
export function percentiles(values: number[]): Percentiles {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return {
    p50: sorted.length ? (quantile(sorted, 0.5) ?? null) : null,
    p95: sorted.length ? (quantile(sorted, 0.95) ?? null) : null,
    n: sorted.length,
  };
}

/** Attempts that reached the grader (an infra attempt has no reply to grade and says nothing about speed). */
export function gradedAttempts(trial: TrialRecord): AttemptRecord[] {
  return trial.attempts.filter((a) => a.outcome !== 'infra');
}

/**
 * A trial's wall time from results.json alone: from the first attempt's request to the last attempt's
 * verdict (its start + model time + grading time). Time spent queued for a grading slot after the last
 * reply is not recorded and so not counted; earlier queueing is, through the start times.
 */
export function trialWallMs(trial: TrialRecord): number | null {
  const attempts = trial.attempts;
  const first = attempts[0];
  const last = attempts.at(-1);
  if (!first || !last) return null;
  const start = Date.parse(first.startedAt);
  const lastStart = Date.parse(last.startedAt);
  if (!Number.isFinite(start) || !Number.isFinite(lastStart)) return null;
  return Math.max(0, lastStart - start) + last.modelMs + last.gradeMs;
}

/** Per-model latency percentiles, in the order the run listed the models. */
export function latencyByModel(results: Pick<Results, 'models' | 'trials'>): ModelLatency[] {
  return results.models.map(({ name }) => {
    const trials = results.trials.filter((t) => t.model === name);
    const attempts = trials.flatMap(gradedAttempts);
    const rates = attempts
      .filter((a) => a.modelMs > 0 && a.usage.outputTokens > 0)
      .map((a) => a.usage.outputTokens / (a.modelMs / 1000));
    return {
      model: name,
      modelMs: percentiles(attempts.map((a) => a.modelMs)),
      gradeMs: percentiles(attempts.map((a) => a.gradeMs)),
      trialWallMs: percentiles(trials.map(trialWallMs).filter((v): v is number => v !== null)),
      tokensPerSecond: percentiles(rates),
    };
  });
}

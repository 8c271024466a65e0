import { tQuantile, zCdf, zQuantile } from './distributions.js';
import type { Rng } from './random.js';

/**
 * How an interval was computed, so every report can say it:
 * - `wilson`: Wilson score interval on passes / tasks (one trial per task: tasks are independent).
 * - `wilson-clustered`: Wilson score interval whose sample size is the effective number of independent
 *   observations when trials of one task are correlated (n / design effect, from the between-task
 *   variance of per-task rates; between the task count and the trial count).
 * - `bootstrap`: cluster bootstrap over tasks (tasks resampled with replacement, trials kept with their
 *   task), expanded percentile interval (Hesterberg 2015) so few tasks do not give too narrow an interval.
 * - `mover-wilson`: a paired difference of two task-mean rates from each side's interval and the
 *   correlation of the sides' per-task rates (MOVER, Zou & Donner 2008); with one trial per task this is
 *   Newcombe's (1998) hybrid score interval for paired proportions (his method 10).
 */
export type IntervalMethod = 'wilson' | 'wilson-clustered' | 'bootstrap' | 'mover-wilson';

export interface Interval {
  estimate: number;
  low: number;
  high: number;
  /** Two-sided confidence level, e.g. 0.95. */
  confidence: number;
  method: IntervalMethod;
}

/** Default number of bootstrap resamples: tail quantiles near 1% stay stable to about a percentage point. */
export const BOOTSTRAP_RESAMPLES = 4000;

/**
 * Wilson score interval for `successes` of `n` (both may be fractional: an effective sample). Behaves at
 * 0 and n, unlike the normal (Wald) interval, and covers close to its level for small n.
 */
export function wilson(successes: number, n: number, confidence = 0.95): Interval {
  if (!(n > 0)) throw new RangeError('wilson: n must be positive');
  const z = zQuantile(1 - (1 - confidence) / 2);
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return {
    estimate: p,
    low: Math.max(0, centre - half),
    high: Math.min(1, centre + half),
    confidence,
    method: 'wilson',
  };
}

/**
 * Interval for a mean of per-task rates in [0, 1] (pass rate, pass@k, pass^k), tasks as the unit.
 * With `trialsPerTask` = 1 this is exactly the Wilson interval on passes / tasks. With more trials it is
 * Wilson on an effective sample size: the cluster-robust variance of the mean (Miller 2024) turned into
 * the n a binomial would need for that variance, kept between the task count (trials of a task fully
 * correlated) and tasks × trials (independent), after shrinking it for the few tasks the variance rests
 * on (Korn & Graubard 1998). At an all-pass or all-fail run the between-task variance is zero and says
 * nothing, so the task count is used: the interval is never zero-width.
 */
export function taskMeanInterval(perTask: number[], trialsPerTask: number, confidence = 0.95): Interval {
  const t = perTask.length;
  if (!t) throw new RangeError('taskMeanInterval: no tasks');
  const mean = perTask.reduce((s, v) => s + v, 0) / t;
  if (trialsPerTask <= 1) return { ...wilson(mean * t, t, confidence), estimate: mean };
  const maxN = t * trialsPerTask;
  let nEff: number;
  if (mean <= 0 || mean >= 1) nEff = t;
  else {
    // Unbiased between-task variance of the mean (divisor T−1), as a binomial sample size; then Korn &
    // Graubard (1998): that variance rests on only T tasks, so n shrinks by (z / t_{T−1})². Never below
    // the task count: averaging several trials per task cannot make a run less certain than one trial.
    const variance = perTask.reduce((s, v) => s + (v - mean) ** 2, 0) / (t * (t - 1));
    const alpha = 1 - confidence;
    const shrink = t > 1 ? (zQuantile(1 - alpha / 2) / tQuantile(1 - alpha / 2, t - 1)) ** 2 : 1;
    nEff = variance > 0 ? Math.min(maxN, Math.max(t, ((mean * (1 - mean)) / variance) * shrink)) : maxN;
  }
  return { ...wilson(mean * nEff, nEff, confidence), estimate: mean, method: 'wilson-clustered' };
}

/** Quantile of sorted values (type 7, linear interpolation); infinities pass through. */
export function quantileSorted(sorted: Float64Array | number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  if (lo === hi || a === b) return a;
  return a + (b - a) * (pos - lo);
}

const tails = new Map<string, number>();

/** The expanded percentile's tail level: Φ(−√(T/(T−1))·t_{1−α/2, T−1}), memoised per (T, α). */
function expandedTail(tasks: number, alpha: number): number {
  const key = `${tasks} ${alpha}`;
  let tail = tails.get(key);
  if (tail === undefined) {
    tail = zCdf(-Math.sqrt(tasks / (tasks - 1)) * tQuantile(1 - alpha / 2, tasks - 1));
    tails.set(key, tail);
  }
  return tail;
}

/**
 * Cluster bootstrap over `tasks` units: `statistic` receives the resampled unit indices (with
 * replacement) and returns a number (NaN when undefined for that resample: left out). Returns the
 * expanded percentile interval around `estimate`: the percentile levels widened by √(T/(T−1))·t(T−1)
 * (Hesterberg 2015), which corrects the plain percentile bootstrap's narrowness with few tasks.
 */
export function clusterBootstrap(
  tasks: number,
  estimate: number,
  statistic: (indices: Int32Array) => number,
  rng: Rng,
  opts: { confidence?: number; resamples?: number } = {},
): Interval {
  const confidence = opts.confidence ?? 0.95;
  const resamples = opts.resamples ?? BOOTSTRAP_RESAMPLES;
  const alpha = 1 - confidence;
  if (tasks < 2)
    return {
      estimate,
      low: Number.NEGATIVE_INFINITY,
      high: Number.POSITIVE_INFINITY,
      confidence,
      method: 'bootstrap',
    };
  const values = new Float64Array(resamples);
  const idx = new Int32Array(tasks);
  let kept = 0;
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < tasks; i++) idx[i] = rng.index(tasks);
    const v = statistic(idx);
    if (!Number.isNaN(v)) values[kept++] = v;
  }
  const sorted = values.subarray(0, kept).sort();
  const tail = expandedTail(tasks, alpha);
  return {
    estimate,
    low: quantileSorted(sorted, tail),
    high: quantileSorted(sorted, 1 - tail),
    confidence,
    method: 'bootstrap',
  };
}

/**
 * Pearson correlation of paired values; 0 when either side does not vary (nothing to correlate). For
 * binary pairs (`binary`), Newcombe's continuity correction of φ's numerator ad − bc (less n/2 when above
 * it, else 0 when positive), without which the paired interval undercovers with few tasks.
 */
function correlation(a: number[], b: number[], binary: boolean): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  if (!(saa > 0 && sbb > 0)) return 0;
  if (binary) {
    const adbc = n * sab; // for 0/1 pairs, n·Σ(a−ā)(b−b̄) = ad − bc of the 2×2 table
    sab = (adbc > n / 2 ? adbc - n / 2 : adbc >= 0 ? 0 : adbc) / n;
  }
  return sab / Math.sqrt(saa * sbb);
}

/**
 * Interval for head − base of paired per-task rates (same tasks on both sides): each side's task-mean
 * interval combined through the correlation of the sides' per-task rates (MOVER). Unlike a bootstrap it
 * keeps a width when no task changed (10 of 10 passing on both sides is not proof of "no drop": ±28 pp),
 * and with one trial per task it is Newcombe's method 10.
 */
export function pairedDifferenceInterval(
  base: number[],
  head: number[],
  trialsPerTask: number,
  confidence = 0.95,
): Interval {
  const b = taskMeanInterval(base, trialsPerTask, confidence);
  const h = taskMeanInterval(head, trialsPerTask, confidence);
  const r = correlation(base, head, trialsPerTask <= 1);
  const diff = h.estimate - b.estimate;
  const down = [h.estimate - h.low, b.high - b.estimate] as const;
  const up = [h.high - h.estimate, b.estimate - b.low] as const;
  const spread = ([x, y]: readonly [number, number]) => Math.sqrt(Math.max(0, x * x + y * y - 2 * r * x * y));
  return {
    estimate: diff,
    low: Math.max(-1, diff - spread(down)),
    high: Math.min(1, diff + spread(up)),
    confidence,
    method: 'mover-wilson',
  };
}

import { zQuantile } from './distributions.js';

export interface PowerOptions {
  /** Two-sided confidence of the comparison (0.95: the interval the gate reads). */
  confidence?: number;
  /** Chance of detecting a real drop of that size (0.8 by convention). */
  power?: number;
}

function zSum(opts: PowerOptions): number {
  const confidence = opts.confidence ?? 0.95;
  return zQuantile(1 - (1 - confidence) / 2) + zQuantile(opts.power ?? 0.8);
}

/** Variance of one trial's pass/fail at rate p, summed over the two runs compared (baseline at p, head at p − drop). */
function pairVariance(p: number, drop: number): number {
  const q = p - drop;
  return p * (1 - p) + q * (1 - q);
}

/**
 * The smallest drop in pass rate (from `rate`) that a comparison of two runs of `tasks` × `trials` would
 * detect with the given power: the δ solving δ = (z₁₋α/₂ + z_power)·√((p(1−p) + (p−δ)(1−p+δ)) / (tasks·trials)).
 * A planning figure (normal approximation, trials treated as independent): correlated trials of one task
 * make the real figure larger. Null when no drop could be detected at all (the rate is too low to fall).
 */
export function minDetectableDrop(
  rate: number,
  tasks: number,
  trials: number,
  opts: PowerOptions = {},
): number | null {
  const n = tasks * trials;
  if (!(n > 0)) return null;
  const z = zSum(opts);
  const gap = (d: number) => d - z * Math.sqrt(pairVariance(rate, d) / n);
  // gap is increasing in d on [0, rate] wherever it matters; bisection finds its root. A rate of 0 has
  // nowhere to fall (and would otherwise read as "detects a drop from 0 points").
  if (!(rate > 0) || gap(rate) < 0) return null;
  let lo = 0;
  let hi = rate;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (gap(mid) < 0) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Trials per task needed so a drop of `drop` from `rate` is detected with the given power, at `tasks`
 * tasks (same approximation as minDetectableDrop). Null when the rate cannot fall that far.
 */
export function trialsToDetect(
  drop: number,
  rate: number,
  tasks: number,
  opts: PowerOptions = {},
): number | null {
  if (drop <= 0 || rate - drop < 0 || tasks <= 0) return null;
  const z = zSum(opts);
  return Math.max(1, Math.ceil((z * z * pairVariance(rate, drop)) / (tasks * drop * drop)));
}

/** A pass-rate interval, as shares in [0, 1]. */
export interface Interval {
  lo: number;
  hi: number;
}

/**
 * PLACEHOLDER until the statistics module provides pass-rate intervals: the 95% Wilson score interval
 * of `passes` out of `n`. The figures only draw whiskers from `{lo, hi}` values; swap this one function
 * for the statistics module's and nothing else changes. Null when nothing was graded.
 */
export function wilsonInterval(passes: number, n: number, z = 1.959963984540054): Interval | null {
  if (n <= 0) return null;
  const p = passes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

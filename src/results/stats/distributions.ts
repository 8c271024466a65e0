import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tQuantileFn from '@stdlib/stats-base-dists-t-quantile';

/** The standard normal quantile Φ⁻¹(p) (stdlib's, accurate to double precision). */
export function zQuantile(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** P(X ≤ x) for X ~ Binomial(n, p). */
export function binomialCdfAt(x: number, n: number, p: number): number {
  return binomialCdf(x, n, p);
}

/** Student's t quantile with `df` degrees of freedom. */
export function tQuantile(p: number, df: number): number {
  return tQuantileFn(p, df);
}

/** The standard normal CDF Φ(x). */
export function zCdf(x: number): number {
  return normalCdf(x, 0, 1);
}

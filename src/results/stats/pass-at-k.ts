/**
 * Unbiased pass@k (Chen et al. 2021): the chance that at least one of k trials drawn without replacement
 * from a task's n graded trials, c of them passing, passes: 1 − C(n−c, k) / C(n, k). Computed as a
 * product so large n neither overflows nor loses precision.
 */
export function passAtK(n: number, c: number, k: number): number {
  check(n, c, k);
  if (n - c < k) return 1;
  let none = 1;
  for (let i = n - c + 1; i <= n; i++) none *= 1 - k / i;
  return 1 - none;
}

/**
 * pass^k (τ-bench, Yao et al. 2024): the chance that all k trials drawn without replacement pass:
 * C(c, k) / C(n, k). What a user relying on the model k times in a row experiences.
 */
export function passHatK(n: number, c: number, k: number): number {
  check(n, c, k);
  if (c < k) return 0;
  let all = 1;
  for (let i = 0; i < k; i++) all *= (c - i) / (n - i);
  return all;
}

function check(n: number, c: number, k: number): void {
  if (
    !(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(k)) ||
    c < 0 ||
    c > n ||
    k < 1 ||
    k > n
  )
    throw new RangeError(`pass@k needs integers 0 ≤ c ≤ n and 1 ≤ k ≤ n (got n=${n}, c=${c}, k=${k})`);
}

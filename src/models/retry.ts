import { classifyError, FatalApiError, InfraFault } from './faults.js';

export interface RetryPolicy {
  /** Retries after the first try. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** Exponential backoff with full jitter, or the server's retry-after when it gave one (capped). */
export function backoffMs(
  policy: RetryPolicy,
  retry: number,
  retryAfter?: number,
  random = Math.random,
): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Calls `fn` until it succeeds, a fatal error occurs, or retries run out. Every retried fault is
 * reported through `onFault` (so results show what happened even when the call finally succeeded).
 * Throws the last InfraFault when exhausted, or a FatalApiError at once.
 */
export async function withRetries<T>(
  fn: () => Promise<T>,
  where: string,
  policy: RetryPolicy,
  onFault: (fault: InfraFault, willRetry: boolean) => void = () => {},
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await fn();
    } catch (err) {
      const fault = classifyError(err, where);
      if (fault instanceof FatalApiError) throw fault;
      const willRetry = fault.retryable && retry < policy.maxRetries;
      onFault(fault, willRetry);
      if (!willRetry) throw fault;
      await sleep(backoffMs(policy, retry, fault.retryAfterMs));
    }
  }
}

import { describe, expect, it } from 'vitest';
import { classifyError, FatalApiError, InfraFault, retryAfterMs } from '../src/models/faults.js';
import { backoffMs, withRetries } from '../src/models/retry.js';

const headers = (h: Record<string, string>) => new Headers(h);

describe('retry policy', () => {
  it('reads retry-after in seconds, as a date, and retry-after-ms', () => {
    expect(retryAfterMs({ headers: headers({ 'retry-after': '7' }) })).toBe(7000);
    expect(retryAfterMs({ headers: headers({ 'retry-after-ms': '250' }) })).toBe(250);
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(retryAfterMs({ headers: headers({ 'retry-after': 'Mon, 23 Nov 2026 12:00:30 GMT' }) }, now)).toBe(
      30_000,
    );
    expect(retryAfterMs({ headers: headers({}) })).toBeUndefined();
  });

  it('waits what the server asked (capped), else backs off exponentially with jitter', () => {
    const policy = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };
    expect(backoffMs(policy, 0, 7000)).toBe(7000);
    expect(backoffMs(policy, 0, 600_000)).toBe(60_000);
    expect(backoffMs(policy, 0, undefined, () => 0)).toBe(500);
    expect(backoffMs(policy, 3, undefined, () => 1)).toBe(8000);
    expect(backoffMs(policy, 20, undefined, () => 1)).toBe(60_000);
  });

  it('honours a 429 retry-after between tries and reports each fault', async () => {
    const waits: number[] = [];
    const seen: string[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        if (++calls === 1)
          throw Object.assign(new Error('429'), { status: 429, headers: headers({ 'retry-after': '3' }) });
        return 'ok';
      },
      'anthropic/x',
      { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 60_000 },
      (f, retried) => seen.push(`${f.kind}:${retried}`),
      async (ms) => void waits.push(ms),
    );
    expect(result).toBe('ok');
    expect(waits).toEqual([3000]);
    expect(seen).toEqual(['rate-limit:true']);
  });

  it('never retries a fatal error, and classifies 401/404 as fatal, 5xx/529/timeouts as infra', async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw Object.assign(new Error('nf'), { status: 404 });
        },
        'openai/nope',
        { maxRetries: 5, baseDelayMs: 1, maxDelayMs: 1 },
      ),
    ).rejects.toBeInstanceOf(FatalApiError);
    expect(calls).toBe(1);
    expect(classifyError({ status: 401 }, 'x')).toBeInstanceOf(FatalApiError);
    expect((classifyError({ status: 503 }, 'x') as InfraFault).kind).toBe('overloaded');
    expect(
      (classifyError({ name: 'APIConnectionTimeoutError', message: 'Request timed out.' }, 'x') as InfraFault)
        .kind,
    ).toBe('timeout');
  });
});

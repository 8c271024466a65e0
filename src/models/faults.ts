import type { Usage } from './types.js';

/** Why a call failed through no fault of the model. Recorded as class `infra`, never as a model failure. */
export type InfraCause =
  | 'rate-limit'
  | 'overloaded'
  | 'server-error'
  | 'timeout'
  | 'connection'
  | 'malformed-response'
  | 'empty-reply'
  | 'truncated'
  | 'harness';

/** An API or harness fault. `usage` is set when the failed call was still billed (e.g. a truncated reply). */
export class InfraFault extends Error {
  constructor(
    readonly kind: InfraCause,
    message: string,
    readonly retryable: boolean,
    readonly usage?: Usage,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'InfraFault';
  }
}

/** A fault no retry can fix and no later call will avoid: bad model id, bad key, refused request. */
export class FatalApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FatalApiError';
  }
}

interface SdkLikeError {
  name?: string;
  status?: number;
  headers?: { get(name: string): string | null } | Record<string, string>;
  message?: string;
}

function header(err: SdkLikeError, name: string): string | null {
  const h = err.headers;
  if (!h) return null;
  if (typeof (h as { get?: unknown }).get === 'function')
    return (h as { get(n: string): string | null }).get(name);
  return (h as Record<string, string>)[name] ?? null;
}

/** Milliseconds the server asked us to wait (`retry-after-ms`, `retry-after` in seconds or as a date). */
export function retryAfterMs(err: SdkLikeError, now = Date.now()): number | undefined {
  const ms = header(err, 'retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = header(err, 'retry-after');
  if (!ra) return undefined;
  if (Number.isFinite(Number(ra))) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Maps an SDK (Anthropic or OpenAI — both share the Stainless error shapes) or transport error to an
 * InfraFault (retry) or a FatalApiError (stop: no retry will help).
 */
export function classifyError(err: unknown, where: string): InfraFault | FatalApiError {
  if (err instanceof InfraFault || err instanceof FatalApiError) return err;
  const e = (err ?? {}) as SdkLikeError;
  const message = (e.message ?? String(err)).split('\n')[0]!;
  if (e.name === 'APIConnectionTimeoutError' || e.name === 'AbortError' || /timed? ?out/i.test(message)) {
    return new InfraFault('timeout', `${where}: request timed out`, true);
  }
  if (e.name === 'APIConnectionError')
    return new InfraFault('connection', `${where}: connection failed (${message})`, true);
  const status = e.status;
  if (typeof status === 'number') {
    const wait = retryAfterMs(e);
    if (status === 429)
      return new InfraFault('rate-limit', `${where}: 429 rate limited`, true, undefined, wait);
    if (status === 529 || status === 503)
      return new InfraFault('overloaded', `${where}: ${status} overloaded`, true, undefined, wait);
    if (status === 408 || status === 409 || status >= 500) {
      return new InfraFault('server-error', `${where}: ${status} server error`, true, undefined, wait);
    }
    if (status === 404)
      return new FatalApiError(`${where}: 404 not found — check the model id in --models`, 404);
    if (status === 401 || status === 403) {
      return new FatalApiError(
        `${where}: ${status} — the API key was refused; check the key's env var`,
        status,
      );
    }
    return new FatalApiError(`${where}: ${status} ${message}`, status);
  }
  if (err instanceof SyntaxError || /JSON/i.test(message)) {
    return new InfraFault('malformed-response', `${where}: malformed response (${message})`, true);
  }
  return new InfraFault('connection', `${where}: ${message}`, true);
}

/**
 * What every provider checks of a completed call: a reply cut at the token limit, or one with no text,
 * is the API's fault, not the model's — and its tokens were still billed, so the fault carries them.
 */
export function assertCompleteReply(
  model: string,
  reply: { text: string; usage: Usage; cut: boolean; stop: string | null },
  maxTokens: number,
): void {
  if (reply.cut) {
    throw new InfraFault(
      'truncated',
      `${model}: reply cut at max_tokens=${maxTokens}; raise max-tokens`,
      false,
      reply.usage,
    );
  }
  if (!reply.text.trim())
    throw new InfraFault('empty-reply', `${model}: empty reply (stop: ${reply.stop})`, true, reply.usage);
}

import bytes from 'bytes';
import { UsageError } from '../errors.js';

/** The cache's size limit when nothing says otherwise: room for a few fixtures and Go's build cache. */
export const DEFAULT_CACHE_LIMIT = '4GB';

/**
 * The cache limit in bytes from `--cache-limit` or `AIBENCH_CACHE_LIMIT` ("4GB", "500MB", "0" for
 * nothing kept between runs beyond what a run holds).
 */
export function parseCacheLimit(text: string, from: string): number {
  const parsed = /^\s*\d+(\.\d+)?\s*([kmgtp]?b)?\s*$/i.test(text) ? bytes.parse(text) : null;
  if (parsed === null || !Number.isFinite(parsed) || parsed < 0)
    throw new UsageError(`${from} must be a size such as 4GB, 500MB or 0 (got "${text}")`);
  return parsed;
}

/** A size as a person reads it: "1.2 GB", "512 MB". */
export function formatSize(n: number): string {
  return bytes.format(n, { unitSeparator: ' ', decimalPlaces: 1 }) ?? `${n} B`;
}

export function cacheLimit(env: NodeJS.ProcessEnv, flag?: string): number {
  if (flag !== undefined) return parseCacheLimit(flag, '--cache-limit');
  if (env.AIBENCH_CACHE_LIMIT) return parseCacheLimit(env.AIBENCH_CACHE_LIMIT, 'AIBENCH_CACHE_LIMIT');
  return parseCacheLimit(DEFAULT_CACHE_LIMIT, 'the default cache limit');
}

import { oneLine } from '../errors.js';
import type { CacheHold } from './holds.js';
import { formatSize as size } from './limit.js';
import { pruneCache, type PruneReport } from './prune.js';

/** One line for the run's log, or none when the cache simply fits. */
export function describePrune(r: PruneReport): string | null {
  const parts: string[] = [];
  if (r.removed.length)
    parts.push(
      `removed ${r.removed.length} least recently used entr${r.removed.length === 1 ? 'y' : 'ies'} (${size(
        r.removed.reduce((t, e) => t + e.bytes, 0),
      )}: ${r.removed.map((e) => e.name).join(', ')})`,
    );
  if (r.kept.length)
    parts.push(`could not remove ${r.kept.map((k) => `${k.entry.name} (${k.why})`).join(', ')}`);
  if (r.overBy > 0)
    parts.push(
      `what running benchmarks use is ${size(r.overBy)} over the limit and was kept: raise AIBENCH_CACHE_LIMIT or --cache-limit`,
    );
  if (!parts.length) return null;
  return `cache: ${parts.join('; ')}; ${size(r.leftBytes)} kept, limit ${size(r.limitBytes)}`;
}

/** Lets go of the cache entries a run held (their last use is now), without pruning (an interruption). */
export function releaseHolds(env: { holds: CacheHold[] }): void {
  for (const h of env.holds.splice(0)) h.release();
}

/**
 * At the end of a run: lets go of the cache entries it held (their last use is now) and prunes the
 * cache to its limit. Never throws: a cache that cannot be pruned costs disk, not the run.
 */
export async function releaseAndPrune(
  env: { cacheDir: string; holds: CacheHold[] },
  limitBytes: number,
  log: (line: string) => void,
): Promise<PruneReport | null> {
  releaseHolds(env);
  try {
    const report = await pruneCache(env.cacheDir, limitBytes);
    const line = describePrune(report);
    if (line) log(line);
    return report;
  } catch (err) {
    log(`warning: could not prune the cache ${env.cacheDir} (${oneLine(err)})`);
    return null;
  }
}

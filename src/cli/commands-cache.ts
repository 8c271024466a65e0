import { ExitCode } from '../errors.js';
import { listCacheEntries } from '../cache/entries.js';
import { cacheLimit, formatSize as size } from '../cache/limit.js';
import { pruneCache } from '../cache/prune.js';
import { describePrune } from '../cache/run-end.js';
import { cacheRoot } from '../tasks/fixture.js';
import type { CacheFlags } from './program.js';

type Out = { out: (line: string) => void; err: (line: string) => void };

/** `aibench cache [--prune] [--cache-limit SIZE]`: what the cache holds, least recently used first. */
export async function cmdCache(values: CacheFlags, io: Out): Promise<number> {
  const dir = cacheRoot(process.env);
  const limit = cacheLimit(process.env, values.cacheLimit);
  if (values.prune) {
    const report = await pruneCache(dir, limit);
    io.err(describePrune(report) ?? `cache: within its limit (${size(limit)}), nothing removed`);
  }
  const entries = listCacheEntries(dir).sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  const total = entries.reduce((t, e) => t + e.bytes, 0);
  io.out(
    `${dir}: ${size(total)} in ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, limit ${size(limit)}`,
  );
  for (const e of entries)
    io.out(
      `  ${size(e.bytes).padStart(9)}  ${new Date(e.lastUsedMs).toISOString().slice(0, 16).replace('T', ' ')}  ${e.name}${
        e.held ? '  (in use)' : e.abandoned ? '  (left by a process that died)' : ''
      }`,
    );
  return ExitCode.ok;
}

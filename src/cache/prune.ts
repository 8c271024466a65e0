import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { removeTree } from '../grade/remove-tree.js';
import { listCacheEntries, sizeFile } from './entries.js';
import { chooseEvictions, type CacheEntry } from './evict.js';
import { gateLock, holdersDir, isHeld } from './holds.js';
import { releaseLock, takeLock } from './locks.js';

export interface PruneReport {
  limitBytes: number;
  before: CacheEntry[];
  removed: CacheEntry[];
  /** Chosen for removal but kept: a process took a hold meanwhile, or the folder resisted removal. */
  kept: { entry: CacheEntry; why: string }[];
  /** Bytes left in the cache's entries. */
  leftBytes: number;
  /** How far what live processes hold is over the limit (0 when everything else could make room). */
  overBy: number;
}

/**
 * Removes one entry unless a process holds it: under its gate (so no hold is registered meanwhile) the
 * holders are checked and the folder is renamed aside, then deleted at leisure. Never throws.
 */
async function removeEntry(cacheDir: string, e: CacheEntry): Promise<string | null> {
  const dir = path.join(cacheDir, e.name);
  const gate = gateLock(dir);
  if (!takeLock(gate)) return 'in use (its gate is taken)';
  const trash = `${dir}.trash-${process.pid}`;
  try {
    if (!e.abandoned && isHeld(dir)) return 'in use (held since it was listed)';
    // Only dead processes' marks are left; cleared under the gate, so a hold registered after it stays.
    rmSync(holdersDir(dir), { recursive: true, force: true });
    renameSync(dir, trash);
    rmSync(sizeFile(dir), { force: true });
  } catch (err) {
    return `could not be moved aside (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  } finally {
    releaseLock(gate);
  }
  const r = await removeTree(trash);
  return r.removed ? null : `partly removed (${r.error ?? 'unknown'})`;
}

/**
 * Brings the cache within `limitBytes`: abandoned leftovers first, then least recently used entries no
 * live process holds. What this process holds stays (so a run never evicts what it is using).
 */
export async function pruneCache(cacheDir: string, limitBytes: number): Promise<PruneReport> {
  const before = listCacheEntries(cacheDir);
  const { evict, overBy } = chooseEvictions(before, limitBytes);
  const removed: CacheEntry[] = [];
  const kept: PruneReport['kept'] = [];
  for (const e of evict) {
    const why = await removeEntry(cacheDir, e);
    if (why) kept.push({ entry: e, why });
    else removed.push(e);
  }
  const leftBytes = before.filter((e) => !removed.includes(e)).reduce((t, e) => t + e.bytes, 0);
  return { limitBytes, before, removed, kept, leftBytes, overBy };
}

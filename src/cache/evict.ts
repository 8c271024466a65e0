/** One thing in the harness's cache that can be removed whole (a fixture install, Go's build cache…). */
export interface CacheEntry {
  /** Relative to the cache folder, e.g. `fixtures/react-c832b0b00dd0af7e`. */
  name: string;
  bytes: number;
  /** When a run last started or stopped using it (ms since the epoch). */
  lastUsedMs: number;
  /** A live process is using it: never removed. */
  held: boolean;
  /** Left by a process that died half-way (an unfinished install): removed whatever the limit. */
  abandoned: boolean;
}

/**
 * What to remove so the cache fits `limitBytes`: everything abandoned, then the least recently used
 * entries no live process holds, oldest first, until the rest fits. Held entries always stay, even when
 * they alone are over the limit (`overBy` says by how much). Pure.
 */
export function chooseEvictions(
  entries: CacheEntry[],
  limitBytes: number,
): { evict: CacheEntry[]; keptBytes: number; overBy: number } {
  const evict = entries.filter((e) => e.abandoned && !e.held);
  const kept = entries.filter((e) => !evict.includes(e));
  let keptBytes = kept.reduce((t, e) => t + e.bytes, 0);
  const candidates = kept.filter((e) => !e.held).sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  for (const e of candidates) {
    if (keptBytes <= limitBytes) break;
    evict.push(e);
    keptBytes -= e.bytes;
  }
  return { evict, keptBytes, overBy: Math.max(0, keptBytes - limitBytes) };
}

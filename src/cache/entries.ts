import { lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { CacheEntry } from './evict.js';
import { holdersDir, isHeld } from './holds.js';
import { alive, lockOwnerAlive } from './locks.js';

/** Folders of the cache whose every child is one entry. */
const GROUPS = ['fixtures', 'go-build', 'go-scanner', 'rust-hidden-tests'];
/** Folders that are one entry each (kept by earlier versions: the Go scanner's own build cache). */
const SINGLES = ['go-scanner-build'];
/** What a process writes beside an entry while it works on it: `<name>.tmp-<pid>[-<time>]` and the like. */
const IN_PROGRESS = /\.(?:tmp|src|trash)-(\d+)(?:-\d+)?$/;
/** Bookkeeping beside an entry, not an entry. */
const BOOKKEEPING = /\.(?:holders|gate|lock)$/;

/** Disk use of a folder tree (allocated blocks), links not followed; stops counting past `maxFiles`. */
export function diskUsage(root: string, maxFiles = 2_000_000): number {
  let total = 0;
  let seen = 0;
  const stack = [root];
  while (stack.length && seen < maxFiles) {
    const dir = stack.pop()!;
    let st: Stats;
    try {
      st = lstatSync(dir);
    } catch {
      continue;
    }
    total += st.blocks * 512;
    seen++;
    if (!st.isDirectory()) continue;
    try {
      for (const name of readdirSync(dir)) stack.push(path.join(dir, name));
    } catch {
      // Unreadable: counted as its own size only.
    }
  }
  return total;
}

function mtimeMs(p: string): number {
  try {
    return lstatSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

function entry(cacheDir: string, name: string): CacheEntry {
  const dir = path.join(cacheDir, name);
  const inProgress = IN_PROGRESS.exec(name);
  const ownerAlive = inProgress ? alive(Number(inProgress[1])) : false;
  return {
    name,
    bytes: diskUsage(dir),
    lastUsedMs: Math.max(mtimeMs(dir), mtimeMs(holdersDir(dir))),
    // `<dir>.lock`: an older harness's lease on a per-slot Go build folder, still running.
    held: ownerAlive || isHeld(dir) || lockOwnerAlive(`${dir}.lock`),
    abandoned: Boolean(inProgress) && !ownerAlive,
  };
}

/** Every removable thing in the cache folder, with its size, last use and whether it is in use. */
export function listCacheEntries(cacheDir: string): CacheEntry[] {
  const names: string[] = [];
  for (const group of GROUPS) {
    let children: string[];
    try {
      children = readdirSync(path.join(cacheDir, group));
    } catch {
      continue;
    }
    for (const child of children) if (!BOOKKEEPING.test(child)) names.push(`${group}/${child}`);
  }
  for (const single of SINGLES) {
    try {
      if (lstatSync(path.join(cacheDir, single)).isDirectory()) names.push(single);
    } catch {
      // Not there.
    }
  }
  return names.map((n) => entry(cacheDir, n));
}

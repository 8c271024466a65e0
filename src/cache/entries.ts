import { lstatSync, readdirSync, writeFileSync, type Stats } from 'node:fs';
import { readSmallFileSync } from '../grade/safe-read.js';
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
const BOOKKEEPING = /\.(?:holders|gate|lock|size)$/;
/**
 * Groups whose entries never change once made (a fixture install, a built scanner, prebuilt tests: all
 * re-exposed read-only to code under test). Their size is measured once and kept beside them in
 * `<entry>.size`, so a run's end does not walk every file of a fixture's node_modules again. Go's
 * shared build cache grows with every grading: measured each time.
 */
const IMMUTABLE = new Set(['fixtures', 'go-scanner', 'rust-hidden-tests']);

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

/** Where an entry's measured size is kept. */
export const sizeFile = (dir: string): string => `${dir}.size`;

/**
 * An immutable entry's size: the kept measurement while the folder is the one measured (same inode and
 * modification time; a rebuilt entry is a new folder), else measured now and kept. Never throws.
 */
function measuredOnce(dir: string): number {
  let st: Stats;
  try {
    st = lstatSync(dir);
  } catch {
    return 0;
  }
  const stamp = `${st.ino}:${st.mtimeMs}`;
  const kept = readSmallFileSync(sizeFile(dir), 256)?.split(' ');
  if (kept?.length === 2 && kept[0] === stamp && /^\d+$/.test(kept[1]!)) return Number(kept[1]);
  const bytes = diskUsage(dir);
  try {
    writeFileSync(sizeFile(dir), `${stamp} ${bytes}`);
  } catch {
    // Measured again next time.
  }
  return bytes;
}

function entry(cacheDir: string, name: string): CacheEntry {
  const dir = path.join(cacheDir, name);
  const inProgress = IN_PROGRESS.exec(name);
  const ownerAlive = inProgress ? alive(Number(inProgress[1])) : false;
  const immutable = !inProgress && IMMUTABLE.has(name.split('/')[0]!);
  return {
    name,
    bytes: immutable ? measuredOnce(dir) : diskUsage(dir),
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

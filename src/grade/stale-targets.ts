import { closeSync, openSync, readdirSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { removeTree } from './remove-tree.js';
import { readSmallFileSync } from './safe-read.js';

/**
 * Where earlier harness versions kept one Rust target folder per task and grading slot (`<task>-<k>`,
 * each with a `<task>-<k>.lock` naming its owner's pid). Gradings no longer keep any.
 */
export function staleTargetsRoot(cacheDir: string): string {
  return path.join(cacheDir, 'rust-target');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `<dir>.lock` as an older harness would, taking a dead owner's lock over; false while a live one holds it. */
function takeLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      // Never blocks on a FIFO planted in its place: a lock is a small regular file or it is no lock.
      const owner = Number(readSmallFileSync(lock, 64)?.trim() ?? '');
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) return false;
      try {
        unlinkSync(lock);
      } catch {
        return false;
      }
    }
  }
  return false;
}

/**
 * Removes the Rust target folders older harness versions left in the cache (hundreds of MB, never
 * pruned), except one an older harness still running is grading in (its lock's pid is alive): each
 * folder is locked as that harness would lock it before it is removed, so none is removed under a
 * grading. Never throws; returns what was removed and what was kept.
 */
export async function removeStaleTargets(cacheDir: string): Promise<{ removed: string[]; kept: string[] }> {
  const root = staleTargetsRoot(cacheDir);
  const removed: string[] = [];
  const kept: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return { removed, kept };
  }
  for (const name of names.filter((n) => !n.endsWith('.lock'))) {
    const dir = path.join(root, name);
    const lock = `${dir}.lock`;
    if (!takeLock(lock)) {
      kept.push(name);
      continue;
    }
    const r = await removeTree(dir);
    (r.removed ? removed : kept).push(name);
    try {
      unlinkSync(lock);
    } catch {
      // Already gone.
    }
  }
  try {
    rmdirSync(root); // only when nothing is left
  } catch {
    // Kept folders (or locks of live owners) remain.
  }
  return { removed, kept };
}

import { readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { removeTree } from './remove-tree.js';
import { releaseLock, takeLock } from '../cache/locks.js';

/**
 * Where earlier harness versions kept one Rust target folder per task and grading slot (`<task>-<k>`,
 * each with a `<task>-<k>.lock` naming its owner's pid). Gradings no longer keep any.
 */
export function staleTargetsRoot(cacheDir: string): string {
  return path.join(cacheDir, 'rust-target');
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
    releaseLock(lock);
  }
  try {
    rmdirSync(root); // only when nothing is left
  } catch {
    // Kept folders (or locks of live owners) remain.
  }
  return { removed, kept };
}

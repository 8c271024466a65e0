import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { alive, releaseLock, takeLockWaiting } from './locks.js';

/**
 * A cache entry in use by this process. Pruning (`prune.ts`, possibly in another process) never removes
 * an entry a live process holds; the entry's last use is when a hold was last taken or released.
 *
 * On disk, beside the entry `E`: `E.holders/<pid>` per holding process (its folder's mtime is the last
 * use) and `E.gate`, a lock taken for the moment of registering or of moving the entry away, so a hold
 * and a removal never interleave.
 */
export interface CacheHold {
  dir: string;
  release(): void;
}

export const holdersDir = (dir: string): string => `${dir}.holders`;
export const gateLock = (dir: string): string => `${dir}.gate`;
/** Registering waits at most this long for a pruner's rename (milliseconds in practice). */
const GATE_WAIT_MS = 5_000;

/** Entries this process holds, with how many holds each (gradings in parallel share one registration). */
const held = new Map<string, number>();

function register(dir: string): void {
  try {
    mkdirSync(holdersDir(dir), { recursive: true });
    const gate = takeLockWaiting(gateLock(dir), GATE_WAIT_MS);
    try {
      writeFileSync(path.join(holdersDir(dir), String(process.pid)), '');
    } finally {
      if (gate) releaseLock(gateLock(dir));
    }
  } catch {
    // A cache that cannot record holds only loses the protection from a concurrent prune.
  }
}

function unregister(dir: string): void {
  try {
    unlinkSync(path.join(holdersDir(dir), String(process.pid)));
  } catch {
    // Already gone (a concurrent prune cleared a holders folder it found stale).
  }
}

/** Marks `dir` (a cache entry, which may not exist yet) as in use by this process until released. */
export function holdEntry(dir: string): CacheHold {
  const count = held.get(dir) ?? 0;
  if (count === 0) register(dir);
  held.set(dir, count + 1);
  let released = false;
  return {
    dir,
    release() {
      if (released) return;
      released = true;
      const left = (held.get(dir) ?? 1) - 1;
      if (left > 0) return void held.set(dir, left);
      held.delete(dir);
      unregister(dir);
    },
  };
}

/** Whether a live process (this one included) holds `dir`. Never throws. */
export function isHeld(dir: string): boolean {
  if (held.has(dir)) return true;
  let pids: string[];
  try {
    pids = readdirSync(holdersDir(dir));
  } catch {
    return false;
  }
  return pids.some((p) => /^\d+$/.test(p) && alive(Number(p)));
}

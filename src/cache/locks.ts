import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { readSmallFileSync } from '../grade/safe-read.js';

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `lock` (a small file holding a pid) names a live process. Never blocks on a FIFO in its place. */
export function lockOwnerAlive(lock: string): boolean {
  const owner = Number(readSmallFileSync(lock, 64)?.trim() ?? '');
  return Number.isInteger(owner) && owner > 0 && alive(owner);
}

/**
 * Takes `lock` (a small file holding the owner's pid), taking a dead owner's lock over; false while a
 * live process holds it, or when the lock cannot be made. Never blocks on a FIFO planted in its place:
 * a lock is a small regular file or it is no lock.
 */
export function takeLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      if (lockOwnerAlive(lock)) return false;
      try {
        unlinkSync(lock); // the owner died without releasing it
      } catch {
        return false; // another process took it over first
      }
    }
  }
  return false;
}

/** Releases a lock taken with `takeLock`; never throws. */
export function releaseLock(lock: string): void {
  try {
    unlinkSync(lock);
  } catch {
    // Already gone.
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * `takeLock`, waiting up to `waitMs` for a live owner to let go. The locks taken this way (a cache
 * entry's gate) are held for a rename or a file creation, milliseconds, so a short synchronous wait
 * keeps callers simple.
 */
export function takeLockWaiting(lock: string, waitMs: number): boolean {
  const until = Date.now() + waitMs;
  for (;;) {
    if (takeLock(lock)) return true;
    if (Date.now() >= until) return false;
    Atomics.wait(sleeper, 0, 0, 10);
  }
}

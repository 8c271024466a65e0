import { closeSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { readSmallFileSync } from './safe-read.js';

export interface DirLease {
  dir: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>.lock` (a small file holding the owner's pid), taking a dead owner's lock over; false
 * while a live process holds it, or when the lock cannot be made. Never blocks on a FIFO planted in its
 * place: a lock is a small regular file or it is no lock.
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
      const owner = Number(readSmallFileSync(lock, 64)?.trim() ?? '');
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) return false;
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

/**
 * Leases one of the build folders `<base>-0`, `<base>-1`, … exclusively, across threads of this process
 * and across processes (`takeLock`). Test binaries have the same name in every workspace, so two
 * gradings sharing a build folder could run each other's binaries: a wrong verdict. Leased folders stay
 * warm for the next grading (Go's content-keyed GOCACHE).
 */
export function leaseDir(base: string): DirLease {
  mkdirSync(path.dirname(base), { recursive: true });
  for (let k = 0; k < 1024; k++) {
    const dir = `${base}-${k}`;
    const lock = `${dir}.lock`;
    if (!takeLock(lock)) continue;
    mkdirSync(dir, { recursive: true });
    return { dir, release: () => releaseLock(lock) };
  }
  throw new Error(`no free build folder under ${base}`);
}

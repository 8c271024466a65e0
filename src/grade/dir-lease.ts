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
 * Leases one of the build folders `<base>-0`, `<base>-1`, … exclusively, across threads of this process
 * and across processes (a lock file holding the owner's pid; a dead owner's lock is taken over).
 * Rust test binaries have the same name in every workspace, so two gradings sharing a target folder
 * could run each other's binaries: a wrong verdict. Leased folders stay warm for the next grading.
 */
export function leaseDir(base: string): DirLease {
  mkdirSync(path.dirname(base), { recursive: true });
  let takeovers = 0;
  for (let k = 0; k < 1024; k++) {
    const dir = `${base}-${k}`;
    const lock = `${dir}.lock`;
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSafe(lock));
      if ((Number.isInteger(owner) && owner > 0 && alive(owner)) || ++takeovers > 16) continue;
      try {
        unlinkSync(lock); // the owner died without releasing it
      } catch {
        // Another process took it over first.
      }
      k--;
      continue;
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    mkdirSync(dir, { recursive: true });
    return {
      dir,
      release: () => {
        try {
          unlinkSync(lock);
        } catch {
          // Already gone.
        }
      },
    };
  }
  throw new Error(`no free build folder under ${base}`);
}

/** A lock's owner pid; '' when the lock is absent, or not a small regular file (never blocks on a FIFO). */
function readFileSafe(file: string): string {
  return readSmallFileSync(file, 64)?.trim() ?? '';
}

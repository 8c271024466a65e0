import { execFile } from 'node:child_process';

/** A folder whose disk use is capped while a step runs (hosts without size-limited tmpfs). */
export interface DiskWatch {
  dir: string;
  maxBytes: number;
}

/**
 * The disk use of `dir` in bytes, from `du` (which walks with relative paths, so trees deeper than
 * PATH_MAX are measured too, and never follows symlinks); null when `du` could not say in time.
 * Unreadable sub-folders are skipped by `du`, which still prints the total it could measure.
 */
export function diskUse(dir: string, timeoutMs = 10_000): Promise<number | null> {
  return new Promise((resolve) => {
    execFile(
      'du',
      ['-sk', '-x', '--', dir],
      { timeout: timeoutMs, killSignal: 'SIGKILL' },
      (_err, stdout) => {
        const kib = Number(/^(\d+)\s/.exec(stdout)?.[1]);
        resolve(Number.isFinite(kib) ? kib * 1024 : null);
      },
    );
  });
}

/**
 * Polls the disk use of `watch.dir` every `intervalMs` and calls `onExceeded` once when it passes
 * `watch.maxBytes` (a multi-file disk bomb, which the per-file size rlimit does not stop). Returns a
 * function that stops the polling. A poll still running when the next is due is not doubled.
 */
export function watchDiskUse(watch: DiskWatch, onExceeded: () => void, intervalMs = 1000): () => void {
  let stopped = false;
  let busy = false;
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    void diskUse(watch.dir).then((bytes) => {
      busy = false;
      if (stopped || bytes === null || bytes <= watch.maxBytes) return;
      stopped = true;
      clearInterval(timer);
      onExceeded();
    });
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

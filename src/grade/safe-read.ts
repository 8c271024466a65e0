import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** What reading a file the sandbox could touch gave: its text, or why the harness refused it. */
export type SafeRead = { ok: true; text: string } | { ok: false; problem: string };

export interface SafeReadLimits {
  /** Larger files are refused without being read. */
  maxBytes: number;
  /** A read still pending after this long is abandoned (a stalled file system). */
  timeoutMs: number;
}

/**
 * Never follows a symlink in the last component, never blocks on a FIFO (O_NONBLOCK opens it at once,
 * and it is then refused as not a regular file).
 */
const HOSTILE_OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function describeOpenError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'ELOOP') return 'it is a symbolic link';
  return `it cannot be opened (${code ?? String(err)})`;
}

function describeKind(stat: { isFile(): boolean; isFIFO(): boolean; isDirectory(): boolean }): string {
  if (stat.isFIFO()) return 'it is a named pipe (FIFO), not a regular file';
  if (stat.isDirectory()) return 'it is a directory, not a regular file';
  return 'it is not a regular file (a device or socket)';
}

/**
 * Reads a file that untrusted code may have replaced (a FIFO, a symlink to /dev/zero, a huge or
 * growing file) without ever hanging or running out of memory: opened with O_NOFOLLOW | O_NONBLOCK,
 * required to be a regular file under `maxBytes`, read asynchronously under a deadline, and never
 * more than `maxBytes + 1` bytes even if the file grows while it is read.
 */
export async function readHostileFile(file: string, limits: SafeReadLimits): Promise<SafeRead> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, HOSTILE_OPEN_FLAGS);
  } catch (err) {
    return { ok: false, problem: describeOpenError(err) };
  }
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const deadline = new Promise<SafeRead>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      resolve({ ok: false, problem: `reading it took longer than ${limits.timeoutMs} ms` });
    }, limits.timeoutMs);
  });
  const read = (async (): Promise<SafeRead> => {
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, problem: describeKind(stat) };
    if (stat.size > limits.maxBytes)
      return { ok: false, problem: `it is ${stat.size} bytes, over the ${limits.maxBytes}-byte limit` };
    const buf = Buffer.alloc(limits.maxBytes + 1);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
      if (!bytesRead) break;
      got += bytesRead;
    }
    if (got > limits.maxBytes)
      return { ok: false, problem: `it grew past the ${limits.maxBytes}-byte limit` };
    return { ok: true, text: buf.subarray(0, got).toString('utf8') };
  })();
  try {
    return await Promise.race([read, deadline]);
  } catch (err) {
    return {
      ok: false,
      problem: `reading it failed (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    };
  } finally {
    clearTimeout(timer);
    read.catch(() => {});
    // A FileHandle closes only once its pending reads are done: after a timeout, do not wait for that.
    const closing = handle.close().catch(() => {});
    if (!timedOut) await closing;
  }
}

/**
 * Synchronous twin of {@link readHostileFile} for tiny harness files (lock files holding a pid) that
 * another process may have replaced: same flags and checks; null when refused or absent.
 */
export function readSmallFileSync(file: string, maxBytes: number): string | null {
  let fd: number;
  try {
    fd = openSync(file, HOSTILE_OPEN_FLAGS);
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) return null;
    const buf = Buffer.alloc(maxBytes + 1);
    let got = 0;
    for (let n = 1; n > 0 && got < buf.length; got += n) n = readSync(fd, buf, got, buf.length - got, got);
    return got > maxBytes ? null : buf.subarray(0, got).toString('utf8');
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

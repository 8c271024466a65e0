import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AttemptRecord, TrialRecord } from '../results/schema.js';

/** Replies shorter than this stay on the heap: the accessor that replaces one costs about as much. */
const MIN_SPOOLED_CHARS = 1024;
/** The read buffer kept for the run grows to the longest reply up to this; longer ones get their own. */
const MAX_SCRATCH_BYTES = 1024 * 1024;

/**
 * Finished trials' replies, held in a temp file instead of the heap. A reply is most of what a trial
 * leaves behind (kilobytes of code per attempt, against a few hundred bytes of verdict and cost), and
 * a run keeps every finished trial until results.json and report.html are written. Spooled, what a
 * run holds grows by a verdict per trial, not by everything its models wrote.
 *
 * A spooled attempt's `reply` becomes an accessor that reads the text back on each use, so everything
 * that reads results (JSON.stringify, the schema, the reports) sees the same object shape. The file is
 * unlinked as soon as it is opened: it lives while the descriptor does, and a crash leaves nothing on
 * disk. Nothing here throws on write: a reply that cannot be spooled stays where it was.
 */
export class ReplySpool {
  private fd: number | null = null;
  private size = 0;
  private scratch = Buffer.alloc(0);
  /** Attempts whose reply lives in the file, to put back on the heap at `release`. */
  private readonly spooled: AttemptRecord[] = [];

  constructor(tmpRoot: string = os.tmpdir()) {
    try {
      const dir = mkdtempSync(path.join(tmpRoot, 'aibench-replies-'));
      const file = path.join(dir, 'replies');
      this.fd = openSync(file, 'w+', 0o600);
      unlinkSync(file);
      rmSync(dir, { recursive: true, force: true });
    } catch {
      this.fd = null; // no temp space: replies stay on the heap, as they did before the spool
    }
  }

  /** Moves the trial's replies to the spool. */
  hold(record: TrialRecord): void {
    for (const attempt of record.attempts) this.spool(attempt);
  }

  /** Puts every reply back on the heap as a plain property and closes the file. Never throws. */
  release(): void {
    for (const attempt of this.spooled) {
      const descriptor = Object.getOwnPropertyDescriptor(attempt, 'reply');
      if (!descriptor?.get) continue; // reassigned since: already plain
      let text: string | null;
      try {
        text = attempt.reply;
      } catch {
        text = null; // unreadable (the journal still holds it): a release must not fail the run's end
      }
      setPlain(attempt, text);
    }
    this.spooled.length = 0;
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed: nothing to free
      }
      this.fd = null;
    }
  }

  private spool(attempt: AttemptRecord): void {
    if (this.fd === null || Object.getOwnPropertyDescriptor(attempt, 'reply')?.get) return; // or spooled already
    const text = attempt.reply;
    if (text === null || text.length < MIN_SPOOLED_CHARS) return;
    // UTF-16 as JavaScript holds it: a hostile reply's lone surrogate comes back as it went in (UTF-8
    // would turn it into U+FFFD, and results.json would then differ from the journal). Written from the
    // string itself: a Buffer per reply would sit outside the heap until a collection freed it.
    const length = text.length * 2;
    const at = this.size;
    try {
      if (writeSync(this.fd, text, at, 'utf16le') !== length) return; // short: keep it on the heap
    } catch {
      return; // disk full or gone: this reply stays on the heap
    }
    this.size += length;
    // No reference to `text` in the accessor's closure: that would keep the reply alive.
    Object.defineProperty(attempt, 'reply', {
      enumerable: true,
      configurable: true,
      get: () => this.readBack(at, length),
      set: (value: string | null) => setPlain(attempt, value),
    });
    this.spooled.push(attempt);
  }

  /** Reads a reply back through one scratch buffer, reused: a read allocates only the string. */
  private readBack(at: number, length: number): string {
    if (this.fd === null) throw new Error('a spooled reply was read after the spool was released');
    // A hostile megabyte reply gets a buffer of its own rather than growing the one kept for the run.
    if (this.scratch.length < length && length <= MAX_SCRATCH_BYTES)
      this.scratch = Buffer.allocUnsafe(
        Math.min(MAX_SCRATCH_BYTES, Math.max(length, this.scratch.length * 2)),
      );
    const buf = length <= this.scratch.length ? this.scratch : Buffer.allocUnsafe(length);
    for (let done = 0; done < length;) {
      const n = readSync(this.fd, buf, done, length - done, at + done);
      if (n === 0) throw new Error('a spooled reply was cut short (its temp file shrank)');
      done += n;
    }
    return buf.toString('utf16le', 0, length);
  }
}

function setPlain(attempt: AttemptRecord, value: string | null): void {
  Object.defineProperty(attempt, 'reply', { value, enumerable: true, configurable: true, writable: true });
}

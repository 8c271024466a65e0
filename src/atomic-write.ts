import { closeSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** Writes a file whole or not at all (temp + rename), so a crash never leaves half a results file. */
export function writeAtomic(file: string, content: string): void {
  writeAtomicPieces(file, [content]);
}

/** Pieces are gathered into writes of about this many characters: few syscalls, little memory. */
const CHUNK_CHARS = 1 << 16;

/**
 * `writeAtomic` for content made piece by piece (`resultsJsonPieces`): only one chunk is ever held, so
 * a file of tens of MB costs no more memory than a small one. On any failure, including a piece that
 * throws (a trial that fails validation), the temp file is removed and `file` is left as it was.
 */
export function writeAtomicPieces(file: string, pieces: Iterable<string>): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    let chunk = '';
    for (const piece of pieces) {
      chunk += piece;
      if (chunk.length < CHUNK_CHARS) continue;
      writeFileSync(fd, chunk);
      chunk = '';
    }
    if (chunk) writeFileSync(fd, chunk);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
}

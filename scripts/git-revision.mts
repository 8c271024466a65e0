// A git revision of this repository exported to a temp folder, with this checkout's node_modules linked
// in, so a benchmark can load or run the "before" code beside the "after" code in one run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..');

/** The short hash of `rev` in this repository. */
export function shortRev(rev: string): string {
  return execFileSync('git', ['-C', repoRoot, 'rev-parse', '--short', rev], { encoding: 'utf8' }).trim();
}

/** This checkout's name in a table: its short hash, `+dirty` when it has uncommitted changes. */
export function checkoutName(): string {
  const dirty = execFileSync('git', ['-C', repoRoot, 'status', '--porcelain'], { encoding: 'utf8' }).trim();
  return `${shortRev('HEAD')}${dirty ? '+dirty' : ''}`;
}

/** Exports `rev` (the caller removes the folder). */
export function exportRevision(rev: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aibench-before-'));
  execFileSync('sh', ['-c', `git -C '${repoRoot}' archive '${rev}' | tar -x -C '${root}'`]);
  symlinkSync(realpathSync(path.join(repoRoot, 'node_modules')), path.join(root, 'node_modules'));
  return root;
}

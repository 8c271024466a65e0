import { applyPatch, createTwoFilesPatch, parsePatch } from 'diff';
import type { FileMap } from './files.js';

/** The file a mutant stores its change in, relative to `mutants/<name>/`. */
export const MUTANT_PATCH = 'patch.diff';

const NO_FILE = '/dev/null';

function stripPrefix(name: string | undefined): string | null {
  if (!name || name === NO_FILE) return null;
  // Git-style `a/` and `b/` prefixes; a tab-separated timestamp header is not part of the name.
  return name.split('\t')[0]!.replace(/^[ab]\//, '');
}

/**
 * Applies a mutant's unified diff to the reference solution (in memory) and returns the mutant's files:
 * the reference with every patched file replaced, created or deleted. The base of a path is the
 * reference's file, else the starter's. Throws with a one-line reason when a hunk does not apply, so a
 * reference change that breaks a mutant is reported instead of silently grading the reference.
 */
export function applyMutantPatch(patchText: string, reference: FileMap, starter: FileMap): FileMap {
  const files: FileMap = new Map(reference);
  const patches = parsePatch(patchText);
  if (!patches.length || patches.every((p) => !p.hunks.length)) throw new Error('the patch changes nothing');
  for (const p of patches) {
    if (!p.hunks.length) continue;
    const from = stripPrefix(p.oldFileName);
    const to = stripPrefix(p.newFileName);
    const rel = to ?? from;
    if (!rel) throw new Error('a patch section names no file');
    const base = from === null ? '' : (reference.get(from) ?? starter.get(from));
    if (base === undefined) throw new Error(`${from}: not a file of the reference or the starter`);
    const patched = applyPatch(base, p);
    if (patched === false) throw new Error(`${rel}: a hunk does not apply (did the reference change?)`);
    if (to === null) files.delete(from!);
    else files.set(to, patched);
  }
  return files;
}

/**
 * The unified diff that turns the reference (over the starter) into `mutant` (over the starter):
 * one section per changed, added or removed path. Empty when they are the same.
 */
export function createMutantPatch(reference: FileMap, starter: FileMap, mutant: FileMap): string {
  const base: FileMap = new Map([...starter, ...reference]);
  const target: FileMap = new Map([...starter, ...mutant]);
  const paths = [...new Set([...base.keys(), ...target.keys()])].sort();
  let out = '';
  for (const rel of paths) {
    const before = base.get(rel);
    const after = target.get(rel);
    if (before === after) continue;
    out += createTwoFilesPatch(
      before === undefined ? NO_FILE : `a/${rel}`,
      after === undefined ? NO_FILE : `b/${rel}`,
      before ?? '',
      after ?? '',
      undefined,
      undefined,
      { context: 3 },
    ).replace(/^=+\n/m, '');
  }
  return out;
}

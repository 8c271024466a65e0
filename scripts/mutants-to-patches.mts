// Converts full-copy mutants (mutants/<m>/<files…> + why.md) into `mutants/<m>/patch.diff` over the
// reference, and proves each patch reproduces the copy exactly (starter + patched reference ==
// starter + copy) before it deletes the copied files. Idempotent: patch mutants are left alone.
//   npx tsx scripts/mutants-to-patches.mts [--root tasks] [--dry-run]
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { builtinTasksRoot, loadTasks } from '../src/tasks/loader.js';
import type { FileMap } from '../src/tasks/files.js';
import { applyMutantPatch, createMutantPatch, MUTANT_PATCH } from '../src/tasks/mutant-patch.js';

const { values } = parseArgs({
  options: { root: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
});
const root = values.root ?? builtinTasksRoot();

function sameTree(a: FileMap, b: FileMap): boolean {
  return a.size === b.size && [...a].every(([rel, content]) => b.get(rel) === content);
}

let converted = 0;
let failed = 0;
for (const task of loadTasks([root])) {
  for (const mutant of task.mutants) {
    if (mutant.stored === 'patch') continue;
    const dir = path.join(task.dir, 'mutants', mutant.name);
    const patch = createMutantPatch(task.reference, task.starter, mutant.files);
    const expected: FileMap = new Map([...task.starter, ...mutant.files]);
    let ok = false;
    try {
      ok =
        patch !== '' &&
        sameTree(
          new Map([...task.starter, ...applyMutantPatch(patch, task.reference, task.starter)]),
          expected,
        );
    } catch (err) {
      console.error(`${task.key} ${mutant.name}: ${(err as Error).message}`);
    }
    if (!ok) {
      failed++;
      console.error(`${task.key} ${mutant.name}: the patch does not reproduce the copy; left as it is`);
      continue;
    }
    const lines = patch.split('\n').filter((l) => /^[+-](?![+-]{2} )/.test(l)).length;
    console.log(
      `${task.key} ${mutant.name}: ${mutant.files.size} files -> ${MUTANT_PATCH} (${lines} changed lines)`,
    );
    if (values['dry-run']) continue;
    for (const rel of mutant.files.keys()) rmSync(path.join(dir, rel));
    // Remove folders the copy left empty (src/, src/pages/ …).
    for (const rel of [...mutant.files.keys()]
      .map((r) => path.dirname(r))
      .sort((a, b) => b.length - a.length)) {
      if (rel !== '.') rmSync(path.join(dir, rel), { recursive: true, force: true });
    }
    writeFileSync(path.join(dir, MUTANT_PATCH), patch);
    converted++;
  }
}
console.log(`${converted} converted, ${failed} left as copies`);
process.exit(failed ? 1 : 0);

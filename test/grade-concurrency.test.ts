import { describe, expect, it } from 'vitest';
import { gradeFiles } from '../src/grade/grade.js';
import { prepareGrading } from '../src/run/environment.js';
import { miniTask } from './support/run-helpers.js';

describe('concurrent gradings of one task', () => {
  it('never see each other’s build: every verdict belongs to its own submission', async () => {
    const task = miniTask();
    const { env } = await prepareGrading([task], process.env, () => {});
    const mutant = task.mutants.find((m) => m.name === 'no-swap')!.files;
    // Same slot on purpose: a harness (or two processes) grading the same task at once must not share
    // a Rust target folder, where test binaries have the same names whatever the workspace.
    const subjects = [task.reference, mutant, task.reference, mutant, task.reference, mutant];
    const results = await Promise.all(
      subjects.map((files) => gradeFiles(task, files, { env, slot: 0, feedbackChars: 4000 })),
    );
    expect(results.map((r) => r.outcome)).toEqual(['pass', 'test', 'pass', 'test', 'pass', 'test']);
  });
});

import { describe, expect, it } from 'vitest';
import { checkRequirementMaps, validateTasks } from '../src/run/validate.js';
import { builtinTasksRoot, loadTasks, selectTasks } from '../src/tasks/loader.js';

/**
 * The benchmark's own proof, with the real toolchains: every shipped reference passes and every mutant
 * fails with the class (and in the tests) its why.md names. A grader that passes broken code or fails
 * correct code would make every published number a lie.
 */
/** The levels each suite ships, and the fewest graded items (mutants and probes) validate must see. */
const SHIPPED: Record<string, { levels: number[]; items: number }> = {
  rust: { levels: [1, 2, 3, 4, 5], items: 21 },
  react: { levels: [1, 2, 3, 4, 5], items: 21 },
  python: { levels: [1, 2, 3, 4, 5], items: 21 },
  go: { levels: [1, 2, 3, 4, 5], items: 43 },
};

describe.each(Object.keys(SHIPPED))('the %s suite', (suite) => {
  // About 85 mutants per suite (one or more per requirement of every prompt): allow for a loaded machine.
  it('separates references from mutants', { timeout: 2_400_000 }, async () => {
    const tasks = selectTasks(loadTasks([builtinTasksRoot()]), [suite], undefined);
    expect(tasks.map((t) => t.level)).toEqual(SHIPPED[suite]!.levels);
    const items = await validateTasks(tasks, { feedbackChars: 4000, concurrency: 2 });
    const offenders = items.filter((i) => !i.ok).map((i) => `${i.task} ${i.subject}: ${i.detail}`);
    expect(offenders).toEqual([]);
    // Every requirement of every prompt is tested, and a mutant was seen failing that test.
    expect(
      checkRequirementMaps(tasks, items).flatMap((c) => c.problems.map((p) => `${c.task} ${p}`)),
    ).toEqual([]);
    const refs = items.filter((i) => i.subject === 'reference');
    expect(refs).toHaveLength(SHIPPED[suite]!.levels.length);
    expect(items.length - refs.length).toBeGreaterThanOrEqual(SHIPPED[suite]!.items);
    for (const task of tasks) {
      const minimum = task.level === 1 ? 3 : task.level === 5 && suite === 'rust' ? 5 : 4;
      expect(task.mutants.length, task.key).toBeGreaterThanOrEqual(minimum);
    }
  });
});

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SETTINGS } from '../../src/config/load.js';
import { configFileSchema, type RunSettings } from '../../src/config/schema.js';
import { formatFiles } from '../../src/prompt/format-files.js';
import { runBenchmark, type RunOptions } from '../../src/run/run.js';
import { loadTasks, type Task } from '../../src/tasks/loader.js';
import type { GradeEnv } from '../../src/grade/toolchains/types.js';
import { prepareGrading } from '../../src/run/environment.js';
import { removeTree } from '../../src/grade/remove-tree.js';

export const FIXTURE_TASKS = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'tasks',
);

export function miniTask(): Task {
  return loadTasks([FIXTURE_TASKS]).find((t) => t.key === 'mini/L1-clamp')!;
}

/** A model reply carrying the task's reference (or a mutant) the way the output contract asks. */
export function replyWith(task: Task, which: 'reference' | string): string {
  const files = which === 'reference' ? task.reference : task.mutants.find((m) => m.name === which)!.files;
  return `Here is my solution.\n\n${formatFiles(files)}\n`;
}

export function tempDir(prefix = 'aibench-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs the real pipeline on the mini task with the given models and env (mock servers' base URLs). */
export function runMini(
  models: string[],
  env: NodeJS.ProcessEnv,
  settings: Partial<RunSettings> = {},
  extra: Partial<RunOptions> = {},
) {
  return runBenchmark({
    models,
    tasks: ['mini/L1-clamp'],
    tasksPaths: [FIXTURE_TASKS],
    builtinTasks: false,
    settings: { ...DEFAULT_SETTINGS, gradeConcurrency: 1, retries: 2, ...settings },
    config: configFileSchema.parse({}),
    out: tempDir(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, AIBENCH_RETRY_BASE_MS: '10', ...env },
    ...extra,
  });
}

/**
 * A grading environment for `tasks` with a cache folder of its own, prepared in `beforeAll` and
 * removed in `afterAll`: `get()` returns it inside a test.
 */
export function gradingEnvFor(
  tasks: Task[],
  hooks: { beforeAll: (fn: () => Promise<void>) => void; afterAll: (fn: () => Promise<void>) => void },
): { get: () => GradeEnv } {
  let cache = '';
  let env: GradeEnv | undefined;
  hooks.beforeAll(async () => {
    cache = tempDir('aibench-grade-cache-');
    ({ env } = await prepareGrading(tasks, { ...process.env, AIBENCH_CACHE: cache }, () => {}));
  });
  hooks.afterAll(async () => {
    if (cache) await removeTree(cache);
  });
  return {
    get: () => {
      if (!env) throw new Error('gradingEnvFor: used before beforeAll ran');
      return env;
    },
  };
}

import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { TrialRecord } from '../results/schema.js';
import type { Task } from '../tasks/loader.js';
import { writeAtomic } from '../atomic-write.js';

/**
 * Scheduling: which waiting model request or grading goes next. Two rules, expressed as one priority
 * number for `Pool`:
 *  - a retry (attempt 2+) of a started trial goes before any trial's first attempt: a started trial is
 *    a chain whose remaining length only grows while it waits, and its conversation is held in memory;
 *  - among equals, the task whose grading is expected to take longest goes first (longest processing
 *    time first), so the run does not end on one long grading (rust/L5's ThreadSanitizer check) on one
 *    core while the others idle.
 */
const RETRY = 1e12;

export function schedulePriority(expectedGradeMs: number, attempt: number): number {
  return (attempt > 1 ? RETRY : 0) + expectedGradeMs;
}

/**
 * What one attempt's grading is expected to cost when this machine has not timed the task yet,
 * from its toolchain and level: a React grading is a typecheck and one vitest run (a few seconds); a
 * Rust one compiles the crate and its tests, longer at higher levels; ThreadSanitizer rebuilds the
 * standard library instrumented and stresses the code (25–38 s measured on 2 cores). Only the order
 * matters: a run that has timed a task uses the measured median instead.
 */
export function declaredGradeMs(task: Task): number {
  switch (task.suite.toolchain) {
    case 'node':
      return 2_000 + 400 * task.level;
    // pytest on a few modules: 1.7–5 s per reference grading measured on 2 cores.
    case 'python':
      return 1_500 + 500 * task.level;
    // go vet + go test -c, then the tests; the race detector reruns them instrumented (4–10 s measured).
    case 'go':
      return 3_000 + 1_000 * task.level + (task.checks.some((c) => c.kind === 'race') ? 5_000 : 0);
    case 'rust':
      return 4_000 + 1_500 * task.level + (task.checks.some((c) => c.kind === 'tsan') ? 25_000 : 0);
  }
}

export const GRADE_TIMES_FILE = 'grade-times.json';

const timesSchema = z.object({
  version: z.literal(1),
  tasks: z.record(z.string(), z.object({ hash: z.string(), ms: z.number().nonnegative() })),
});
type GradeTimes = z.infer<typeof timesSchema>;

function readTimes(cacheDir: string): GradeTimes {
  try {
    return timesSchema.parse(JSON.parse(readFileSync(path.join(cacheDir, GRADE_TIMES_FILE), 'utf8')));
  } catch {
    // Missing or unreadable: the declared estimates serve.
    return { version: 1, tasks: {} };
  }
}

/**
 * Expected grading time per task: the time an earlier run on this machine measured for the same task
 * content (its hash), else the declared estimate.
 */
export function gradeEstimates(tasks: Task[], cacheDir: string): (task: Task) => number {
  const times = readTimes(cacheDir);
  const byKey = new Map(
    tasks.map((t) => {
      const seen = times.tasks[t.key];
      return [t.key, seen && seen.hash === t.hash ? seen.ms : declaredGradeMs(t)];
    }),
  );
  return (task) => byKey.get(task.key) ?? declaredGradeMs(task);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Records this run's median grading time per task for the next run's schedule (averaged with what was
 * known, so one noisy run does not swing it). Best effort: a cache that cannot be written changes
 * only the next run's order.
 */
export function recordGradeTimes(cacheDir: string, tasks: Task[], trials: TrialRecord[]): void {
  const byTask = new Map<string, number[]>();
  for (const t of trials)
    for (const a of t.attempts)
      if (a.outcome !== 'infra' && a.gradeMs > 0) {
        const list = byTask.get(t.task) ?? [];
        list.push(a.gradeMs);
        byTask.set(t.task, list);
      }
  if (!byTask.size) return;
  const times = readTimes(cacheDir);
  for (const task of tasks) {
    const ms = byTask.get(task.key);
    if (!ms) continue;
    const seen = times.tasks[task.key];
    const now = median(ms);
    times.tasks[task.key] = {
      hash: task.hash,
      ms: Math.round(seen && seen.hash === task.hash ? (seen.ms + now) / 2 : now),
    };
  }
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeAtomic(path.join(cacheDir, GRADE_TIMES_FILE), `${JSON.stringify(times, null, 2)}\n`);
  } catch {
    // Best effort (see above).
  }
}

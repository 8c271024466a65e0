import { gradeFiles } from '../grade/grade.js';
import type { GradeResult } from '../grade/types.js';
import type { Task } from '../tasks/loader.js';
import { allowProbeJobs, probeVerdict } from './allow-probes.js';
import {
  staticRequirementProblems,
  unprovenRequirements,
  type CoverageSubject,
} from '../tasks/requirements.js';
import { cacheLimit } from '../cache/limit.js';
import { releaseAndPrune } from '../cache/run-end.js';
import { prepareGrading } from './environment.js';
import { Pool } from './pool.js';
import { defaultGradeConcurrency } from '../config/load.js';

export interface ValidationItem {
  task: string;
  /** `reference`, `mutant:<name>` or `probe:<rule id>`. */
  subject: string;
  ok: boolean;
  /** What was expected vs what happened, one line. */
  detail: string;
  gradeMs: number;
  result: GradeResult;
}

/** `fails` names failing hidden tests (class test) or the failing step (class build / check). */
function failingNames(result: GradeResult): string[] {
  return [...result.failingTests, ...result.steps.filter((s) => !s.ok).map((s) => s.name)];
}

/** Pure: does a grading result meet a mutant's expectation (class, and the named failing tests)? */
export function mutantVerdict(
  result: GradeResult,
  expect: { class: string; fails?: string[] },
): { ok: boolean; detail: string } {
  if (result.outcome === 'pass')
    return { ok: false, detail: 'PASSED — the hidden tests do not catch this mistake' };
  if (result.outcome !== expect.class)
    return { ok: false, detail: `failed as ${result.outcome}, expected ${expect.class}` };
  const failing = failingNames(result);
  const missing = (expect.fails ?? []).filter((f) => !failing.some((name) => name.includes(f)));
  if (missing.length) {
    return {
      ok: false,
      detail: `failed as ${result.outcome}, but not in: ${missing.join('; ')} (failing: ${failing.join('; ') || 'none'})`,
    };
  }
  return {
    ok: true,
    detail: `fails as ${result.outcome}${expect.fails?.length ? ` in ${expect.fails.join(', ').slice(0, 120)}` : ''}`,
  };
}

/**
 * The suite's self-check: every reference must pass, every mutant must fail the way its why.md says,
 * and every tamper rule the task does not allow must refuse the reference with that capability added.
 * Grades through the same workspace, toolchain and verdict code as a model's reply.
 */
export async function validateTasks(
  tasks: Task[],
  opts: {
    env?: NodeJS.ProcessEnv;
    feedbackChars: number;
    concurrency?: number;
    log?: (line: string) => void;
    onItem?: (item: ValidationItem) => void;
    /** `--cache-limit`: the cache is pruned to it at the end (default AIBENCH_CACHE_LIMIT, else 4GB). */
    cacheLimit?: string;
  },
): Promise<ValidationItem[]> {
  const log = opts.log ?? (() => {});
  const limitBytes = cacheLimit(opts.env ?? process.env, opts.cacheLimit);
  const { env } = await prepareGrading(tasks, opts.env ?? process.env, log);
  const pool = new Pool(opts.concurrency ?? defaultGradeConcurrency());
  const jobs = tasks.flatMap((task) => [
    {
      task,
      subject: 'reference',
      files: task.reference,
      expect: null as null | { class: string; fails?: string[] },
      probe: null as string | null,
    },
    ...task.mutants.map((m) => ({
      task,
      subject: `mutant:${m.name}`,
      files: m.files,
      expect: m.expect,
      probe: null,
    })),
    // The allow-list is minimal: each capability the task does not lift is refused by the scan.
    ...allowProbeJobs(task).map((p) => ({
      task,
      subject: p.subject,
      files: p.files,
      expect: null,
      probe: p.rule,
    })),
  ]);
  const items = await Promise.all(
    jobs.map((job) =>
      pool.use(async (slot) => {
        const result = await gradeFiles(job.task, job.files, {
          env,
          slot,
          feedbackChars: opts.feedbackChars,
        });
        const verdict = job.probe
          ? probeVerdict(result, job.probe)
          : job.expect
            ? mutantVerdict(result, job.expect)
            : result.outcome === 'pass'
              ? { ok: true, detail: `passes (${result.tests?.passed ?? 0} tests)` }
              : {
                  ok: false,
                  detail: `FAILED as ${result.outcome}: ${(result.feedback ?? '').split('\n').slice(0, 6).join(' ').slice(0, 400)}`,
                };
        const item: ValidationItem = {
          task: job.task.key,
          subject: job.subject,
          ...verdict,
          gradeMs: result.gradeMs,
          result,
        };
        opts.onItem?.(item);
        return item;
      }),
    ),
  );
  await releaseAndPrune(env, limitBytes, log);
  return items;
}

/** A task's requirement-map verdict: `problems` empty means every requirement is tested and proven. */
export interface RequirementCoverage {
  task: string;
  /** Requirements in the map (null: the task has no REQUIREMENTS.md). */
  requirements: number | null;
  unobservable: number;
  problems: string[];
}

/**
 * The steps a requirement may name with `- check:`: the compile step, `test` (the test step as a whole,
 * for a time limit: a stopped run names no single test) and the task's own checks.
 */
function stepNames(task: Task): string[] {
  return [task.suite.toolchain === 'node' ? 'typecheck' : 'build', 'test', ...task.checks.map((c) => c.name)];
}

/**
 * Checks each task's requirement map against the validation it just ran: every requirement names an
 * existing hidden test or check, and at least one of its mutants (whose why.md names that test) was
 * graded and failed it. Pure over the tasks and the validation items.
 */
export function checkRequirementMaps(tasks: Task[], items: ValidationItem[]): RequirementCoverage[] {
  return tasks.map((task) => {
    if (!task.requirements) return { task: task.key, requirements: null, unobservable: 0, problems: [] };
    const subject: CoverageSubject = {
      hiddenTests: task.hiddenTests,
      steps: stepNames(task),
      mutants: new Map(task.mutants.map((m) => [m.name, { fails: m.expect.fails ?? [] }])),
    };
    const graded = new Map(
      items
        .filter((i) => i.task === task.key && i.subject.startsWith('mutant:'))
        .map((i) => [i.subject.slice('mutant:'.length), { met: i.ok, failing: failingNames(i.result) }]),
    );
    return {
      task: task.key,
      requirements: task.requirements.length,
      unobservable: task.requirements.filter((r) => r.unobservable !== null).length,
      problems: [
        ...staticRequirementProblems(task.requirements, subject),
        ...unprovenRequirements(task.requirements, subject, graded),
      ],
    };
  });
}

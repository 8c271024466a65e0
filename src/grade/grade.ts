import os from 'node:os';
import path from 'node:path';
import { oneLine } from '../errors.js';
import { extractFiles } from '../prompt/extract.js';
import type { FileMap } from '../tasks/files.js';
import type { Task } from '../tasks/loader.js';
import { forbiddenPatternViolation } from './checks.js';
import { scanSubmission } from './scan/index.js';
import { composeFeedback, MALFORMED_HINT, bound } from './feedback.js';
import { toolchainFor } from './toolchains/index.js';
import { emptyObservation, type GradeEnv } from './toolchains/types.js';
import type { GradeResult, HarnessFault, Observation } from './types.js';
import { decideOutcome } from './verdict.js';
import { createWorkspace, removeWorkspace, unwritablePath } from './workspace.js';
import { secretLines } from './redact.js';

export interface GradeOptions {
  env: GradeEnv;
  slot: number;
  feedbackChars: number;
  /** Parent folder for workspaces (default: the OS temp dir). */
  workRoot?: string;
  keepWorkspace?: boolean;
}

/** The task's one editable path, when `editable` names exactly one file (no glob). */
export function singleEditablePath(task: Task): string | null {
  return task.editable.length === 1 && !/[*?[\]{}!]/.test(task.editable[0]!) ? task.editable[0]! : null;
}

/** Grades a model reply: extract its files, then grade them. */
export function gradeReply(task: Task, reply: string, opts: GradeOptions): Promise<GradeResult> {
  const extraction = extractFiles(reply, {
    isEditable: task.isEditable,
    knownFiles: [...task.starter.keys()].filter((rel) => task.isEditable(rel)),
    singleEditable: singleEditablePath(task),
  });
  return gradeFiles(task, extraction.files, opts, extraction.rejected);
}

/**
 * Grades files in a fresh workspace with the suite's toolchain, then the task's checks. Only editable
 * paths are used; the rest are reported back as rejected. The verdict comes from parsed results alone.
 */
export async function gradeFiles(
  task: Task,
  files: FileMap,
  opts: GradeOptions,
  rejectedIn: { path: string; reason: string }[] = [],
): Promise<GradeResult> {
  const started = Date.now();
  try {
    return await gradeAccepted(task, files, opts, rejectedIn, started);
  } catch (err) {
    return harnessFailure(files, rejectedIn, err, started);
  }
}

/**
 * A grading the harness itself could not complete (a bug, a host fault): class `infra` for the attempt,
 * with the error recorded, never an exception out of the grading into the run.
 */
function harnessFailure(
  files: FileMap,
  rejected: { path: string; reason: string }[],
  err: unknown,
  started: number,
): GradeResult {
  return {
    outcome: 'infra',
    files: [...files.keys()],
    rejected,
    steps: [],
    tests: null,
    failingTests: [],
    suspect: [],
    feedback: null,
    gradeMs: Date.now() - started,
    harnessFaults: [{ cause: 'harness', message: `grading failed inside the harness: ${oneLine(err)}` }],
  };
}

async function gradeAccepted(
  task: Task,
  files: FileMap,
  opts: GradeOptions,
  rejectedIn: { path: string; reason: string }[],
  started: number,
): Promise<GradeResult> {
  const rejected = [...rejectedIn];
  const accepted: FileMap = new Map();
  const taskFiles = [
    ...task.starter.keys(),
    ...task.hidden.keys(),
    ...(task.suite.fixture?.files.keys() ?? []),
  ];
  for (const [rel, content] of files) {
    const unwritable = task.isEditable(rel) ? unwritablePath(rel, taskFiles, files.keys()) : null;
    if (!task.isEditable(rel)) rejected.push({ path: rel, reason: 'not an editable file for this task' });
    else if (unwritable) rejected.push({ path: rel, reason: unwritable });
    else accepted.set(rel, content);
  }
  const base = {
    files: [...accepted.keys()],
    rejected,
    steps: [],
    tests: null,
    failingTests: [],
    suspect: [] as string[],
    harnessFaults: [] as HarnessFault[],
  };
  if (!accepted.size) {
    const feedback = bound(
      `Result: FAILED (malformed): no usable file in your reply.\n${rejected.map((r) => `- ${r.path}: ${r.reason}`).join('\n')}\n\n${MALFORMED_HINT}\nEditable paths: ${task.editable.join(', ')}`,
      opts.feedbackChars,
    );
    return { ...base, outcome: 'malformed', feedback, gradeMs: Date.now() - started };
  }

  // In-process tricks (forged results, patched test globals, exiting early) are refused before anything runs.
  const tampering = await scanSubmission(task, accepted);
  if (tampering.length) {
    const evidence = tampering.map((h) => `${h.rule}: ${h.file}:${h.line}: ${h.excerpt}`);
    const feedback = bound(
      `Result: FAILED (check): the submission does what the output contract forbids.\n${tampering.map((h) => `- ${h.file}:${h.line}: ${h.message}`).join('\n')}`,
      opts.feedbackChars,
    );
    return {
      ...base,
      outcome: 'check',
      suspect: evidence,
      steps: [{ name: 'tamper-scan', ok: false, status: 'failed', durationMs: 0, exitCode: null }],
      feedback,
      gradeMs: Date.now() - started,
    };
  }

  // Source checks are pure and cheap: a violation fails the attempt before anything is built, since no
  // build or test result could change that verdict (a lock-based ring would cost a TSan build for nothing).
  const violation = forbiddenPatternViolation(task.checks, accepted);
  if (violation) {
    const obs: Observation = {
      ...emptyObservation(),
      steps: [{ name: violation.check, ok: false, status: 'failed', durationMs: 0, exitCode: null }],
      failedStep: { name: violation.check, class: 'check' },
      diagnostics: `${violation.message}
The build and the tests were not run: fix this first.`,
    };
    return {
      ...base,
      outcome: 'check',
      steps: obs.steps,
      feedback: composeFeedback(
        'check',
        obs,
        rejected,
        [],
        opts.feedbackChars,
        secretLines(task.hidden, task.starter, accepted),
      ),
      gradeMs: Date.now() - started,
    };
  }

  const ws = createWorkspace(
    opts.workRoot ?? path.join(os.tmpdir(), 'aibench-work'),
    task,
    accepted,
    opts.env.fixtures.get(task.suite.name),
  );
  let obs: Observation;
  try {
    const modelFiles = new Set(accepted.keys());
    obs = await toolchainFor(task.suite).grade({ task, ws, slot: opts.slot, env: opts.env, modelFiles });
  } catch (err) {
    obs = emptyObservation();
    obs.failedStep = { name: 'harness', class: 'infra' };
    base.harnessFaults.push({
      cause: 'harness',
      message: `grading failed inside the harness: ${oneLine(err)}`,
    });
  } finally {
    const left = opts.keepWorkspace ? null : await removeWorkspace(ws);
    if (left) base.harnessFaults.push({ cause: 'workspace-cleanup', message: left });
  }
  const outcome = decideOutcome(obs);
  const roots = [ws.dir, ws.root, opts.env.cacheDir];
  return {
    ...base,
    outcome,
    steps: obs.steps,
    tests: obs.tests,
    failingTests: obs.failures.map((f) => f.name),
    // The Rust tamper scan runs inside the toolchain (it needs rustc): its evidence arrives here.
    suspect: obs.suspect ?? [],
    feedback:
      outcome === 'pass' || outcome === 'infra'
        ? null
        : composeFeedback(
            outcome,
            obs,
            rejected,
            roots,
            opts.feedbackChars,
            secretLines(task.hidden, task.starter, accepted),
          ),
    gradeMs: Date.now() - started,
  };
}

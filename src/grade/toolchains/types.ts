import type { CacheHold } from '../../cache/holds.js';
import type { Task, Suite } from '../../tasks/loader.js';
import { WORKSPACE_QUOTA_BYTES, type Sandbox, type SandboxMounts } from '../sandbox.js';
import { execCapped, type ExecResult } from '../exec.js';
import type { Observation, StepRecord } from '../types.js';
import type { Workspace } from '../workspace.js';
import type { RustHost } from './rust-host.js';
import type { PrebuiltTests } from './rust-prebuilt.js';

/** Per-run state a toolchain prepared once (fixture install, toolchain probes). */
export interface GradeEnv {
  cacheDir: string;
  /** Cache entries this run uses (fixtures, Go's build cache): no prune removes them until released. */
  holds: CacheHold[];
  /** node suites: suite name -> the installed fixture's node_modules folder (linked into workspaces). */
  fixtures: Map<string, string>;
  /** Whether the nightly Rust toolchain is usable (ThreadSanitizer checks need it). */
  nightly: boolean;
  /** Why the Rust tamper scan cannot run on this host (its rustc refuses the printing flags); unset when it can. */
  rustScanUnavailable?: string;
  /** The rustc wrapper that makes the Rust build print the submission's MIR (scan/rust-mir-wrapper.ts). */
  rustMirWrapper?: string;
  /** How gradings call cargo: the toolchain's own binaries and rustc-info seeds (rust-host.ts). */
  rustHost?: RustHost;
  /** Task key -> its hidden tests built once for the run, where they link no submission code (rust-prebuilt.ts). */
  rustPrebuilt?: Map<string, PrebuiltTests>;
  /** The Go toolchain found by its prepare (go.ts): its root, version, and the built tamper scanner. */
  go?: { goroot: string; toolDir: string; version: string; minor: number; scanner: string };
  hostEnv: NodeJS.ProcessEnv;
  /** How untrusted commands are isolated on this host (decided once per run). */
  sandbox: Sandbox;
}

export interface ToolchainContext {
  task: Task;
  ws: Workspace;
  /** The grading pool's slot this grading runs in. */
  slot: number;
  env: GradeEnv;
  /** Files the model wrote (relative paths): their diagnostics are shown in full. */
  modelFiles: Set<string>;
}

export interface Toolchain {
  /** Once per run, before any grading: install or probe what every grading of the run's `tasks` (this suite's) will share. */
  prepare(suite: Suite, env: GradeEnv, log: (line: string) => void, tasks: Task[]): Promise<void>;
  /** Build, test (and run the task's toolchain-specific checks) in a prepared workspace. */
  grade(ctx: ToolchainContext): Promise<Observation>;
  /** Versions to record in results (`toolchains`), known once `prepare` ran. */
  versions?(env: GradeEnv): Record<string, string>;
}

export function stepRecord(name: string, r: ExecResult, ok: boolean): StepRecord {
  return {
    name,
    ok,
    status: r.timedOut || r.outputExceeded ? 'timeout' : ok ? 'ok' : 'failed',
    durationMs: r.durationMs,
    exitCode: r.exitCode,
  };
}

export function emptyObservation(): Observation {
  return { steps: [], failedStep: null, tests: null, failures: [], diagnostics: '' };
}

/** Records what a test runner's parsed report counted, against the task's expected count. */
export function recordTestCounts(
  obs: Observation,
  task: Task,
  counts: { passed: number; failed: number; skipped: number; failures: Observation['failures'] },
): void {
  obs.tests = {
    expected: task.expectedTests,
    passed: counts.passed,
    failed: counts.failed,
    skipped: counts.skipped,
  };
  obs.failures = counts.failures;
}

/** Runs one untrusted step inside the run's sandbox, with only `mounts` writable or re-exposed. */
export async function execSandboxed(
  env: GradeEnv,
  argv: string[],
  mounts: SandboxMounts,
  opts: Parameters<typeof execCapped>[1],
): Promise<ExecResult> {
  const wrapped = env.sandbox.wrap(argv, mounts);
  let r: ExecResult;
  try {
    r = await execCapped(wrapped.argv, { ...opts, diskWatch: wrapped.diskWatch, launchFd: wrapped.launchFd });
  } finally {
    wrapped.cleanup();
  }
  // Nothing of the submission's ran: whatever failed is the host's, and its words are the sandbox's own.
  if (r.launched === false) throw new SandboxStartError(argv[0] ?? '', r);
  return r;
}

/** The sandbox around a step never reached the step's command (grade.ts makes the attempt `infra`). */
export class SandboxStartError extends Error {
  constructor(command: string, r: ExecResult) {
    const said = r.stderr.split('\n').filter(Boolean).slice(-3).join(' ').slice(0, 400);
    super(
      `the sandbox did not start ${command} (${r.timedOut ? 'timed out' : `exit ${r.exitCode ?? r.signal}`})${said ? `: ${said}` : ''}`,
    );
  }
}

/**
 * Records a test step the harness had to stop — past its time limit or flooding its output (class
 * `timeout`), or past its disk quota (class `test`) — with feedback naming which and what usually
 * causes it (`hint`).
 */
export function stopRunawayTests(
  obs: Observation,
  r: ExecResult,
  seconds: number,
  hint: string,
): Observation {
  obs.steps.push(stepRecord('test', r, false));
  // Filling the disk is the code's doing, not slowness: class test.
  obs.failedStep = { name: 'test', class: r.diskExceeded ? 'test' : 'timeout' };
  obs.diagnostics = r.diskExceeded
    ? `The tests were stopped for writing more than ${WORKSPACE_QUOTA_BYTES / 1024 ** 2} MiB to disk: tests must not fill the disk.`
    : r.outputExceeded
      ? 'The tests were stopped for flooding their output (tens of MiB): remove the runaway printing.'
      : `The tests were stopped after ${seconds} s (${hint}).`;
  return obs;
}

/**
 * Records a toolchain check's step (TSan, the race detector, a forbidden type). On failure it sets the
 * failed step — class `timeout`, `infra` when the host could not run the check, else `check` — and
 * the feedback, and returns true.
 */
export function recordCheck(
  obs: Observation,
  name: string,
  result: { step: StepRecord; diagnostics: string },
): boolean {
  obs.steps.push(result.step);
  if (result.step.ok) return false;
  const status = result.step.status;
  obs.failedStep = {
    name,
    class: status === 'timeout' ? 'timeout' : status === 'unavailable' ? 'infra' : 'check',
  };
  obs.diagnostics = result.diagnostics;
  return true;
}

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Task } from '../../tasks/loader.js';
import { cargoDiagnostics } from '../parse-cargo.js';
import type { ExecResult } from '../exec.js';
import { parseLibtest } from '../parse-libtest.js';
import { sandboxEnv } from '../sandbox-env.js';
import { testExecutables } from './cargo-artifacts.js';
import { runTsanCheck } from './tsan.js';
import type { Observation } from '../types.js';
import { leaseDir } from '../dir-lease.js';
import {
  emptyObservation,
  execSandboxed,
  stepRecord,
  stopRunawayTests,
  type Toolchain,
  type ToolchainContext,
} from './types.js';

const exec = promisify(execFile);

/** The hidden integration-test targets: every top-level `hidden/tests/<name>.rs`. */
export function hiddenTestTargets(task: Task): string[] {
  return [...task.hidden.keys()]
    .map((rel) => /^tests\/([^/]+)\.rs$/.exec(rel)?.[1])
    .filter((n): n is string => Boolean(n))
    .sort();
}

/** Runs test binaries one after another within the test step's time limit; their output is concatenated. */
async function runTestBinaries(
  executables: string[],
  ctx: ToolchainContext,
  targetDir: string,
  procEnv: Record<string, string>,
): Promise<ExecResult> {
  const { task, ws, env } = ctx;
  const deadline = Date.now() + task.timeouts.test * 1000;
  const total: ExecResult = {
    exitCode: 0,
    signal: null,
    timedOut: false,
    outputExceeded: false,
    diskExceeded: false,
    stdout: '',
    stderr: '',
    stdoutBytes: 0,
    stderrBytes: 0,
    durationMs: 0,
  };
  for (const exe of executables) {
    const r = await execSandboxed(
      env,
      [exe],
      {
        writable: [],
        readable: [targetDir],
        readOnly: [ws.dir, ...ws.protectedPaths],
        scratch: [ws.scratch],
        quotaRoot: ws.root,
        limitAddressSpace: true,
      },
      {
        cwd: ws.dir,
        env: { ...procEnv, CARGO_MANIFEST_DIR: ws.dir },
        timeoutMs: Math.max(1000, deadline - Date.now()),
      },
    );
    total.stdout += r.stdout;
    total.stderr += r.stderr;
    total.durationMs += r.durationMs;
    total.timedOut ||= r.timedOut;
    total.outputExceeded ||= r.outputExceeded;
    total.diskExceeded ||= r.diskExceeded;
    if (r.exitCode !== 0) total.exitCode = r.exitCode;
    if (r.timedOut || r.outputExceeded || r.diskExceeded) break;
  }
  return total;
}

/** Whether `cargo +nightly` works here (ThreadSanitizer checks need it). */
export async function probeNightly(hostEnv: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    await exec('cargo', ['+nightly', '--version'], { env: sandboxEnv('/tmp', {}, hostEnv), timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Rust tasks: std-only crates, `cargo build` then `cargo test` on the hidden targets, offline, then checks. */
export const rustToolchain: Toolchain = {
  async prepare(_suite, env) {
    env.nightly = await probeNightly(env.hostEnv);
  },

  async grade(ctx) {
    // Without namespaces nothing can be mounted read-only: a fresh, cold target folder per grading then,
    // so no submission can leave anything for the next one.
    if (ctx.env.sandbox.level !== 'namespaces') return gradeIn(path.join(ctx.ws.root, 'target'), ctx);
    // One warm target folder per task, leased exclusively for the whole grading (see leaseDir).
    const lease = leaseDir(
      path.join(ctx.env.cacheDir, 'rust-target', `${ctx.task.suite.name}-${ctx.task.id}`),
    );
    try {
      return await gradeIn(lease.dir, ctx);
    } finally {
      lease.release();
    }
  },
};

async function gradeIn(targetDir: string, ctx: ToolchainContext): Promise<Observation> {
  const { task, ws, env, modelFiles } = ctx;
  const obs = emptyObservation();
  const procEnv = sandboxEnv(
    ws.scratch,
    { CARGO_TARGET_DIR: targetDir, CARGO_INCREMENTAL: '1' },
    env.hostEnv,
  );

  // Build everything, running nothing of the submission's (std-only crates: no build scripts, no macros).
  const build = await execSandboxed(
    env,
    ['cargo', 'test', '--offline', '--no-run', '--all-targets', '--message-format=json'],
    {
      writable: [ws.dir, targetDir],
      readable: [],
      readOnly: ws.protectedPaths,
      scratch: [ws.scratch],
      quotaRoot: ws.root,
      limitAddressSpace: true,
    },
    { cwd: ws.dir, env: procEnv, timeoutMs: task.timeouts.build * 1000 },
  );
  const buildOk = build.exitCode === 0 && !build.timedOut;
  obs.steps.push(stepRecord('build', build, buildOk));
  if (!buildOk) {
    obs.failedStep = { name: 'build', class: build.timedOut ? 'timeout' : 'build' };
    const errors = cargoDiagnostics(build.stdout, (rel) => modelFiles.has(rel));
    obs.diagnostics = errors.length ? errors.join('\n\n') : build.stderr.split('\n').slice(-40).join('\n');
    return obs;
  }

  // Run the hidden test binaries directly, with the project and the build folder read-only: code under
  // test can neither plant a binary or timestamps for the next grading nor change the sources a later
  // check (ThreadSanitizer) builds.
  const executables = testExecutables(build.stdout, hiddenTestTargets(task));
  const missing = hiddenTestTargets(task).filter((t) => !executables.has(t));
  if (missing.length) {
    obs.failedStep = { name: 'build', class: 'build' };
    obs.diagnostics = `The build produced no test binary for: ${missing.join(', ')}.`;
    return obs;
  }
  const test = await runTestBinaries([...executables.values()], ctx, targetDir, procEnv);
  const summary = parseLibtest(test.stdout);
  obs.tests = {
    expected: task.expectedTests,
    passed: summary.passed,
    failed: summary.failed,
    skipped: summary.skipped,
  };
  obs.failures = summary.failures;
  if (test.timedOut || test.outputExceeded || test.diskExceeded) {
    return stopRunawayTests(
      obs,
      test,
      task.timeouts.test,
      'an infinite loop, a deadlock, or an algorithm far too slow for the input sizes?',
    );
  }
  const testOk = test.exitCode === 0 && summary.failed === 0;
  obs.steps.push(stepRecord('test', test, testOk));
  if (!testOk) {
    obs.failedStep = { name: 'test', class: 'test' };
    if (!summary.failures.length) obs.diagnostics = test.stderr.split('\n').slice(-30).join('\n');
    return obs;
  }
  if (summary.passed !== task.expectedTests) return obs;

  for (const check of ctx.runChecks ? task.checks : []) {
    if (check.kind !== 'tsan') continue;
    const result = await runTsanCheck(check, ctx, procEnv, path.join(targetDir, 'tsan'));
    obs.steps.push(result.step);
    if (!result.step.ok) {
      const status = result.step.status;
      obs.failedStep = {
        name: check.name,
        class: status === 'timeout' ? 'timeout' : status === 'unavailable' ? 'infra' : 'check',
      };
      obs.diagnostics = result.diagnostics;
      return obs;
    }
  }
  return obs;
}

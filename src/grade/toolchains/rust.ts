import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Task } from '../../tasks/loader.js';
import { cargoDiagnostics } from '../parse-cargo.js';
import { parseLibtest } from '../parse-libtest.js';
import { sandboxEnv } from '../sandbox-env.js';
import { runTsanCheck } from './tsan.js';
import type { Observation } from '../types.js';
import { leaseDir } from '../dir-lease.js';
import {
  emptyObservation,
  execSandboxed,
  stepRecord,
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
  const mounts = { writable: [ws.root, targetDir], readable: [], readOnly: ws.protectedPaths };

  const build = await execSandboxed(
    env,
    ['cargo', 'build', '--offline', '--all-targets', '--message-format=json'],
    mounts,
    {
      cwd: ws.dir,
      env: procEnv,
      timeoutMs: task.timeouts.build * 1000,
    },
  );
  const buildOk = build.exitCode === 0 && !build.timedOut;
  obs.steps.push(stepRecord('build', build, buildOk));
  if (!buildOk) {
    obs.failedStep = { name: 'build', class: build.timedOut ? 'timeout' : 'build' };
    const errors = cargoDiagnostics(build.stdout, (rel) => modelFiles.has(rel));
    obs.diagnostics = errors.length ? errors.join('\n\n') : build.stderr.split('\n').slice(-40).join('\n');
    return obs;
  }

  const targets = hiddenTestTargets(task).flatMap((t) => ['--test', t]);
  const test = await execSandboxed(
    env,
    ['cargo', 'test', '--offline', '--no-fail-fast', ...targets],
    mounts,
    {
      cwd: ws.dir,
      env: procEnv,
      timeoutMs: task.timeouts.test * 1000,
    },
  );
  const summary = parseLibtest(test.stdout);
  obs.tests = {
    expected: task.expectedTests,
    passed: summary.passed,
    failed: summary.failed,
    skipped: summary.skipped,
  };
  obs.failures = summary.failures;
  if (test.timedOut || test.outputExceeded) {
    obs.steps.push(stepRecord('test', test, false));
    obs.failedStep = { name: 'test', class: 'timeout' };
    obs.diagnostics = test.outputExceeded
      ? 'The tests were stopped for flooding their output (tens of MiB): remove the runaway printing.'
      : `The tests were stopped after ${task.timeouts.test} s (an infinite loop, a deadlock, or an algorithm far too slow for the input sizes?).`;
    return obs;
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

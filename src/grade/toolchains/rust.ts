import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Task } from '../../tasks/loader.js';
import { redactSecrets, secretLines } from '../redact.js';
import { cargoDiagnostics } from '../parse-cargo.js';
import { emptyExecResult, type ExecResult } from '../exec.js';
import { parseLibtest } from '../parse-libtest.js';
import { sandboxEnv } from '../sandbox-env.js';
import { testExecutables } from './cargo-artifacts.js';
import { prebuiltApplies, prepareRustPrebuilt, testsAgainst, type TestsToRun } from './rust-prebuilt.js';
import { runTsanCheck } from './tsan.js';
import { prepareMirWrapper } from '../scan/rust-mir-wrapper.js';
import { removeStaleTargets, staleTargetsRoot } from '../stale-targets.js';
import {
  cargoEnv,
  hiddenTestTargets,
  ownTargetsBuildCommand,
  PLAIN_RUST_HOST,
  prepareRustHost,
  seedRustInfo,
  testBuildCommand,
  testBuildEnv,
} from './rust-host.js';
import {
  expandRustSources,
  hiddenSources,
  maskHidden,
  probeRustScan,
  restoreHidden,
  scanBuiltRust,
  type RustScanResult,
  type RustSourcesResult,
} from '../scan/rust-scan.js';
import { libtestProblems, type BinaryRun } from '../libtest-check.js';
import type { Observation, StepRecord } from '../types.js';
import type { Check } from '../../tasks/schema.js';
import { forbiddenRustPath, type CompiledTarget } from '../scan/rust-rules.js';
import {
  emptyObservation,
  execSandboxed,
  recordCheck,
  recordTestCounts,
  stepRecord,
  stopRunawayTests,
  type Toolchain,
  type ToolchainContext,
} from './types.js';

const exec = promisify(execFile);

/**
 * Runs test binaries one after another within the test step's time limit; their output is concatenated.
 * Before each run the harness lists the binary's tests itself (`--list` runs no test code), and each
 * binary's own output is kept for the libtest cross-check.
 */
async function runTestBinaries(
  executables: [string, string][],
  ctx: ToolchainContext,
  targetDir: string,
  procEnv: Record<string, string>,
  /** Prebuilt tests: their folder, and the submission's binaries bound where they run them from. */
  prebuilt?: { dir: string; binds: [string, string][] },
): Promise<{ total: ExecResult; runs: BinaryRun[] }> {
  const { task, ws, env } = ctx;
  const deadline = Date.now() + task.timeouts.test * 1000;
  const total = emptyExecResult();
  const runs: BinaryRun[] = [];
  const mounts = {
    writable: [],
    readable: prebuilt ? [targetDir, prebuilt.dir] : [targetDir],
    binds: prebuilt?.binds,
    readOnly: [ws.dir, ...ws.protectedPaths],
    scratch: [ws.scratch],
    quotaRoot: ws.root,
    limitAddressSpace: true,
  };
  for (const [target, exe] of executables) {
    const opts = {
      cwd: ws.dir,
      env: { ...procEnv, CARGO_MANIFEST_DIR: ws.dir },
      timeoutMs: Math.max(1000, deadline - Date.now()),
    };
    const list = await execSandboxed(env, [exe, '--list'], mounts, opts);
    const r = await execSandboxed(env, [exe], mounts, {
      ...opts,
      timeoutMs: Math.max(1000, deadline - Date.now()),
    });
    runs.push({ target, list: list.stdout, stdout: r.stdout, exitCode: r.exitCode });
    total.stdout += r.stdout;
    total.stderr += r.stderr;
    total.durationMs += r.durationMs + list.durationMs;
    total.timedOut ||= r.timedOut || list.timedOut;
    total.outputExceeded ||= r.outputExceeded || list.outputExceeded;
    total.diskExceeded ||= r.diskExceeded || list.diskExceeded;
    if (r.exitCode !== 0) total.exitCode = r.exitCode;
    if (total.timedOut || total.outputExceeded || total.diskExceeded) break;
  }
  return { total, runs };
}

function buildDiagnostics(build: ExecResult, modelFiles: Set<string>): string {
  const errors = cargoDiagnostics(build.stdout, (rel) => modelFiles.has(rel));
  return errors.length ? errors.join('\n\n') : build.stderr.split('\n').slice(-40).join('\n');
}

/**
 * Compiler output that quotes a line of the hidden sources (a compile-time panic can print any file
 * the compiler could read) is withheld whole: feedback never carries hidden-test source.
 */
export function withoutHiddenSource(text: string, task: Task): string {
  const quotes = redactSecrets(text, secretLines(task.hidden, task.starter)) !== text;
  return quotes
    ? 'The build failed, and its output quoted the hidden tests, so it is withheld. Do not read files outside src/ at compile time.'
    : text;
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
  async prepare(_suite, env, log, tasks) {
    const stale = await removeStaleTargets(env.cacheDir);
    if (stale.removed.length)
      log(
        `rust: removed ${stale.removed.length} build folder(s) earlier versions kept in ${staleTargetsRoot(env.cacheDir)}`,
      );
    env.nightly = await probeNightly(env.hostEnv);
    let unavailable = await probeRustScan(env.hostEnv);
    if (!unavailable)
      try {
        env.rustMirWrapper = await prepareMirWrapper(
          env.cacheDir,
          sandboxEnv('/tmp', {}, env.hostEnv),
          env.holds,
        );
      } catch (err) {
        const stderr = String((err as { stderr?: string }).stderr ?? (err as Error).message);
        unavailable = `rustc could not build the harness's MIR wrapper: ${stderr.split('\n').filter(Boolean).slice(-3).join(' ')}`;
      }
    env.rustHost = await prepareRustHost(env.hostEnv, env.rustMirWrapper);
    if (!unavailable)
      env.rustPrebuilt = new Map([
        ...(env.rustPrebuilt ?? []),
        ...(await prepareRustPrebuilt(tasks, env, env.rustHost, log)),
      ]);
    if (unavailable) {
      env.rustScanUnavailable = unavailable;
      log(`rust: the tamper scan cannot run here, Rust gradings end as infra: ${unavailable}`);
    }
  },

  async grade(ctx) {
    // A fresh target folder per grading, removed with the workspace. A kept one bought nothing: every
    // attempt is a new workspace path, so cargo rebuilds the whole std-only crate and its test targets
    // anyway, and incremental state keyed to the old path only added work (rust/L5 build, measured:
    // kept folder + incremental 10.2 CPU-s, fresh folder without 7.7 CPU-s, 96 MB vs 21 MB on disk).
    // Nothing is left for the next grading to find either.
    const targetDir = path.join(ctx.ws.root, 'target');
    mkdirSync(targetDir, { recursive: true }); // bubblewrap binds it: it must exist
    return gradeIn(targetDir, ctx);
  },
};

function rustForbidCheck(
  check: Extract<Check, { kind: 'rust-forbid' }>,
  targets: CompiledTarget[],
): { step: StepRecord; diagnostics: string } {
  const found = forbiddenRustPath(targets, check.paths);
  return {
    step: { name: check.name, ok: !found, status: found ? 'failed' : 'ok', durationMs: 0, exitCode: null },
    diagnostics: found ? `${check.message} (${found.file}:${found.line} uses ${found.path})` : '',
  };
}

/** The grading ends at the scan: the expansion failed or could not run, or the submission broke a rule. */
function scanStopped(
  obs: Observation,
  scan: Exclude<RustScanResult | RustSourcesResult, { kind: 'expanded' }>,
  task: Task,
  modelFiles: Set<string>,
): Observation {
  obs.steps.push(scan.step);
  if (scan.kind === 'compile-failed') {
    obs.failedStep = { name: 'build', class: scan.build.timedOut ? 'timeout' : 'build' };
    obs.diagnostics = withoutHiddenSource(buildDiagnostics(scan.build, modelFiles), task);
  } else if (scan.kind === 'unavailable') {
    obs.failedStep = { name: 'tamper-scan', class: 'infra' };
    obs.diagnostics = `The tamper scan could not run on this host: ${scan.why}.`;
  } else {
    obs.failedStep = { name: 'tamper-scan', class: 'check' };
    obs.suspect = scan.hits.map((h) => `${h.rule}: ${h.file}:${h.line}: ${h.excerpt}`);
    obs.diagnostics = `The submission does what the output contract forbids:\n${scan.hits
      .map((h) => `- ${h.line ? `${h.file}:${h.line}: ` : ''}${h.message}`)
      .join('\n')}`;
  }
  return obs;
}

/** The hidden test binaries the build made. */
function builtTests(cargoJson: string, testTargets: string[]): TestsToRun {
  const executables = testExecutables(cargoJson, testTargets);
  const missing = testTargets.filter((t) => !executables.has(t));
  return missing.length
    ? { missing: `The build produced no test binary for: ${missing.join(', ')}.` }
    : { executables };
}

async function gradeIn(targetDir: string, ctx: ToolchainContext): Promise<Observation> {
  const { task, ws, env, modelFiles } = ctx;
  const obs = emptyObservation();
  const procEnv = cargoEnv(ws.scratch, targetDir, env.hostEnv);
  const host = env.rustHost ?? PLAIN_RUST_HOST;

  // The submission's sources expanded, hidden sources absent (see scan/rust-scan.ts): a syntax or name
  // error stops here, and so does any compile-time read of the hidden tests, before the build sees them.
  const expanded = await expandRustSources(ctx, procEnv);
  if (expanded.kind !== 'expanded') return scanStopped(obs, expanded, task, modelFiles);

  // Build exactly what the test step runs: the hidden test targets (cargo adds the lib and the bins
  // they use), running nothing of the submission's (std-only crates: no build scripts, no macros). Not
  // the submission's own unit tests (they neither count nor may interfere), not the check targets (the
  // TSan check builds its own, instrumented), not examples or benches. The submission's crates print
  // their MIR as they compile, for the tamper scan to judge before any of the code runs. Hidden tests
  // that link none of the submission's code were built once for the run (rust-prebuilt.ts): then only
  // the submission's own targets are built here.
  const testTargets = hiddenTestTargets(task);
  const prebuilt = prebuiltApplies(modelFiles) ? env.rustPrebuilt?.get(task.key) : undefined;
  const mirDir = path.join(targetDir, 'mir');
  mkdirSync(mirDir);
  const wrapper = env.rustMirWrapper!; // set whenever the expansion ran (rustScanUnavailable otherwise)
  seedRustInfo(targetDir, host.seeds.build);
  const build = await execSandboxed(
    env,
    prebuilt ? ownTargetsBuildCommand(host.cargo) : testBuildCommand(host.cargo, testTargets),
    {
      writable: [ws.dir, targetDir],
      readable: [path.dirname(wrapper)],
      readOnly: ws.protectedPaths,
      scratch: [ws.scratch],
      quotaRoot: ws.root,
      limitAddressSpace: true,
    },
    {
      cwd: ws.dir,
      env: { ...procEnv, ...testBuildEnv(host, wrapper, mirDir) },
      timeoutMs: task.timeouts.build * 1000,
    },
  );
  const buildOk = build.exitCode === 0 && !build.timedOut;
  obs.steps.push(stepRecord('build', build, buildOk));
  if (!buildOk) {
    obs.failedStep = { name: 'build', class: build.timedOut ? 'timeout' : 'build' };
    obs.diagnostics = withoutHiddenSource(buildDiagnostics(build, modelFiles), task);
    return obs;
  }
  const scan = scanBuiltRust(ctx, expanded.targets, mirDir, expanded.step.durationMs);
  if (scan.kind !== 'scanned' || scan.hits.length) return scanStopped(obs, scan, task, modelFiles);
  obs.steps.push(scan.step);
  // The task's own bans on items, judged on the same MIR: known before any test runs.
  for (const check of task.checks)
    if (check.kind === 'rust-forbid' && recordCheck(obs, check.name, rustForbidCheck(check, scan.targets!)))
      return obs;

  // Run the hidden test binaries directly, with the project and the build folder read-only: code under
  // test can neither plant a binary or timestamps for the next grading nor change the sources a later
  // check (ThreadSanitizer) builds.
  const tests = prebuilt ? testsAgainst(prebuilt, build.stdout) : builtTests(build.stdout, testTargets);
  if ('missing' in tests) {
    obs.failedStep = { name: 'build', class: 'build' };
    obs.diagnostics = tests.missing;
    return obs;
  }
  // The test binaries are built: their sources are not needed to run them, and code allowed to read
  // files (the wc clone) must not find them to echo into its output.
  const hidden = hiddenSources(task);
  maskHidden(ws, hidden);
  let ran: Awaited<ReturnType<typeof runTestBinaries>>;
  try {
    ran = await runTestBinaries([...tests.executables], ctx, targetDir, procEnv, tests.prebuilt);
  } finally {
    restoreHidden(ws, task, hidden);
  }
  const { total: test, runs } = ran;
  const summary = parseLibtest(test.stdout);
  recordTestCounts(obs, task, summary);
  if (test.timedOut || test.outputExceeded || test.diskExceeded) {
    return stopRunawayTests(
      obs,
      test,
      task.timeouts.test,
      'an infinite loop, a deadlock, or an algorithm far too slow for the input sizes?',
    );
  }
  // Libtest's own accounting must agree with the per-test lines and the names the harness listed.
  // The `#[test]` functions of the hidden sources, read once when the task was loaded.
  const hiddenFns = new Set(task.hiddenTests);
  const problems = runs.flatMap((run) => libtestProblems(run, hiddenFns));
  const testOk = test.exitCode === 0 && summary.failed === 0 && !problems.length;
  obs.steps.push(stepRecord('test', test, testOk));
  if (problems.length) {
    obs.failedStep = { name: 'test', class: 'test' };
    const tail = summary.failures.length ? '' : test.stderr.split('\n').filter(Boolean).slice(-10).join('\n');
    obs.diagnostics = `The test run is not a complete libtest run:\n${problems.map((p) => `- ${p}`).join('\n')}${tail ? `\n\n${tail}` : ''}`;
    return obs;
  }
  if (!testOk) {
    obs.failedStep = { name: 'test', class: 'test' };
    if (!summary.failures.length) obs.diagnostics = test.stderr.split('\n').slice(-30).join('\n');
    return obs;
  }
  if (summary.passed !== task.expectedTests) return obs;

  for (const check of task.checks) {
    if (check.kind !== 'tsan') continue;
    const result = await runTsanCheck(check, ctx, procEnv, path.join(targetDir, 'tsan'));
    if (recordCheck(obs, check.name, result)) return obs;
  }
  return obs;
}

import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ExitCode, UsageError } from '../../errors.js';
import type { Task } from '../../tasks/loader.js';
import type { Check } from '../../tasks/schema.js';
import { holdEntry } from '../../cache/holds.js';
import type { ExecResult } from '../exec.js';
import { parseGoTestEvents, type GoTestSummary } from '../parse-gotest.js';
import { sandboxEnv } from '../sandbox-env.js';
import { forbiddenGoType } from '../scan/go-rules.js';
import { buildGoScanner, goScannerDir, scanGoSubmission } from '../scan/go-scan.js';
import { maskHidden, restoreHidden } from '../scan/rust-scan.js';
import type { Observation, StepRecord } from '../types.js';
import {
  emptyObservation,
  execSandboxed,
  type GradeEnv,
  recordCheck,
  recordTestCounts,
  stepRecord,
  stopRunawayTests,
  type Toolchain,
  type ToolchainContext,
} from './types.js';

const exec = promisify(execFile);

/** What the suite says when the host has no Go: one line, and the exit code scripts branch on. */
export const GO_MISSING =
  'the go suite needs the Go toolchain (1.19 or newer) on PATH: install it (Debian/Ubuntu: apt-get install golang-go; GitHub runners: actions/setup-go) or leave the go suite out with --suites';

type GoHost = NonNullable<GradeEnv['go']>;

/** The host's Go, or null when there is none (never an exception: a missing toolchain is the user's to fix). */
export async function probeGo(hostEnv: NodeJS.ProcessEnv): Promise<Omit<GoHost, 'scanner'> | null> {
  try {
    const { stdout } = await exec('go', ['env', 'GOROOT', 'GOTOOLDIR', 'GOVERSION'], {
      env: { ...hostEnv, GOTOOLCHAIN: 'local', GOFLAGS: '' },
      timeout: 60_000,
    });
    const [goroot, toolDir, version] = stdout.trim().split('\n');
    const minor = Number(/^go1\.(\d+)/.exec(version ?? '')?.[1]);
    if (!goroot || !toolDir || !version || !(minor >= 19)) return null;
    return { goroot, toolDir, version, minor };
  } catch {
    return null;
  }
}

/**
 * Offline, std-only, reproducible: no proxy, no checksum database, no toolchain download, no user
 * config file; module and build caches where the harness says. cgo is off except for the race build.
 */
export function goEnv(
  go: Pick<GoHost, 'goroot'>,
  scratch: string,
  gocache: string,
  hostEnv: NodeJS.ProcessEnv,
) {
  const base = sandboxEnv(scratch, {}, hostEnv);
  return {
    ...base,
    PATH: `${path.join(go.goroot, 'bin')}:${base.PATH}`,
    GOROOT: go.goroot,
    GOCACHE: gocache,
    GOPATH: path.join(scratch, 'gopath'),
    GOMODCACHE: path.join(scratch, 'gopath', 'pkg', 'mod'),
    GOTMPDIR: scratch,
    GOFLAGS: '-mod=mod -buildvcs=false',
    GOPROXY: 'off',
    GOSUMDB: 'off',
    GONOSUMDB: '*',
    GOTOOLCHAIN: 'local',
    GOWORK: 'off',
    GOENV: 'off',
    GO111MODULE: 'on',
    CGO_ENABLED: '0',
  };
}

/** The folders holding hidden `_test.go` files: the packages `go test` builds a test binary for. */
export function testPackages(task: Task): string[] {
  const dirs = [...task.hidden.keys()]
    .filter((rel) => rel.endsWith('_test.go'))
    .map((rel) => path.posix.dirname(rel));
  return [...new Set(dirs)].sort();
}

function hiddenGoSources(task: Task): string[] {
  return [...task.hidden.keys()].filter((rel) => rel.endsWith('_test.go')).sort();
}

/**
 * One build cache for every Go grading, of every task, in every slot, at once: Go's cache is keyed by
 * content and safe for concurrent use by several go commands (atomic writes; golang/go#26677), so unlike
 * Rust's target folders it needs no lease, and no slot starts cold. Only trusted tools write to it: the
 * compiler and vet during the build steps (cgo is off, Go has no build scripts); the tests run with it
 * out of reach. A concurrent prune cannot remove it while a run holds it (`cache/holds.ts`).
 */
export function sharedGoCache(cacheDir: string): string {
  return path.join(cacheDir, 'go-build', 'shared');
}

/** Go tasks: `go vet` and the test build, the tamper scan, the hidden tests through test2json, then checks. */
export const goToolchain: Toolchain = {
  async prepare(_suite, env, log) {
    if (env.go) return;
    const found = await probeGo(env.hostEnv);
    if (!found) throw new UsageError(GO_MISSING, ExitCode.toolchainMissing);
    // Held for the run: a prune by a concurrent run never removes a cache a grading is using.
    const gocache = sharedGoCache(env.cacheDir);
    env.holds.push(holdEntry(gocache));
    const scannerDir = goScannerDir(env.cacheDir, found.version);
    env.holds.push(holdEntry(scannerDir));
    mkdirSync(gocache, { recursive: true });
    const scratch = `${scannerDir}.tmp-${process.pid}`;
    mkdirSync(scratch, { recursive: true });
    let scanner: string;
    try {
      scanner = await buildGoScanner(scannerDir, goEnv(found, scratch, gocache, env.hostEnv));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    env.go = { ...found, scanner };
    log(`go: ${found.version} (${found.goroot})`);
  },

  async grade(ctx) {
    // Without namespaces nothing keeps the cache out of the tests' reach: a fresh one per grading.
    if (ctx.env.sandbox.level !== 'namespaces') return gradeIn(path.join(ctx.ws.root, 'gocache'), ctx);
    return gradeIn(sharedGoCache(ctx.env.cacheDir), ctx);
  },
};

function sum(runs: ExecResult[]): ExecResult {
  const last = runs[runs.length - 1]!;
  return {
    ...last,
    stdout: runs.map((r) => r.stdout).join(''),
    stderr: runs.map((r) => r.stderr).join(''),
    durationMs: runs.reduce((t, r) => t + r.durationMs, 0),
    timedOut: runs.some((r) => r.timedOut),
    outputExceeded: runs.some((r) => r.outputExceeded),
  };
}

/** Runs commands one after another within one deadline, stopping at the first that fails. */
async function buildSteps(
  ctx: ToolchainContext,
  commands: string[][],
  procEnv: Record<string, string>,
  gocache: string,
  seconds: number,
): Promise<{ result: ExecResult; ok: boolean }> {
  const { ws, env } = ctx;
  const deadline = Date.now() + seconds * 1000;
  const runs: ExecResult[] = [];
  for (const argv of commands) {
    const r = await execSandboxed(
      env,
      argv,
      {
        writable: [gocache, ws.private],
        readable: [env.go!.goroot],
        readOnly: [ws.dir],
        scratch: [ws.scratch],
        quotaRoot: ws.root,
      },
      { cwd: ws.dir, env: procEnv, timeoutMs: Math.max(1000, deadline - Date.now()) },
    );
    runs.push(r);
    if (r.exitCode !== 0 || r.timedOut || r.outputExceeded) return { result: sum(runs), ok: false };
  }
  return { result: sum(runs), ok: true };
}

/** Runs a compiled test binary under test2json, the project read-only, the hidden sources masked. */
async function runTests(
  ctx: ToolchainContext,
  binaries: [string, string][],
  procEnv: Record<string, string>,
  seconds: number,
  extraArgs: string[],
): Promise<ExecResult> {
  const { ws, env, task } = ctx;
  const go = env.go!;
  const deadline = Date.now() + seconds * 1000;
  const hidden = hiddenGoSources(task);
  const runs: ExecResult[] = [];
  // The binaries are built: code allowed to read files must not find the test sources to echo.
  maskHidden(ws, hidden);
  try {
    for (const [pkg, bin] of binaries) {
      const left = Math.max(1, Math.floor((deadline - Date.now()) / 1000));
      const r = await execSandboxed(
        env,
        [
          path.join(go.toolDir, 'test2json'),
          '-t',
          '-p',
          pkg,
          bin,
          // From Go 1.20 the binary frames its own lines, so printed text cannot pass for a result.
          go.minor >= 20 ? '-test.v=test2json' : '-test.v',
          '-test.count=1',
          // Go's own timeout panics with the running test's name before the harness's kill.
          `-test.timeout=${Math.max(1, left - 3)}s`,
          '-test.paniconexit0',
          ...extraArgs,
        ],
        {
          writable: [],
          readable: [go.goroot, path.dirname(bin)],
          readOnly: [ws.dir, ...ws.protectedPaths],
          scratch: [ws.scratch],
          quotaRoot: ws.root,
        },
        { cwd: path.join(ws.dir, pkg), env: procEnv, timeoutMs: left * 1000 },
      );
      runs.push(r);
      if (r.timedOut || r.outputExceeded || r.diskExceeded) break;
    }
  } finally {
    restoreHidden(ws, task, hidden);
  }
  const total = sum(runs);
  total.exitCode = runs.find((r) => r.exitCode !== 0)?.exitCode ?? 0;
  total.diskExceeded = runs.some((r) => r.diskExceeded);
  return total;
}

const TIMED_OUT = /panic: test timed out after/;

function testFeedback(summary: GoTestSummary): string {
  if (summary.failures.length) return summary.packageOutput.split('\n').slice(-15).join('\n');
  const lines = summary.problems.map((p) => `- ${p}`);
  return `The test run is not a complete run of the hidden tests:\n${lines.join('\n')}${
    summary.packageOutput ? `\n\n${summary.packageOutput.split('\n').slice(-20).join('\n')}` : ''
  }`;
}

async function gradeIn(gocache: string, ctx: ToolchainContext): Promise<Observation> {
  const { task, ws, env } = ctx;
  const go = env.go!;
  const obs = emptyObservation();
  mkdirSync(gocache, { recursive: true });
  const procEnv = goEnv(go, ws.scratch, gocache, env.hostEnv);
  const bins = path.join(ws.private, 'bin');
  mkdirSync(bins, { recursive: true });
  const packages = testPackages(task);
  const binaries: [string, string][] = packages.map((p, i) => [p, path.join(bins, `t${i}.test`)]);

  // Build: vet (type errors and suspicious code, the hidden tests included) and the test binaries.
  // Nothing of the submission's runs here: Go has no build scripts, and cgo is off.
  const build = await buildSteps(
    ctx,
    [
      ['go', 'vet', './...'],
      ...binaries.map(([p, bin]) => ['go', 'test', '-c', '-vet=off', '-o', bin, `./${p}`]),
    ],
    procEnv,
    gocache,
    task.timeouts.build,
  );
  obs.steps.push(stepRecord('build', build.result, build.ok));
  if (!build.ok) {
    obs.failedStep = { name: 'build', class: build.result.timedOut ? 'timeout' : 'build' };
    obs.diagnostics = `${build.result.stderr}\n${build.result.stdout}`
      .trim()
      .split('\n')
      .slice(0, 60)
      .join('\n');
    return obs;
  }

  // What the code's names resolve to, before any of it runs.
  const scan = await scanGoSubmission(ctx, procEnv, go.scanner);
  obs.steps.push(scan.step);
  if (scan.kind === 'unavailable') {
    obs.failedStep = { name: 'tamper-scan', class: scan.step.status === 'timeout' ? 'timeout' : 'infra' };
    obs.diagnostics = `The tamper scan could not run: ${scan.why}.`;
    return obs;
  }
  if (scan.hits.length) {
    obs.failedStep = { name: 'tamper-scan', class: 'check' };
    obs.suspect = scan.hits.map((h) => `${h.rule}: ${h.file}:${h.line}: ${h.excerpt}`);
    obs.diagnostics = `The submission does what the output contract forbids:\n${scan.hits
      .map((h) => `- ${h.line ? `${h.file}:${h.line}: ` : ''}${h.message} (${h.excerpt})`)
      .join('\n')}`;
    return obs;
  }

  const test = await runTests(ctx, binaries, procEnv, task.timeouts.test, []);
  const summary = parseGoTestEvents(test.stdout, new Set(task.hiddenTests));
  recordTestCounts(obs, task, summary);
  if (test.timedOut || test.outputExceeded || test.diskExceeded || TIMED_OUT.test(summary.packageOutput)) {
    const stopped = stopRunawayTests(
      obs,
      { ...test, timedOut: !test.diskExceeded && !test.outputExceeded },
      task.timeouts.test,
      'an infinite loop, a deadlock, or an algorithm far too slow for the input sizes?',
    );
    const running =
      /panic: test timed out after[^\n]*\n(?:[^\n]*\n)?\s*running tests:\s*\n((?:\s+Test\S+[^\n]*\n?)+)/.exec(
        summary.packageOutput,
      );
    if (running)
      stopped.diagnostics += `\nStill running: ${running[1]!
        .trim()
        .split(/\s+/)
        .filter((w) => w.startsWith('Test'))
        .join(', ')}`;
    return stopped;
  }
  const testOk =
    test.exitCode === 0 && summary.failed === 0 && summary.packagePassed && !summary.problems.length;
  obs.steps.push(stepRecord('test', test, testOk));
  if (!testOk) {
    obs.failedStep = { name: 'test', class: 'test' };
    obs.diagnostics = testFeedback(summary);
    return obs;
  }
  if (summary.passed !== task.expectedTests) return obs;

  for (const check of task.checks) {
    const failed =
      check.kind === 'go-forbid'
        ? forbidCheck(check, scan.output)
        : check.kind === 'race'
          ? await raceCheck(check, ctx, procEnv, gocache, binaries)
          : null;
    if (failed && recordCheck(obs, check.name, failed)) return obs;
  }
  return obs;
}

type CheckResult = { step: StepRecord; diagnostics: string } | null;

function forbidCheck(
  check: Extract<Check, { kind: 'go-forbid' }>,
  output: Parameters<typeof forbiddenGoType>[0],
): CheckResult {
  const found = forbiddenGoType(output, check.types);
  const step: StepRecord = {
    name: check.name,
    ok: !found,
    status: found ? 'failed' : 'ok',
    durationMs: 0,
    exitCode: null,
  };
  return {
    step,
    diagnostics: found ? `${check.message} (${found.File}:${found.Line} carries ${found.Text})` : '',
  };
}

/** The first data race report (`WARNING: DATA RACE` … `==================`), bounded. */
export function firstRaceReport(text: string): string | null {
  const at = text.indexOf('WARNING: DATA RACE');
  if (at < 0) return null;
  const end = text.indexOf('==================', at);
  return text
    .slice(at, end < 0 ? undefined : end)
    .split('\n')
    .slice(0, 40)
    .join('\n');
}

/**
 * The hidden tests `check.run` selects, rebuilt with `-race` (cgo on: the race runtime needs it) and run
 * again. A race report in the submission, a failing test, or a run of none of them fails the check; a
 * race build that fails on code that just built and passed is the host's problem (infra).
 */
async function raceCheck(
  check: Extract<Check, { kind: 'race' }>,
  ctx: ToolchainContext,
  procEnv: Record<string, string>,
  gocache: string,
  binaries: [string, string][],
): Promise<CheckResult> {
  const seconds = check.timeout ?? 180;
  const started = Date.now();
  const raceEnv = { ...procEnv, CGO_ENABLED: '1', GORACE: 'halt_on_error=0 exitcode=66' };
  const raced = binaries.map(([p, bin]): [string, string] => [p, bin.replace(/\.test$/, '.race.test')]);
  const build = await buildSteps(
    ctx,
    raced.map(([p, bin]) => ['go', 'test', '-race', '-c', '-vet=off', '-o', bin, `./${p}`]),
    raceEnv,
    gocache,
    seconds,
  );
  const step = (r: ExecResult, ok: boolean): StepRecord => ({
    ...stepRecord(check.name, r, ok),
    durationMs: Date.now() - started,
  });
  if (!build.ok) {
    if (build.result.timedOut)
      return {
        step: step(build.result, false),
        diagnostics: `The ${check.name} build ran past its time limit.`,
      };
    return {
      step: { ...step(build.result, false), status: 'unavailable' },
      diagnostics: `The ${check.name} check could not run on this host (the -race build failed: ${build.result.stderr.split('\n').filter(Boolean).slice(-2).join(' ')}): the verdict cannot be established.`,
    };
  }
  const left = Math.max(1, seconds - (Date.now() - started) / 1000);
  const run = await runTests(ctx, raced, raceEnv, left, check.run ? [`-test.run=${check.run}`] : []);
  let selected: Set<string>;
  try {
    const re = new RegExp(check.run ?? '');
    selected = new Set(ctx.task.hiddenTests.filter((t) => re.test(t)));
  } catch {
    selected = new Set(ctx.task.hiddenTests);
  }
  const summary = parseGoTestEvents(run.stdout, selected);
  if (run.timedOut || run.outputExceeded || TIMED_OUT.test(summary.packageOutput))
    return {
      step: { ...step(run, false), status: 'timeout' },
      diagnostics: `The ${check.name} run did not finish within ${seconds} s under the race detector (a lost wake-up, a livelock, or a spin that never yields?).`,
    };
  const report = firstRaceReport(
    `${run.stdout.includes('DATA RACE') ? eventText(run.stdout) : ''}\n${run.stderr}`,
  );
  if (report)
    return {
      step: step(run, false),
      diagnostics: `The race detector found a data race while the stress tests ran:\n\n${report}`,
    };
  const ok = run.exitCode === 0 && summary.failed === 0 && summary.passed > 0 && !summary.problems.length;
  return {
    step: step(run, ok),
    diagnostics: ok
      ? ''
      : `Under the race detector the tests did not all pass:\n${[
          ...summary.failures.map((f) => `- ${f.name}: ${f.message.split('\n').slice(0, 5).join('\n')}`),
          ...summary.problems.map((p) => `- ${p}`),
        ].join('\n')}`,
  };
}

/** The text of a test2json stream's output events, in order. */
function eventText(stream: string): string {
  return stream
    .split('\n')
    .map((l) => {
      try {
        return (JSON.parse(l) as { Output?: string }).Output ?? '';
      } catch {
        return '';
      }
    })
    .join('');
}

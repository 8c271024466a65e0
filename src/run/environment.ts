import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { detectSandbox } from '../grade/sandbox.js';
import type { GradeEnv } from '../grade/toolchains/types.js';
import { toolchainFor } from '../grade/toolchains/index.js';
import { cacheRoot } from '../tasks/fixture.js';
import type { Task } from '../tasks/loader.js';

const exec = promisify(execFile);

function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5 && !existsSync(path.join(dir, 'package.json')); i++) dir = path.dirname(dir);
  return dir;
}

/** The harness's version and commit (GITHUB_SHA on a runner, else the checkout's HEAD when there is one). */
export async function harnessIdentity(
  env: NodeJS.ProcessEnv,
): Promise<{ version: string; commit: string | null }> {
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
    .version;
  if (env.AIBENCH_HARNESS_COMMIT) return { version, commit: env.AIBENCH_HARNESS_COMMIT };
  try {
    const { stdout } = await exec('git', ['rev-parse', 'HEAD'], { cwd: root, timeout: 5000 });
    return { version, commit: stdout.trim() || null };
  } catch {
    return { version, commit: null };
  }
}

async function versionOf(cmd: string, args: string[]): Promise<string | null> {
  try {
    const { stdout } = await exec(cmd, args, { timeout: 30_000 });
    return stdout.trim().split('\n')[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * Runs `work`, saying every `everyMs` that it is still going, so preparing (a fixture's npm install,
 * toolchain checks) never leaves a terminal silent for long.
 */
export async function withHeartbeat<T>(
  what: string,
  log: (line: string) => void,
  work: () => Promise<T>,
  everyMs = 8_000,
): Promise<T> {
  const started = Date.now();
  const timer = setInterval(
    () => log(`  still ${what} (${Math.round((Date.now() - started) / 1000)} s)`),
    everyMs,
  );
  timer.unref?.();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** Grading set-up under way: the sandbox is probed; each suite's fixture and toolchain check may still run. */
export interface GradingPreparation {
  env: GradeEnv;
  /** The versions in effect, filled in as each suite's preparation ends. */
  toolchains: Record<string, string>;
  /** Resolves once the suite can be graded; rejects with what failed (its message names the suite). */
  ready(suite: string): Promise<void>;
  /** Every suite's preparation, settled (never rejects: failures are reported through `ready`). */
  settled: Promise<void>;
}

/**
 * Once per run: probes the sandbox (awaited: the run's plan reports it), then starts installing/probing
 * what every grading of each suite shares (fixture installs, toolchains) without waiting for it. Model
 * calls need none of it, so a run starts them at once and only gradings wait (`ready`): a cold fixture
 * install (about 49 s of npm ci) overlaps the first replies instead of delaying them.
 */
export async function startGradingPreparation(
  tasks: Task[],
  hostEnv: NodeJS.ProcessEnv,
  log: (line: string) => void,
  /** Extra folders untrusted code must not see (the run's output folder). */
  protect: string[] = [],
  /** Called once the sandbox is known, before any suite's preparation logs (the run's header line). */
  onSandbox?: (sandbox: GradeEnv['sandbox']) => void,
): Promise<GradingPreparation> {
  const cacheDir = cacheRoot(hostEnv);
  // The harness's own package holds every task's reference solution: never visible to a submission.
  const sandbox = await detectSandbox(hostEnv, [
    packageRoot(),
    cacheDir,
    ...protect,
    ...tasks.map((t) => t.suite.dir),
  ]);
  if (sandbox.level !== 'namespaces')
    log(
      `warning: untrusted code runs with process-level isolation only; missing: ${sandbox.missing.join('; ')}`,
    );
  onSandbox?.(sandbox);
  const env: GradeEnv = { cacheDir, fixtures: new Map(), holds: [], nightly: false, hostEnv, sandbox };
  const suites = [...new Map(tasks.map((t) => [t.suite.name, t.suite])).values()];
  const toolchains: Record<string, string> = { node: process.version };
  const bySuite = new Map(
    suites.map((suite) => {
      const work = prepareSuite(
        suite,
        tasks.filter((t) => t.suite.name === suite.name),
        env,
        toolchains,
        log,
      );
      // Observed here so a failure nobody waits for (no reply reached grading) is not an unhandled rejection.
      work.catch(() => {});
      return [suite.name, work] as const;
    }),
  );
  return {
    env,
    toolchains,
    ready: (suite) => bySuite.get(suite) ?? Promise.reject(new Error(`suite ${suite} was not prepared`)),
    settled: Promise.allSettled(bySuite.values()).then(() => {}),
  };
}

async function prepareSuite(
  suite: Task['suite'],
  tasks: Task[],
  env: GradeEnv,
  toolchains: Record<string, string>,
  log: (line: string) => void,
): Promise<void> {
  log(
    suite.toolchain === 'node'
      ? `preparing ${suite.name}: installing its fixture's node_modules (cached after the first run)`
      : suite.toolchain === 'go'
        ? `preparing ${suite.name}: checking the Go toolchain and building its tamper scanner (cached)`
        : suite.toolchain === 'python'
          ? `preparing ${suite.name}: finding a Python 3.11+ with pytest`
          : `preparing ${suite.name}: checking the Rust toolchain (cargo; nightly for ThreadSanitizer)`,
  );
  await toolchainFor(suite).prepare(suite, env, log, tasks);
  Object.assign(toolchains, toolchainFor(suite).versions?.(env));
  if (suite.toolchain === 'node' && suite.fixture) {
    const pkg = JSON.parse(suite.fixture.files.get('package.json') ?? '{}') as {
      devDependencies?: Record<string, string>;
    };
    for (const dep of ['typescript', 'vitest']) {
      const v = pkg.devDependencies?.[dep];
      if (v) toolchains[`${suite.name}:${dep}`] = v;
    }
  }
  if (suite.toolchain === 'go' && env.go) toolchains.go = env.go.version;
  if (suite.toolchain === 'rust') {
    toolchains.cargo = (await versionOf('cargo', ['--version'])) ?? 'missing';
    toolchains['rust-nightly'] = env.nightly
      ? ((await versionOf('rustc', ['+nightly', '--version'])) ?? 'yes')
      : 'unavailable';
  }
}

/**
 * Prepares grading and waits for all of it (validate and the benchmark scripts grade at once), saying
 * every few seconds that it is still going; a failed preparation throws.
 */
export async function prepareGrading(
  tasks: Task[],
  hostEnv: NodeJS.ProcessEnv,
  log: (line: string) => void,
  protect: string[] = [],
): Promise<{ env: GradeEnv; toolchains: Record<string, string> }> {
  const prep = await startGradingPreparation(tasks, hostEnv, log, protect);
  await withHeartbeat('preparing the suites', log, () =>
    Promise.all([...new Set(tasks.map((t) => t.suite.name))].map((s) => prep.ready(s))),
  );
  return { env: prep.env, toolchains: prep.toolchains };
}

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
 * Once per run: installs/probes what every grading shares (fixture installs, toolchains) for the suites
 * the selected tasks use, and records the versions in effect.
 */
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

export async function prepareGrading(
  tasks: Task[],
  hostEnv: NodeJS.ProcessEnv,
  log: (line: string) => void,
  /** Extra folders untrusted code must not see (the run's output folder). */
  protect: string[] = [],
  /** Called once the sandbox is probed, before the (possibly slow) toolchain preparation. */
  onSandbox: (level: string) => void = () => {},
): Promise<{ env: GradeEnv; toolchains: Record<string, string> }> {
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
  onSandbox(sandbox.level);
  const env: GradeEnv = { cacheDir, fixtures: new Map(), nightly: false, hostEnv, sandbox };
  const suites = [...new Map(tasks.map((t) => [t.suite.name, t.suite])).values()];
  const toolchains: Record<string, string> = { node: process.version };
  for (const suite of suites) {
    const what =
      suite.toolchain === 'node'
        ? `preparing ${suite.name}: installing its fixture's node_modules (cached after the first run)`
        : suite.toolchain === 'python'
          ? `preparing ${suite.name}: finding a Python 3.11+ with pytest`
          : `preparing ${suite.name}: checking the Rust toolchain (cargo; nightly for ThreadSanitizer)`;
    log(what);
    await withHeartbeat(`preparing ${suite.name}`, log, () => toolchainFor(suite).prepare(suite, env, log));
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
    if (suite.toolchain === 'rust') {
      toolchains.cargo = (await versionOf('cargo', ['--version'])) ?? 'missing';
      toolchains['rust-nightly'] = env.nightly
        ? ((await versionOf('rustc', ['+nightly', '--version'])) ?? 'yes')
        : 'unavailable';
    }
  }
  return { env, toolchains };
}

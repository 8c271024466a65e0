import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gradeFiles, gradeReply } from '../../src/grade/grade.js';
import type { GradeEnv } from '../../src/grade/toolchains/types.js';
import type { GradeResult } from '../../src/grade/types.js';
import { detectSandbox } from '../../src/grade/sandbox.js';
import { toolchainHomes } from '../../src/grade/sandbox-env.js';
import { prepareGrading } from '../../src/run/environment.js';
import { cacheRoot } from '../../src/tasks/fixture.js';
import { loadTasks, type Task } from '../../src/tasks/loader.js';
import { FIXTURE_TASKS, tempDir } from './run-helpers.js';

/**
 * Shared set-up for the hostile-submission suite (test/hostile-*.test.ts): a host that looks like a CI
 * runner holding secrets (canary API keys and tokens in the harness's env, a checkout whose .git/config
 * persists a token, a runner temp folder, a decoy process whose environ holds the keys), the hostile
 * fixture tasks, and grading through the real pipeline (prepareGrading + gradeFiles / gradeReply).
 */

const tasks = loadTasks([FIXTURE_TASKS]);
export function hostileTask(
  key:
    | 'hostile-rust/L1-clamp'
    | 'hostile-rust/L1-clamp-scanned'
    | 'hostile-node/L1-greeting'
    | 'hostile-node/L1-greeting-scanned',
): Task {
  return tasks.find((t) => t.key === key)!;
}

/** Correct solutions, for "the next attempt is graded normally". */
export const RUST_REFERENCE = hostileTask('hostile-rust/L1-clamp').reference.get('src/lib.rs')!;
export const NODE_REFERENCE = hostileTask('hostile-node/L1-greeting').reference.get('src/Greeting.tsx')!;

/** A random tag per test process: a leak is found by searching for it, whatever the prefix. */
export const TAG = randomBytes(8).toString('hex');
export const CANARIES = {
  ANTHROPIC_API_KEY: `sk-canary-ant-${TAG}`,
  OPENAI_API_KEY: `sk-canary-oai-${TAG}`,
  DEEPSEEK_API_KEY: `sk-canary-ds-${TAG}`,
  GITHUB_TOKEN: `ghs_canary${TAG}`,
  ACTIONS_RUNTIME_TOKEN: `canary-runtime-${TAG}`,
  'INPUT_GITHUB-TOKEN': `ghs_canaryinput${TAG}`,
};

/**
 * A folder outside every place the sandbox hides by default (/tmp, home, cwd), so that what hides it is
 * the specific rule under test (GITHUB_WORKSPACE, RUNNER_TEMP, the out dir, HOME). Where no such folder
 * is writable (a non-root CI runner) it falls back to the temp dir, which is hidden anyway.
 */
export function exposedDir(prefix: string): string {
  for (const base of ['/srv', '/var/lib', '/opt']) {
    try {
      return mkdtempSync(path.join(base, prefix));
    } catch {
      // Not writable here: try the next.
    }
  }
  return tempDir(prefix);
}

export interface HostileHost {
  hostEnv: NodeJS.ProcessEnv;
  /** The fake checkout (GITHUB_WORKSPACE) with a token persisted in .git/config. */
  checkout: string;
  runnerTemp: string;
  home: string;
  /** A stand-in for the run's output folder, holding a results.json with a secret in it. */
  outDir: string;
  /** Parent of the grading workspaces (as the run's default, under the temp dir). */
  workRoot: string;
  /** Every secret string the host holds; none may ever reach feedback, results or transcripts. */
  secrets: string[];
  decoy: ChildProcess;
  cleanup(): void;
}

export function createHost(): HostileHost {
  const base = exposedDir('aibench-hostile-');
  const [checkout, runnerTemp, home, outDir] = ['checkout', 'runner-temp', 'home', 'out'].map((d) =>
    path.join(base, d),
  ) as [string, string, string, string];
  const gitToken = `ghp_canarygit${TAG}`;
  mkdirSync(path.join(checkout, '.git'), { recursive: true });
  writeFileSync(
    path.join(checkout, '.git', 'config'),
    `[remote "origin"]\n\turl = https://x-access-token:${gitToken}@github.com/acme/repo\n[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${gitToken}\n`,
  );
  mkdirSync(runnerTemp, { recursive: true });
  writeFileSync(path.join(runnerTemp, 'secret.env'), `TOKEN=canary-runner-temp-${TAG}\n`);
  mkdirSync(path.join(home, '.config'), { recursive: true });
  writeFileSync(path.join(home, '.config', 'credentials'), `canary-home-${TAG}\n`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ note: `canary-results-${TAG}` }));
  // The harness's own process holds the keys in its environ: a decoy stands in for it (its /proc entry
  // is what `/proc/*/environ` walkers look for).
  const decoy = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)', `aibench-decoy-${TAG}`], {
    env: { PATH: process.env.PATH, ...CANARIES },
    stdio: 'ignore',
  });
  const { cargoHome, rustupHome } = toolchainHomes(process.env);
  const hostEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...CANARIES,
    HOME: home,
    CARGO_HOME: cargoHome,
    RUSTUP_HOME: rustupHome,
    AIBENCH_CACHE: cacheRoot(process.env),
    GITHUB_WORKSPACE: checkout,
    RUNNER_TEMP: runnerTemp,
  };
  return {
    hostEnv,
    checkout,
    runnerTemp,
    home,
    outDir,
    workRoot: tempDir('aibench-hostile-work-'),
    secrets: [...Object.values(CANARIES), gitToken, TAG],
    decoy,
    cleanup() {
      decoy.kill('SIGKILL');
      rmSync(base, { recursive: true, force: true });
      rmSync(this.workRoot, { recursive: true, force: true });
    },
  };
}

/** The real per-run preparation, with the out dir protected as runBenchmark does. */
export async function prepareFor(host: HostileHost, tasks: Task[]): Promise<GradeEnv> {
  const { env } = await prepareGrading(tasks, host.hostEnv, () => {}, [host.outDir]);
  return env;
}

export interface Grader {
  /** Grades one file written at the task's single editable path. */
  (task: Task, source: string, opts?: { keepWorkspace?: boolean }): Promise<GradeResult>;
  reply(task: Task, reply: string): Promise<GradeResult>;
}

/** Grading through the real gradeFiles / gradeReply, with workspaces under the host's work root. */
export function grader(env: GradeEnv, host: HostileHost, slot: number): Grader {
  const opts = { env, slot, feedbackChars: 4000, workRoot: host.workRoot };
  const grade = ((task: Task, source: string, extra = {}) =>
    gradeFiles(task, new Map([[task.editable[0]!, source]]), { ...opts, ...extra })) as Grader;
  grade.reply = (task, reply) => gradeReply(task, reply, opts);
  return grade;
}

/** Every secret absent from `text` (feedback, a results file, a transcript). */
export function leakedSecrets(host: HostileHost, text: string): string[] {
  return host.secrets.filter((s) => text.includes(s));
}

/** Host processes whose command line contains `marker` (a submission's runaway children). */
export function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker) && Number(pid) !== process.pid)
        pids.push(Number(pid));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

export function uniqueMarker(name: string): string {
  return `aibench-hostile-${name}-${randomBytes(4).toString('hex')}`;
}

/** Rust string literal for embedding host paths into submissions. */
export const rs = (s: string): string => JSON.stringify(s);

/**
 * Whether this host gives namespaces (bubblewrap). Containment of files, /proc and the network depends
 * on them; without them (a runner without bubblewrap) the harness records level `process` and those
 * cases are skipped — what remains (env scrub, verdict, tamper scan, kills and caps) still runs.
 */
export const SANDBOX = await detectSandbox(process.env);
export const NAMESPACES = SANDBOX.level === 'namespaces';
/**
 * Whether a fork bomb meets a process cap: a cgroup, or RLIMIT_NPROC — which the kernel does not apply
 * to root. (As root without either, only the wall clock stops it: tens of thousands of processes.)
 */
export const PROCESS_CAP = SANDBOX.features.some((f) => f.startsWith('cgroup')) || process.getuid?.() !== 0;

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { holdEntry } from '../../cache/holds.js';
import { lockOwnerAlive, releaseLock, takeLock } from '../../cache/locks.js';
import type { Task } from '../../tasks/loader.js';
import { readSmallFileSync } from '../safe-read.js';
import { depInfoFiles } from '../scan/rust-text.js';
import { binaryExecutables, testExecutables } from './cargo-artifacts.js';
import { cargoEnv, hiddenTestTargets, testBuildCommand, type RustHost } from './rust-host.js';
import { execSandboxed, type GradeEnv } from './types.js';

const exec = promisify(execFile);

/**
 * Hidden integration tests that link none of the submission's code, built once from the task's own files.
 *
 * In a crate with no library (rust/L2's wc clone), an integration test can only reach the submission
 * through the binary whose path cargo bakes in at compile time (`env!("CARGO_BIN_EXE_<name>")`). Building
 * that test again for every grading bought nothing but CPU (about 0.5 CPU-s of rust/L2's 1.3), since
 * nothing the submission writes goes into it. So a run builds it once, from the starter and the hidden
 * files, in a cache folder, and each grading builds only the submission's own targets and runs the
 * prebuilt test with the submission's fresh binary bound (read-only, in the sandbox's own mount
 * namespace) at the path the test was compiled with.
 *
 * Whether a test qualifies is judged from what rustc itself recorded, never from the source text: its
 * dep-info must list no source outside the hidden `tests/` folder and no environment variable but
 * `CARGO_BIN_EXE_*`, and cargo's metadata must show a package with no library and no dependencies. Any
 * other task, or a host without namespaces (no bind mounts), builds its tests per grading as before.
 */
export interface PrebuiltTests {
  /** The cache entry's build folder: re-exposed read-only to the test step (it holds no source). */
  dir: string;
  /** Hidden test target -> its prebuilt executable. */
  tests: Map<string, string>;
  /** Binary name -> the path its tests run it from (where a grading binds the submission's build). */
  bins: Map<string, string>;
}

/** Bumped when what goes into an entry changes, so older entries are never read as current. */
const FORMAT = 'rust-prebuilt-1';
const GROUP = 'rust-hidden-tests';
/** How long a run waits for another process that is building the same entry. */
const WAIT_FOR_OTHER_MS = 180_000;

type Ready =
  | { eligible: true; tests: Record<string, string>; bins: Record<string, string> }
  | { eligible: false; why: string };

/**
 * What rustc's dep-info (`<output>.d`) says a compile read: its source files (scan/rust-text.ts) and
 * environment variables, each with the value it had (none: an `option_env!` of an unset variable).
 */
export function parseDepInfo(text: string): { sources: string[]; envDeps: Map<string, string | undefined> } {
  const envDeps = new Map<string, string | undefined>();
  for (const m of text.matchAll(/^# env-dep:([^=\n]*)(?:=(.*))?$/gm)) envDeps.set(m[1]!, m[2]);
  return { sources: depInfoFiles(text), envDeps };
}

/**
 * Why a hidden test built in `pkgDir` could read something of a submission's (null: it reads only hidden
 * files, and the submission only through the binaries it names).
 */
export function depInfoConcern(target: string, depInfo: string, pkgDir: string): string | null {
  const { sources, envDeps } = parseDepInfo(depInfo);
  const testsDir = path.join(pkgDir, 'tests') + path.sep;
  const outside = sources.find((s) => !path.resolve(pkgDir, s).startsWith(testsDir));
  if (outside) return `${target} reads ${outside} at compile time`;
  if (!sources.length) return `${target}'s dep-info lists no source`;
  for (const [name, value] of envDeps)
    if (!name.startsWith('CARGO_BIN_EXE_') || value === undefined)
      return `${target} reads ${name} at compile time`;
  return null;
}

function entryKey(task: Task, rustcVersion: string, host: RustHost): string {
  const h = createHash('sha256').update(FORMAT).update(rustcVersion).update(host.cargo);
  for (const files of [task.starter, task.hidden])
    for (const rel of [...files.keys()].sort()) h.update(`\0${rel}\0`).update(files.get(rel)!);
  return h.digest('hex').slice(0, 16);
}

function isFile(p: string): boolean {
  try {
    return lstatSync(p).isFile();
  } catch {
    return false;
  }
}

function readReady(dir: string): Ready | null {
  const text = readSmallFileSync(path.join(dir, 'ready.json'), 1 << 20);
  if (text === null) return null;
  let ready: Ready;
  try {
    ready = JSON.parse(text) as Ready;
  } catch {
    return null;
  }
  // An entry whose files went (removed by hand, a full disk mid-build) is built again, never half-used.
  const files = ready.eligible ? [...Object.values(ready.tests), ...Object.values(ready.bins)] : [];
  return files.every(isFile) ? ready : null;
}

function usable(ready: Ready, dir: string): PrebuiltTests | null {
  if (!ready.eligible) return null;
  return {
    dir: path.join(dir, 'target'),
    tests: new Map(Object.entries(ready.tests)),
    bins: new Map(Object.entries(ready.bins)),
  };
}

/** Takes the entry's build lock, waiting while a live process builds it; false when the wait ran out. */
async function takeBuildLock(lock: string): Promise<boolean> {
  const until = Date.now() + WAIT_FOR_OTHER_MS;
  while (!takeLock(lock)) {
    if (Date.now() > until || !lockOwnerAlive(lock)) return takeLock(lock);
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
}

/**
 * Builds one entry in `dir` (the path is baked into the test, so it is built in place, under the lock).
 * Only the build folder is kept: the task's files, hidden tests included, go once it is built, since the
 * test step shows the folder to the submission's binary (which may read files and print them).
 */
async function buildEntry(task: Task, env: GradeEnv, host: RustHost, dir: string): Promise<Ready> {
  rmSync(dir, { recursive: true, force: true });
  const pkg = path.join(dir, 'pkg');
  const scratch = path.join(dir, 'scratch');
  try {
    return await buildIn(task, env, host, { pkg, target: path.join(dir, 'target'), scratch });
  } finally {
    rmSync(pkg, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function buildIn(
  task: Task,
  env: GradeEnv,
  host: RustHost,
  { pkg, target, scratch }: { pkg: string; target: string; scratch: string },
): Promise<Ready> {
  for (const files of [task.starter, task.hidden])
    for (const [rel, content] of files) {
      mkdirSync(path.dirname(path.join(pkg, rel)), { recursive: true });
      writeFileSync(path.join(pkg, rel), content);
    }
  mkdirSync(target, { recursive: true });
  mkdirSync(scratch, { recursive: true });
  const procEnv = { ...cargoEnv(scratch, target, env.hostEnv), ...host.env, CARGO_PROFILE_DEV_DEBUG: '0' };
  // The task's own files only, but in the sandbox all the same: a task folder is input too.
  const run = (argv: string[]) =>
    execSandboxed(
      env,
      argv,
      { writable: [pkg, target], readable: [], scratch: [scratch], limitAddressSpace: true },
      { cwd: pkg, env: procEnv, timeoutMs: 300_000 },
    );
  const meta = await run([host.cargo, 'metadata', '--offline', '--no-deps', '--format-version', '1']);
  if (meta.exitCode !== 0) return { eligible: false, why: 'cargo metadata failed on the starter' };
  const packages = (
    JSON.parse(meta.stdout) as { packages: { targets: { kind: string[] }[]; dependencies: unknown[] }[] }
  ).packages;
  if (packages.length !== 1) return { eligible: false, why: 'not a single package' };
  const { targets, dependencies } = packages[0]!;
  if (dependencies.length) return { eligible: false, why: 'the package has dependencies' };
  // A library (which the tests link) or a build script (which could change what they compile) rules it out.
  const other = targets.flatMap((t) => t.kind).find((k) => !['bin', 'test', 'example', 'bench'].includes(k));
  if (other) return { eligible: false, why: `the package has a ${other} target` };
  const testTargets = hiddenTestTargets(task);
  if (!testTargets.length) return { eligible: false, why: 'no hidden test targets' };
  const build = await run(testBuildCommand(host.cargo, testTargets));
  if (build.timedOut) throw new Error('the build of the hidden tests timed out'); // not recorded: may pass next run
  if (build.exitCode !== 0)
    return { eligible: false, why: 'the hidden tests do not build against the starter' };
  const tests = testExecutables(build.stdout, testTargets);
  const bins = new Map<string, string>();
  for (const t of testTargets) {
    const exe = tests.get(t);
    if (!exe) return { eligible: false, why: `no executable for ${t}` };
    const depInfo = readSmallFileSync(`${exe}.d`, 1 << 20);
    if (depInfo === null) return { eligible: false, why: `no dep-info for ${t}` };
    const concern = depInfoConcern(t, depInfo, pkg);
    if (concern) return { eligible: false, why: concern };
    for (const [name, value] of parseDepInfo(depInfo).envDeps)
      bins.set(name.slice('CARGO_BIN_EXE_'.length), value!);
  }
  // Every binary a test names must be one cargo built here: its file is the bind's mount point.
  const built = binaryExecutables(build.stdout);
  for (const [name, p] of bins)
    if (built.get(name) !== p) return { eligible: false, why: `${name} is not a built binary` };
  return { eligible: true, tests: Object.fromEntries(tests), bins: Object.fromEntries(bins) };
}

/**
 * Once per run, for each Rust task of the run: the prebuilt hidden tests where they qualify (the map
 * holds only those). Entries are reused across runs and held until the run ends; never throws (a task
 * whose entry cannot be made builds its tests per grading).
 */
export async function prepareRustPrebuilt(
  tasks: Task[],
  env: GradeEnv,
  host: RustHost,
  log: (line: string) => void,
): Promise<Map<string, PrebuiltTests>> {
  const out = new Map<string, PrebuiltTests>();
  if (env.sandbox.level !== 'namespaces' || !tasks.length) return out;
  let rustcVersion: string;
  try {
    rustcVersion = (await exec(host.env.RUSTC ?? 'rustc', ['-vV'], { env: env.hostEnv, timeout: 60_000 }))
      .stdout;
  } catch {
    return out;
  }
  for (const task of tasks) {
    const dir = path.join(env.cacheDir, GROUP, entryKey(task, rustcVersion, host));
    env.holds.push(holdEntry(dir));
    try {
      let ready = readReady(dir);
      if (!ready) {
        const lock = `${dir}.lock`;
        mkdirSync(path.dirname(dir), { recursive: true });
        if (!(await takeBuildLock(lock))) continue;
        try {
          ready = readReady(dir); // another process built it while this one waited
          if (!ready) {
            ready = await buildEntry(task, env, host, dir);
            writeFileSync(path.join(dir, 'ready.json'), JSON.stringify(ready));
            if (ready.eligible)
              log(
                `rust: built ${task.key}'s hidden tests once, for every grading (they link no submission code)`,
              );
          }
        } finally {
          releaseLock(lock);
        }
      }
      const prebuilt = usable(ready, dir);
      if (prebuilt) out.set(task.key, prebuilt);
    } catch (err) {
      log(
        `rust: ${task.key}'s hidden tests will be built per grading: ${(err as Error).message.split('\n')[0]}`,
      );
    }
  }
  return out;
}

/** Whether a grading may use the prebuilt tests: the submission wrote nothing but sources under `src/`. */
export function prebuiltApplies(modelFiles: Set<string>): boolean {
  return [...modelFiles].every((rel) => rel.startsWith('src/') && rel.endsWith('.rs'));
}

/** What a grading's test step runs: test binaries, and for prebuilt ones what to bind where. */
export type TestsToRun =
  | { executables: Map<string, string>; prebuilt?: { dir: string; binds: [string, string][] } }
  | { missing: string };

/** The prebuilt hidden tests, each binary they run bound to the submission's build of it (`cargoJson`). */
export function testsAgainst(prebuilt: PrebuiltTests, cargoJson: string): TestsToRun {
  const built = binaryExecutables(cargoJson);
  const missing = [...prebuilt.bins.keys()].filter((name) => !built.has(name));
  if (missing.length)
    return {
      missing: `The build produced no binary named ${missing.join(', ')}: the tests run it, so keep the binary target the starter defines.`,
    };
  const binds = [...prebuilt.bins].map(([name, at]): [string, string] => [built.get(name)!, at]);
  return { executables: prebuilt.tests, prebuilt: { dir: prebuilt.dir, binds } };
}

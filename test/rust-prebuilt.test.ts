import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeFiles } from '../src/grade/grade.js';
import { removeTree } from '../src/grade/remove-tree.js';
import { detectSandbox } from '../src/grade/sandbox.js';
import {
  depInfoConcern,
  parseDepInfo,
  prepareRustPrebuilt,
  testsAgainst,
} from '../src/grade/toolchains/rust-prebuilt.js';
import { prepareGrading } from '../src/run/environment.js';
import { builtinTasksRoot, loadTasks, type Task } from '../src/tasks/loader.js';
import { gradingEnvFor, miniTask, tempDir } from './support/run-helpers.js';

const wc = loadTasks([builtinTasksRoot()]).find((t) => t.key === 'rust/L2-wc-rs')!;
const mini = miniTask();
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await removeTree(d);
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

/** rust/L2 with its hidden test file changed: a different task to the cache. */
function wcWithHiddenTest(extra: string): Task {
  const cli = `${wc.hidden.get('tests/cli.rs')!}\n${extra}\n`;
  return { ...wc, key: 'rust/L2-variant', hidden: new Map(wc.hidden).set('tests/cli.rs', cli) } as Task;
}

describe('what rustc’s dep-info says a hidden test read', () => {
  const pkg = '/cache/pkg';
  const depInfo = (lines: string[]) =>
    [
      `${pkg}/target/debug/deps/cli-1.d: tests/cli.rs tests/common/mod.rs`,
      '',
      'tests/cli.rs:',
      'tests/common/mod.rs:',
      ...lines,
    ].join('\n');

  it('sources and variables, paths with escaped spaces included', () => {
    const parsed = parseDepInfo(
      depInfo(['tests/my\\ file.rs:', '', '# env-dep:CARGO_BIN_EXE_wc-rs=/x/wc-rs', '# env-dep:UNSET']),
    );
    expect(parsed.sources).toEqual(['tests/cli.rs', 'tests/common/mod.rs', 'tests/my file.rs']);
    expect([...parsed.envDeps]).toEqual([
      ['CARGO_BIN_EXE_wc-rs', '/x/wc-rs'],
      ['UNSET', undefined],
    ]);
  });

  it('only hidden sources and the binaries’ paths qualify a test to be built once', () => {
    expect(depInfoConcern('cli', depInfo(['# env-dep:CARGO_BIN_EXE_wc-rs=/x/wc-rs']), pkg)).toBeNull();
    expect(depInfoConcern('cli', depInfo(['src/main.rs:']), pkg)).toBe(
      'cli reads src/main.rs at compile time',
    );
    expect(depInfoConcern('cli', depInfo(['tests/../src/x.rs:']), pkg)).toMatch(
      /reads tests\/\.\.\/src\/x\.rs/,
    );
    expect(depInfoConcern('cli', depInfo(['# env-dep:CARGO_MANIFEST_DIR=/ws']), pkg)).toMatch(
      /CARGO_MANIFEST_DIR/,
    );
    // option_env! of an unset variable: recorded without a value, and the grading's could differ.
    expect(depInfoConcern('cli', depInfo(['# env-dep:CARGO_BIN_EXE_other']), pkg)).toMatch(
      /CARGO_BIN_EXE_other/,
    );
    expect(depInfoConcern('cli', '', pkg)).toMatch(/lists no source/);
  });
});

describe('hidden tests that link no submission code are built once per run (rust/L2)', () => {
  const grading = gradingEnvFor([wc, mini], { beforeAll, afterAll });

  it('only for the task whose crate has no library', () => {
    // Two Rust suites (rust, mini) prepared at once on a cold cache: they used to race building the MIR
    // wrapper (one tmp name per process), and the loser turned every Rust grading of the run into infra.
    expect(grading.get().rustScanUnavailable).toBeUndefined();
    const prebuilt = grading.get().rustPrebuilt!;
    expect([...prebuilt.keys()]).toEqual(['rust/L2-wc-rs']);
    const entry = prebuilt.get('rust/L2-wc-rs')!;
    expect([...entry.bins.keys()]).toEqual(['wc-rs']);
    expect(existsSync(entry.tests.get('cli')!)).toBe(true);
    // The test step shows the entry's build folder to the submission's binary, which may read files
    // and print them: neither it nor the rest of the entry keeps any of the task's sources.
    const source = 'static COUNTER: AtomicUsize';
    expect(wc.hidden.get('tests/cli.rs')).toContain(source);
    const files = filesUnder(path.dirname(entry.dir));
    expect(files.some((f) => f.startsWith(entry.dir + path.sep) && f.endsWith('/wc-rs'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.rs') || readFileSync(f).includes(source))).toEqual([]);
  });

  it('a grading compiles no test and runs the submission’s binary: same verdicts as building the test per grading', async () => {
    const env = grading.get();
    const perGrading = { ...env, rustPrebuilt: new Map() };
    const work = tempDir('aibench-prebuilt-work-');
    dirs.push(work);
    const subjects: [string, Map<string, string>][] = [
      ['reference', wc.reference],
      ['starter', wc.starter],
      ...['exit-zero-on-failure', 'chars-as-bytes'].map((m): [string, Map<string, string>] => [
        m,
        wc.mutants.find((x) => x.name === m)!.files,
      ]),
    ];
    for (const [name, files] of subjects) {
      const once = await gradeFiles(wc, files, {
        env,
        slot: 0,
        feedbackChars: 4000,
        workRoot: work,
        keepWorkspace: true,
      });
      const each = await gradeFiles(wc, files, { env: perGrading, slot: 0, feedbackChars: 4000 });
      expect({
        name,
        outcome: once.outcome,
        failing: [...once.failingTests].sort(),
        tests: once.tests,
      }).toEqual({
        name,
        outcome: each.outcome,
        failing: [...each.failingTests].sort(),
        tests: each.tests,
      });
      expect(once.outcome === 'pass').toBe(name === 'reference');
    }
    // The kept workspaces built the submission's binary, never a test of their own.
    for (const ws of readdirSync(work)) {
      const deps = path.join(work, ws, 'target', 'debug', 'deps');
      if (!existsSync(deps)) continue;
      expect(readdirSync(deps).filter((f) => f.startsWith('cli-'))).toEqual([]);
      expect(readdirSync(deps).some((f) => f.startsWith('wc_rs-'))).toBe(true);
    }
  }, 300_000);

  it('a submission that adds a binary still passes; a build without the tested binary is a build failure', async () => {
    const env = grading.get();
    const extra = new Map(wc.reference).set('src/bin/extra.rs', 'fn main() { println!("extra"); }\n');
    expect((await gradeFiles(wc, extra, { env, slot: 0, feedbackChars: 4000 })).outcome).toBe('pass');
    // Only a manifest (not editable) could drop the wc-rs binary; the test step would then have nothing
    // to bind, and says so instead of running the tests against the starter's build.
    const entry = env.rustPrebuilt!.get(wc.key)!;
    const artifact = (name: string, test: boolean) =>
      JSON.stringify({
        reason: 'compiler-artifact',
        target: { name, kind: ['bin'] },
        profile: { test },
        executable: `/ws/target/debug/${name}`,
      });
    expect(testsAgainst(entry, [artifact('extra', false), artifact('wc-rs', true)].join('\n'))).toEqual({
      missing: expect.stringMatching(/no binary named wc-rs/),
    });
    expect(testsAgainst(entry, artifact('wc-rs', false))).toEqual({
      executables: entry.tests,
      prebuilt: { dir: entry.dir, binds: [['/ws/target/debug/wc-rs', entry.bins.get('wc-rs')]] },
    });
  }, 120_000);

  it('a hidden test that reads a variable or a file of the submission at compile time is built per grading', async () => {
    const env = grading.get();
    const lines: string[] = [];
    const prebuilt = await prepareRustPrebuilt(
      [
        wcWithHiddenTest('#[test]\nfn home() { let _ = option_env!("HOME"); }'),
        wcWithHiddenTest('#[test]\nfn reads_src() { let _ = include_str!("../src/main.rs"); }'),
      ],
      env,
      env.rustHost!,
      (l) => lines.push(l),
    );
    expect(prebuilt.size).toBe(0);
    const why = readdirSync(path.join(env.cacheDir, 'rust-hidden-tests'))
      .filter((d) => !d.includes('.'))
      .map((d) => readFileSync(path.join(env.cacheDir, 'rust-hidden-tests', d, 'ready.json'), 'utf8'));
    expect(why.join('\n')).toMatch(/cli reads HOME at compile time/);
    expect(why.join('\n')).toMatch(/cli reads tests\/\.\.\/src\/main\.rs at compile time/);
  }, 240_000);

  it('two runs sharing a cache build an entry once, and both use it', async () => {
    const env = grading.get();
    const cache = tempDir('aibench-prebuilt-cache-');
    dirs.push(cache);
    const lines: string[] = [];
    const [a, b] = await Promise.all(
      [1, 2].map(() =>
        prepareRustPrebuilt([wc], { ...env, cacheDir: cache, holds: [] }, env.rustHost!, (l) =>
          lines.push(l),
        ),
      ),
    );
    expect(a!.get(wc.key)!.tests).toEqual(b!.get(wc.key)!.tests);
    expect(lines.filter((l) => l.includes("built rust/L2-wc-rs's hidden tests"))).toHaveLength(1);
    // An entry that lost a file is built again rather than used half.
    rmSync(a!.get(wc.key)!.tests.get('cli')!);
    const again = await prepareRustPrebuilt(
      [wc],
      { ...env, cacheDir: cache, holds: [] },
      env.rustHost!,
      (l) => lines.push(l),
    );
    expect(existsSync(again.get(wc.key)!.tests.get('cli')!)).toBe(true);
    expect(lines.filter((l) => l.includes("built rust/L2-wc-rs's hidden tests"))).toHaveLength(2);
  }, 240_000);
});

describe('without namespaces', () => {
  it('nothing is prebuilt, and a step that needs a bind mount refuses to run', async () => {
    const hostEnv = { ...process.env, AIBENCH_SANDBOX: 'process' };
    const cache = tempDir('aibench-prebuilt-process-');
    dirs.push(cache);
    const { env } = await prepareGrading([wc], { ...hostEnv, AIBENCH_CACHE: cache }, () => {});
    expect(env.sandbox.level).toBe('process');
    expect(env.rustPrebuilt?.size ?? 0).toBe(0);
    const sandbox = await detectSandbox(hostEnv);
    expect(() =>
      sandbox.wrap(['true'], { writable: [], readable: [], binds: [['/bin/true', '/bin/false']] }),
    ).toThrow(/needs a bind mount/);
    expect((await gradeFiles(wc, wc.reference, { env, slot: 0, feedbackChars: 4000 })).outcome).toBe('pass');
  }, 240_000);
});

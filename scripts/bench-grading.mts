// Grading cost, measured side by side in one run (the machine is shared and noisy: only ratios between
// runs interleaved here mean anything).
//   npx tsx scripts/bench-grading.mts [--repeat 5] [--tasks react/L1-statcard,rust/L3-cache] [--hand-incremental]
//     [--before <git revision>]
// For each task: the full harness grading of the reference (fresh workspace, sandbox, tamper scan,
// parsing, verdict) against the toolchain commands a person would type by hand in a reused workspace
// (docs/TASKS.md: `tsc -p .` + `vitest run`; `cargo build --all-targets` + `cargo test --test <t>…`
// + the TSan check's `cargo +nightly test --test <check>`), with the sources rewritten before each
// so the crate is rebuilt as it is for a new attempt. CPU-seconds come from a cgroup around each
// (scripts/cpu-meter.mts), so sandboxed processes count. Also prints the harness's median wall time
// against the task's warm-grading budget (React and Python 5 s, Rust and Go 10 s; with a TSan or -race
// check 60 s). Python by hand: `python3 -m pytest -q`; Go: `go vet ./...` + `go test -count=1 ./...`
// (+ `go test -race` for a race check). With --before, that revision's harness (exported to a temp
// folder, with its own task files) grades in every round too, interleaved with this checkout's and the
// hand's, and each tree gets its own row against the same hand figures.
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { gradeFiles } from '../src/grade/grade.js';
import { sandboxEnv } from '../src/grade/sandbox-env.js';
import { goEnv } from '../src/grade/toolchains/go.js';
import { hiddenTestTargets } from '../src/grade/toolchains/rust-host.js';
import { tsanCargoTest, tsanEnv } from '../src/grade/toolchains/tsan.js';
import { createWorkspace, removeWorkspace, type Workspace } from '../src/grade/workspace.js';
import { prepareGrading } from '../src/run/environment.js';
import { builtinTasksRoot, loadTasks, selectTasks, type Task } from '../src/tasks/loader.js';
import { machineCpuSeconds, metered } from './cpu-meter.mjs';
import { checkoutName, exportRevision, shortRev } from './git-revision.mjs';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '5' },
    tasks: { type: 'string' },
    'hand-incremental': { type: 'boolean', default: false },
    before: { type: 'string' },
  },
});
const repeat = Number(values.repeat);
const tasks = selectTasks(loadTasks([builtinTasksRoot()]), undefined, values.tasks?.split(','));
const { env } = await prepareGrading(tasks, process.env, (l) => console.error(l));

/** A harness that grades: this checkout's, or --before's loaded from its exported tree. */
interface Tree {
  name: string;
  grade: (key: string) => Promise<{ outcome: string }>;
}
const byKey = (ts: Task[], key: string): Task => ts.find((t) => t.key === key)!;
const trees: Tree[] = [
  {
    name: values.before ? `after (${checkoutName()})` : 'this checkout',
    grade: (key) =>
      gradeFiles(byKey(tasks, key), byKey(tasks, key).reference, { env, slot: 0, feedbackChars: 4000 }),
  },
];
const { before } = values;
const beforeRoot = before ? exportRevision(before) : null;
if (before && beforeRoot) {
  const load = async <T,>(rel: string): Promise<T> => (await import(path.join(beforeRoot, rel))) as T;
  const grade = await load<typeof import('../src/grade/grade.js')>('src/grade/grade.ts');
  const environment = await load<typeof import('../src/run/environment.js')>('src/run/environment.ts');
  const loader = await load<typeof import('../src/tasks/loader.js')>('src/tasks/loader.ts');
  const bTasks = loader.selectTasks(
    loader.loadTasks([loader.builtinTasksRoot()]),
    undefined,
    values.tasks?.split(','),
  );
  const bEnv = (await environment.prepareGrading(bTasks, process.env, (l) => console.error(l))).env;
  trees.unshift({
    name: `before (${before} ${shortRev(before)})`,
    grade: (key) =>
      grade.gradeFiles(byKey(bTasks, key), byKey(bTasks, key).reference, {
        env: bEnv,
        slot: 0,
        feedbackChars: 4000,
      }),
  });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The toolchain commands for one attempt, typed by hand: no sandbox, no scan, no parsing. */
function handCommands(task: Task, ws: Workspace): { argv: string[]; env: Record<string, string> }[] {
  if (task.suite.toolchain === 'node') {
    const e = sandboxEnv(ws.scratch, {}, process.env);
    return [
      { argv: [process.execPath, 'node_modules/typescript/bin/tsc', '-p', '.'], env: e },
      { argv: [process.execPath, 'node_modules/vitest/vitest.mjs', 'run'], env: e },
    ];
  }
  if (task.suite.toolchain === 'python') {
    const e = sandboxEnv(ws.scratch, {}, process.env);
    return [{ argv: ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider'], env: e }];
  }
  if (task.suite.toolchain === 'go') {
    // A person's warm build cache, and -count=1: a repeated `go test` would otherwise print cached results.
    const e = goEnv(env.go!, ws.scratch, path.join(os.tmpdir(), 'aibench-bench-gocache'), process.env);
    return [
      { argv: ['go', 'vet', './...'], env: e },
      { argv: ['go', 'test', '-count=1', './...'], env: e },
      ...task.checks
        .filter((c) => c.kind === 'race')
        .map((c) => ({
          argv: ['go', 'test', '-race', '-count=1', ...(c.run ? [`-run=${c.run}`] : []), './...'],
          env: { ...e, CGO_ENABLED: '1' },
        })),
    ];
  }
  // Incremental compilation off, as CI runs cargo (and as the harness grades): the sources rewritten
  // before each round differ by one newline, so incremental state would reuse nearly every query and
  // measure a no-op rebuild instead of a new attempt's code. `--hand-incremental` keeps it on.
  const e = sandboxEnv(
    ws.scratch,
    {
      CARGO_TARGET_DIR: path.join(ws.root, 'target'),
      ...(values['hand-incremental'] ? {} : { CARGO_INCREMENTAL: '0' }),
    },
    process.env,
  );
  const cmds = [
    { argv: ['cargo', 'build', '--offline', '--all-targets'], env: e },
    {
      argv: [
        'cargo',
        'test',
        '--offline',
        '--no-fail-fast',
        ...hiddenTestTargets(task).flatMap((t) => ['--test', t]),
      ],
      env: e,
    },
  ];
  for (const check of task.checks) {
    if (check.kind !== 'tsan') continue;
    cmds.push({
      argv: tsanCargoTest(check),
      env: { ...e, CARGO_TARGET_DIR: path.join(ws.root, 'target', 'tsan'), ...tsanEnv(check, ws.dir) },
    });
  }
  return cmds;
}

const machine0 = machineCpuSeconds();
const wall0 = performance.now();
console.log(
  `sandbox: ${env.sandbox.level}; ${os.cpus().length} cores; load ${os.loadavg()[0]!.toFixed(1)}; repeat ${repeat}`,
);
console.log(
  '| task | tree | budget | harness wall | of budget | harness CPU | hand CPU | CPU harness / hand | wall harness / hand |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const task of tasks) {
  const budget = ['node', 'python'].includes(task.suite.toolchain)
    ? 5
    : task.checks.some((c) => c.kind === 'tsan' || c.kind === 'race')
      ? 60
      : 10;
  const ws = createWorkspace(
    path.join(os.tmpdir(), 'aibench-bench'),
    task,
    task.reference,
    env.fixtures.get(task.suite.name),
  );
  const hand = async () => {
    // A new attempt's sources: new contents and times, so the crate (or the typecheck) is redone.
    for (const [rel, content] of task.reference) writeFileSync(path.join(ws.dir, rel), `${content}\n`);
    for (const c of handCommands(task, ws)) {
      try {
        await run(c.argv[0]!, c.argv.slice(1), { cwd: ws.dir, env: c.env, maxBuffer: 256 * 1024 ** 2 });
      } catch (err) {
        // 66: ThreadSanitizer's exit code for std's own reports, which the check tolerates too.
        if ((err as { code?: number }).code !== 66)
          throw new Error(`${c.argv.join(' ')} failed`, { cause: err });
      }
    }
  };
  for (const tree of trees) {
    const first = await tree.grade(task.key); // warm-up: caches, target dirs
    if (first.outcome !== 'pass')
      throw new Error(`${task.key}: the reference did not pass ${tree.name} (${first.outcome})`);
  }
  await hand();
  const handRuns = { wall: [] as number[], cpu: [] as number[] };
  const harnessRuns = trees.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let i = 0; i < repeat; i++) {
    for (const [j, tree] of trees.entries()) {
      const r = await metered(() => tree.grade(task.key));
      if (r.value.outcome !== 'pass')
        throw new Error(
          `${task.key}: the reference failed a warm grading by ${tree.name} (${r.value.outcome})`,
        );
      harnessRuns[j]!.wall.push(r.wall);
      harnessRuns[j]!.cpu.push(r.cpu);
    }
    const m = await metered(hand);
    handRuns.wall.push(m.wall);
    handRuns.cpu.push(m.cpu);
  }
  await removeWorkspace(ws);
  const [bw, bc] = [median(handRuns.wall), median(handRuns.cpu)];
  for (const [j, tree] of trees.entries()) {
    const [hw, hc] = [median(harnessRuns[j]!.wall), median(harnessRuns[j]!.cpu)];
    console.log(
      `| ${task.key} | ${tree.name} | ${budget} s | ${hw.toFixed(2)} s | ${((hw / budget) * 100).toFixed(0)}% | ${hc.toFixed(2)} s | ${bc.toFixed(2)} s | ${(hc / bc).toFixed(2)}× | ${(hw / bw).toFixed(2)}× |`,
    );
  }
}
const busy = (machineCpuSeconds() - machine0) / ((performance.now() - wall0) / 1000);
if (beforeRoot) rmSync(beforeRoot, { recursive: true, force: true });
console.log(
  `machine: ${busy.toFixed(2)} of ${os.cpus().length} cores busy on average during the run (all processes); load ${os.loadavg()[0]!.toFixed(1)}`,
);

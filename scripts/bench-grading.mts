// Grading cost, measured side by side in one run (the machine is shared and noisy: only ratios between
// runs interleaved here mean anything).
//   npx tsx scripts/bench-grading.mts [--repeat 5] [--tasks react/L1-statcard,rust/L3-cache] [--hand-incremental]
// For each task: the full harness grading of the reference (fresh workspace, sandbox, tamper scan,
// parsing, verdict) against the toolchain commands a person would type by hand in a reused workspace
// (docs/TASKS.md: `tsc -p .` + `vitest run`; `cargo build --all-targets` + `cargo test --test <t>…`
// + the TSan check's `cargo +nightly test --test <check>`), with the sources rewritten before each
// so the crate is rebuilt as it is for a new attempt. CPU-seconds come from a cgroup around each
// (scripts/cpu-meter.mts), so sandboxed processes count. Also prints the harness's median wall time
// against the task's warm-grading budget (React and Python 5 s, Rust and Go 10 s; with a TSan or -race
// check 60 s). Python by hand: `python3 -m pytest -q`; Go: `go vet ./...` + `go test -count=1 ./...`
// (+ `go test -race` for a race check).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { gradeFiles } from '../src/grade/grade.js';
import { sandboxEnv } from '../src/grade/sandbox-env.js';
import { goEnv } from '../src/grade/toolchains/go.js';
import { hiddenTestTargets } from '../src/grade/toolchains/rust.js';
import { tsanCargoTest, tsanEnv } from '../src/grade/toolchains/tsan.js';
import { createWorkspace, removeWorkspace, type Workspace } from '../src/grade/workspace.js';
import { prepareGrading } from '../src/run/environment.js';
import { builtinTasksRoot, loadTasks, selectTasks, type Task } from '../src/tasks/loader.js';
import { machineCpuSeconds, metered } from './cpu-meter.mjs';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '5' },
    tasks: { type: 'string' },
    'hand-incremental': { type: 'boolean', default: false },
  },
});
const repeat = Number(values.repeat);
const tasks = selectTasks(loadTasks([builtinTasksRoot()]), undefined, values.tasks?.split(','));
const { env } = await prepareGrading(tasks, process.env, (l) => console.error(l));
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
  '| task | budget | harness wall | of budget | harness CPU | hand CPU | CPU harness / hand | wall harness / hand |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
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
  const full = () => gradeFiles(task, task.reference, { env, slot: 0, feedbackChars: 4000 });
  const first = await full(); // warm-up: caches, target dirs
  if (first.outcome !== 'pass') throw new Error(`${task.key}: the reference did not pass (${first.outcome})`);
  await hand();
  const h = { wall: [] as number[], cpu: [] as number[] };
  const b = { wall: [] as number[], cpu: [] as number[] };
  for (let i = 0; i < repeat; i++) {
    const r = await metered(full);
    if (r.value.outcome !== 'pass')
      throw new Error(`${task.key}: the reference failed a warm grading (${r.value.outcome})`);
    h.wall.push(r.wall);
    h.cpu.push(r.cpu);
    const m = await metered(hand);
    b.wall.push(m.wall);
    b.cpu.push(m.cpu);
  }
  await removeWorkspace(ws);
  const [hw, hc, bw, bc] = [median(h.wall), median(h.cpu), median(b.wall), median(b.cpu)];
  console.log(
    `| ${task.key} | ${budget} s | ${hw.toFixed(2)} s | ${((hw / budget) * 100).toFixed(0)}% | ${hc.toFixed(2)} s | ${bc.toFixed(2)} s | ${(hc / bc).toFixed(2)}× | ${(hw / bw).toFixed(2)}× |`,
  );
}
const busy = (machineCpuSeconds() - machine0) / ((performance.now() - wall0) / 1000);
console.log(
  `machine: ${busy.toFixed(2)} of ${os.cpus().length} cores busy on average during the run (all processes); load ${os.loadavg()[0]!.toFixed(1)}`,
);

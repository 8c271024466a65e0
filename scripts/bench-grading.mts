// Grading speed, measured side by side in one run (the machine is shared and noisy: only ratios
// between runs interleaved here mean anything).
//   npx tsx scripts/bench-grading.mts [--repeat 5] [--tasks react/L1-statcard,rust/L3-cache]
// For each task: the full harness grading of the reference (fresh workspace, sandbox, parsing,
// verdict) against the same toolchain steps run bare in a reused workspace without the sandbox, and
// the harness's median against the task's warm-grading budget (React 5 s, Rust 10 s; L5's TSan check 60 s).
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gradeFiles } from '../src/grade/grade.js';
import { toolchainFor } from '../src/grade/toolchains/index.js';
import { createWorkspace, removeWorkspace } from '../src/grade/workspace.js';
import { prepareGrading } from '../src/run/environment.js';
import { builtinTasksRoot, loadTasks, selectTasks } from '../src/tasks/loader.js';

const { values } = parseArgs({
  options: { repeat: { type: 'string', default: '5' }, tasks: { type: 'string' } },
});
const repeat = Number(values.repeat);
const tasks = selectTasks(loadTasks([builtinTasksRoot()]), undefined, values.tasks?.split(','));
const { env } = await prepareGrading(tasks, process.env, (l) => console.error(l));
const bareEnv = {
  ...env,
  sandbox: { ...env.sandbox, wrap: (argv: string[]) => ({ argv, cleanup: () => {} }) },
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(
  `sandbox: ${env.sandbox.level}; ${os.cpus().length} cores; load ${os.loadavg()[0]!.toFixed(1)}; repeat ${repeat}`,
);
console.log('| task | budget | harness median | of budget | bare median | harness / bare |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const task of tasks) {
  const budget = task.suite.toolchain === 'node' ? 5 : task.checks.some((c) => c.kind === 'tsan') ? 60 : 10;
  const ws = createWorkspace(
    path.join(os.tmpdir(), 'aibench-bench'),
    task,
    task.reference,
    env.fixtures.get(task.suite.name),
  );
  const bare = () =>
    toolchainFor(task.suite).grade({
      task,
      ws,
      slot: 0,
      env: bareEnv,
      modelFiles: new Set(task.reference.keys()),
    });
  const full = () => gradeFiles(task, task.reference, { env, slot: 0, feedbackChars: 4000 });
  const first = await full(); // warm-up: caches, target dirs
  if (first.outcome !== 'pass') throw new Error(`${task.key}: the reference did not pass (${first.outcome})`);
  await bare();
  const harness: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < repeat; i++) {
    let t = Date.now();
    const r = await full();
    harness.push(Date.now() - t);
    if (r.outcome !== 'pass')
      throw new Error(`${task.key}: the reference failed a warm grading (${r.outcome})`);
    t = Date.now();
    await bare();
    raw.push(Date.now() - t);
  }
  removeWorkspace(ws);
  const h = median(harness) / 1000;
  const b = median(raw) / 1000;
  console.log(
    `| ${task.key} | ${budget} s | ${h.toFixed(2)} s | ${((h / budget) * 100).toFixed(0)}% | ${b.toFixed(2)} s | ${(h / b).toFixed(2)}× |`,
  );
}

// What the resolution-based Rust tamper scan costs per grading, measured side by side in one run.
//   npx tsx scripts/bench-rust-scan.mts [--repeat 3] [--tasks rust/L1-merge-intervals,rust/L3-cache]
// Grades each task's reference `repeat` times, one at a time, and prints the median duration of the
// scan step (the submission's compile with MIR/HIR/dep-info printing, hidden sources masked) next to
// the rest of the grading (build of the test targets, test run, checks), and their ratio.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { gradeFiles } from '../src/grade/grade.js';
import { prepareGrading } from '../src/run/environment.js';
import { builtinTasksRoot, loadTasks, selectTasks } from '../src/tasks/loader.js';

const { values } = parseArgs({
  options: { repeat: { type: 'string', default: '3' }, tasks: { type: 'string' } },
});
const repeat = Number(values.repeat);
const tasks = selectTasks(
  loadTasks([builtinTasksRoot()]),
  undefined,
  values.tasks?.split(',') ?? ['rust/L1-merge-intervals'],
).filter((t) => t.suite.toolchain === 'rust');
const { env } = await prepareGrading(tasks, process.env, (l) => console.error(l));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(
  `sandbox: ${env.sandbox.level}; ${os.cpus().length} cores; load ${os.loadavg()[0]!.toFixed(1)}; repeat ${repeat}`,
);
console.log('| task | scan median (s) | rest of grading median (s) | scan / rest | outcome |');
console.log('|---|---:|---:|---:|---|');
for (const task of tasks) {
  const scan: number[] = [];
  const rest: number[] = [];
  let outcome = '';
  for (let i = 0; i < repeat; i++) {
    const r = await gradeFiles(task, task.reference, { env, slot: 0, feedbackChars: 4000 });
    const s = r.steps.find((x) => x.name === 'tamper-scan')?.durationMs ?? 0;
    scan.push(s);
    rest.push(r.gradeMs - s);
    outcome = r.outcome;
  }
  const [s, o] = [median(scan) / 1000, median(rest) / 1000];
  console.log(`| ${task.key} | ${s.toFixed(2)} | ${o.toFixed(2)} | ${(s / o).toFixed(2)} | ${outcome} |`);
}

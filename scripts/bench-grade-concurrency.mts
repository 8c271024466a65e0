// How many gradings at once finish a batch soonest, measured side by side in one run (the machine is
// shared and noisy: only ratios between levels interleaved here mean anything).
//   npx tsx scripts/bench-grade-concurrency.mts [--levels 1,2,3,4] [--rounds 1] [--tasks rust/L1-merge-intervals,…]
// Each round grades the same batch (every selected task's reference, twice) at each level in turn,
// through the run's own Pool. CPU-seconds come from a cgroup around each batch (scripts/cpu-meter.mts),
// so sandboxed compilers and tests count. Prints wall and CPU per level and their ratio to level 1.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { gradeFiles } from '../src/grade/grade.js';
import { prepareGrading } from '../src/run/environment.js';
import { Pool } from '../src/run/pool.js';
import { builtinTasksRoot, loadTasks, selectTasks } from '../src/tasks/loader.js';
import { machineCpuSeconds, metered } from './cpu-meter.mjs';

const { values } = parseArgs({
  options: {
    levels: { type: 'string', default: '1,2,3,4' },
    rounds: { type: 'string', default: '1' },
    tasks: {
      type: 'string',
      default: 'rust/L1-merge-intervals,rust/L3-cache,react/L1-statcard,react/L3-userstable',
    },
  },
});
const levels = values.levels.split(',').map(Number);
const tasks = selectTasks(loadTasks([builtinTasksRoot()]), undefined, values.tasks.split(','));
const { env } = await prepareGrading(tasks, process.env, (l) => console.error(l));
const batch = [...tasks, ...tasks];
const grade = (slot: number, i: number) =>
  gradeFiles(batch[i]!, batch[i]!.reference, { env, slot, feedbackChars: 4000 });

// Warm-up: fixture installs, toolchain caches, page cache.
for (const task of tasks) await grade(0, tasks.indexOf(task));

const results = new Map(levels.map((n) => [n, { wall: [] as number[], cpu: [] as number[] }]));
const machine0 = machineCpuSeconds();
const wall0 = performance.now();
for (let round = 0; round < Number(values.rounds); round++) {
  for (const n of levels) {
    const pool = new Pool(n);
    const r = await metered(() => Promise.all(batch.map((_, i) => pool.use((slot) => grade(slot, i)))));
    const failed = r.value.filter((g) => g.outcome !== 'pass');
    if (failed.length)
      throw new Error(`a reference failed at ${n} at once: ${failed.map((g) => g.outcome).join(', ')}`);
    results.get(n)!.wall.push(r.wall);
    results.get(n)!.cpu.push(r.cpu);
    console.error(`round ${round + 1}, ${n} at once: ${r.wall.toFixed(1)} s wall, ${r.cpu.toFixed(1)} CPU-s`);
  }
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const base = results.get(levels[0]!)!;
console.log(
  `${batch.length} gradings per batch (${values.tasks}), ${values.rounds} round(s); ${os.cpus().length} cores`,
);
console.log(
  `| at once | wall | CPU | cores busy (CPU / wall) | wall / ${levels[0]} at once | CPU / ${levels[0]} at once |`,
);
console.log('|---:|---:|---:|---:|---:|---:|');
for (const [n, r] of results) {
  const [w, c] = [sum(r.wall), sum(r.cpu)];
  console.log(
    `| ${n} | ${w.toFixed(1)} s | ${c.toFixed(1)} s | ${(c / w).toFixed(2)} | ${(w / sum(base.wall)).toFixed(2)}× | ${(c / sum(base.cpu)).toFixed(2)}× |`,
  );
}
const busy = (machineCpuSeconds() - machine0) / ((performance.now() - wall0) / 1000);
console.log(
  `machine: ${busy.toFixed(2)} of ${os.cpus().length} cores busy on average during the run (all processes, this one included); load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

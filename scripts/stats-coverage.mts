/**
 * Coverage of the statistics module's intervals on synthetic runs with known per-task pass
 * probabilities (tasks drawn from a mix of difficulties; the truth is the mix's mean), and the
 * `significant` gate's false-alarm rate on identical models. `npx tsx scripts/stats-coverage.mts [runs]`.
 */
import { taskMeanInterval } from '../src/results/stats/intervals.js';
import { comparePaired } from '../src/results/stats/paired.js';
import { seededRng } from '../src/results/stats/random.js';
import { MIX_MEAN, Synth } from '../test/support/stats-sim.js';

const runs = Number(process.argv[2] ?? 5000);
const sim = new Synth(2024);
console.log(`${runs} synthetic runs per row; nominal coverage 95%\n`);
console.log('interval                      tasks trials  coverage  below0/false alarm');
for (const [tasks, trials] of [
  [10, 1],
  [30, 1],
  [10, 3],
  [20, 3],
  [50, 5],
] as const) {
  let cover = 0;
  for (let r = 0; r < runs; r++) {
    const cells = Array.from({ length: tasks }, () => sim.cell(sim.difficulty(), trials));
    const iv = taskMeanInterval(
      cells.map((c) => c.passes / c.graded),
      trials,
    );
    if (iv.low <= MIX_MEAN && MIX_MEAN <= iv.high) cover++;
  }
  console.log(
    `pass rate (${trials > 1 ? 'clustered Wilson' : 'Wilson'})`.padEnd(30),
    String(tasks).padStart(5),
    String(trials).padStart(6),
    `${((cover / runs) * 100).toFixed(1)}%`.padStart(9),
  );
}
for (const [tasks, trials, factor] of [
  [10, 1, 1],
  [20, 1, 1],
  [10, 3, 1],
  [20, 3, 1],
  [30, 3, 0.8],
  [20, 5, 0.8],
] as const) {
  let cover = 0;
  let flagged = 0;
  const truth = (factor - 1) * MIX_MEAN;
  for (let r = 0; r < runs; r++) {
    const pairs = Array.from({ length: tasks }, () => {
      const q = sim.difficulty();
      return { task: 't', base: sim.cell(q, trials), head: sim.cell(q * factor, trials) };
    });
    const c = comparePaired(pairs, seededRng(`run ${r}`), { resamples: 1000, deltas: false })!;
    if (c.difference.low <= truth && truth <= c.difference.high) cover++;
    if (c.verdict === 'regressed') flagged++;
  }
  console.log(
    `paired Δ ${factor === 1 ? '(identical models)' : `(head = ${factor}× base)`}`.padEnd(30),
    String(tasks).padStart(5),
    String(trials).padStart(6),
    `${((cover / runs) * 100).toFixed(1)}%`.padStart(9),
    `${((flagged / runs) * 100).toFixed(1)}% ${factor === 1 ? 'false alarms' : 'detected'}`.padStart(20),
  );
}

import { sumCosts } from '../../models/prices.js';
import { binomialCdfAt } from './distributions.js';
import { clusterBootstrap, pairedDifferenceInterval, type Interval } from './intervals.js';
import type { Rng } from './random.js';
import type { TaskCell } from './cells.js';

export type Verdict = 'regressed' | 'improved' | 'no detectable change';

/** One task graded on both sides. */
export interface PairedTask {
  task: string;
  base: TaskCell;
  head: TaskCell;
}

export interface PairedComparison {
  /** Tasks graded on both sides: the unit of the comparison. */
  tasks: number;
  /** Mean over tasks of each side's per-task pass rate. */
  baseRate: number;
  headRate: number;
  /** head − base pass rate, paired by task (MOVER from the task-clustered Wilson intervals). */
  difference: Interval;
  /** Tasks whose pass rate fell / rose (with one trial: McNemar's discordant pairs). */
  worse: number;
  better: number;
  /** Two-sided exact p-value of the sign test on those tasks (McNemar's exact test with one trial). */
  exactP: number;
  test: 'mcnemar-exact' | 'sign-test';
  verdict: Verdict;
  /** head − base mean cost per graded trial; null when a price is unknown on either side. */
  cost: Interval | null;
  /** head − base mean model time per graded trial, in ms. */
  modelMs: Interval | null;
}

/**
 * Two-sided exact sign test: of `worse + better` tasks that changed, is the split compatible with 50/50?
 * With one trial per task this is McNemar's exact test on the discordant pairs. p is capped at 1.
 */
export function signTestP(worse: number, better: number): number {
  const n = worse + better;
  if (!n) return 1;
  return Math.min(1, 2 * binomialCdfAt(Math.min(worse, better), n, 0.5));
}

const rate = (c: TaskCell) => c.passes / c.graded;

function meanOf(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Per-task paired differences → bootstrap interval of their mean (tasks resampled together, both sides). */
function pairedMean(diffs: number[], rng: Rng, confidence: number, resamples?: number): Interval {
  const est = meanOf(diffs);
  return clusterBootstrap(
    diffs.length,
    est,
    (idx) => {
      let s = 0;
      for (let j = 0; j < idx.length; j++) s += diffs[idx[j]!]!;
      return s / idx.length;
    },
    rng,
    { confidence, resamples },
  );
}

/**
 * Compares two sides on the tasks both graded: head − base pass rate with a paired interval (tasks as the
 * unit), the exact sign test on tasks that changed, cost and model-time deltas with a paired bootstrap over
 * tasks. `regressed`
 * when the interval lies wholly below zero (and, with one trial per task, McNemar's exact test agrees),
 * `improved` symmetrically, else `no detectable change`.
 */
export function comparePaired(
  pairs: PairedTask[],
  rng: Rng,
  opts: { confidence?: number; resamples?: number; deltas?: boolean } = {},
): PairedComparison | null {
  const usable = pairs.filter((p) => p.base.graded > 0 && p.head.graded > 0);
  if (!usable.length) return null;
  const confidence = opts.confidence ?? 0.95;
  const diffs = usable.map((p) => rate(p.head) - rate(p.base));
  const trials = Math.max(...usable.map((p) => Math.max(p.base.graded, p.head.graded)));
  const difference = pairedDifferenceInterval(
    usable.map((p) => rate(p.base)),
    usable.map((p) => rate(p.head)),
    trials,
    confidence,
  );
  const worse = diffs.filter((d) => d < 0).length;
  const better = diffs.filter((d) => d > 0).length;
  const exactP = signTestP(worse, better);
  const oneTrial = usable.every((p) => p.base.graded === 1 && p.head.graded === 1);
  // With one trial per task the exact test is the standard: the interval must agree with it, so a
  // verdict never rests on an approximation McNemar would not support.
  const significant = !oneTrial || exactP < 1 - confidence;
  const verdict: Verdict =
    significant && difference.high < 0
      ? 'regressed'
      : significant && difference.low > 0
        ? 'improved'
        : 'no detectable change';
  const perTrial = (c: TaskCell, pick: 'gradedCosts' | 'gradedModelMs') => {
    const values = c[pick] as (number | null)[];
    const total = sumCosts(values);
    return total === null ? null : total / values.length;
  };
  const costDiffs = usable.map((p) => {
    const h = perTrial(p.head, 'gradedCosts');
    const b = perTrial(p.base, 'gradedCosts');
    return h === null || b === null ? null : h - b;
  });
  const msDiffs = usable.map((p) => perTrial(p.head, 'gradedModelMs')! - perTrial(p.base, 'gradedModelMs')!);
  return {
    tasks: usable.length,
    baseRate: meanOf(usable.map((p) => rate(p.base))),
    headRate: meanOf(usable.map((p) => rate(p.head))),
    difference,
    worse,
    better,
    exactP,
    test: oneTrial ? 'mcnemar-exact' : 'sign-test',
    verdict,
    cost:
      opts.deltas === false || costDiffs.includes(null)
        ? null
        : pairedMean(costDiffs as number[], rng, confidence, opts.resamples),
    modelMs: opts.deltas === false ? null : pairedMean(msDiffs, rng, confidence, opts.resamples),
  };
}

/** Non-inferiority within `margin` (a rate, e.g. 0.05): the whole interval lies above −margin. */
export function isNonInferior(cmp: PairedComparison, margin: number): boolean {
  return cmp.difference.low > -margin;
}

/**
 * The statistics module as numerical code: published values, closed forms, exact p-values, determinism,
 * and seeded coverage simulations (larger versions: `npx tsx scripts/stats-coverage.mts`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { taskMeanInterval, wilson } from '../src/results/stats/intervals.js';
import { compareModelsInRun, modelStatistics, statsForTrials } from '../src/results/stats/model-stats.js';
import { comparePaired, isNonInferior, signTestP } from '../src/results/stats/paired.js';
import { passAtK, passHatK } from '../src/results/stats/pass-at-k.js';
import { minDetectableDrop, trialsToDetect } from '../src/results/stats/power.js';
import { secondsChangeCi, usdChangeCi } from '../src/report/format.js';
import { seededRng } from '../src/results/stats/random.js';
import { loadTemplate, results, type Row } from './support/results-fixtures.js';
import { MIX_MEAN, Synth } from './support/stats-sim.js';

describe('Wilson score interval', () => {
  it('matches published values (Newcombe 1998, Table II, method 3) and 8/10', () => {
    // Newcombe RG. Two-sided confidence intervals for the single proportion. Stat Med 1998;17:857–872.
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
      // 8/10: centre 0.7167 ± 0.2266 (e.g. Agresti & Coull 1998's worked form).
      [8, 10, 0.4902, 0.9433],
    ];
    for (const [x, n, lo, hi] of cases) {
      const w = wilson(x, n);
      expect([x, n, w.low], `${x}/${n}`).toEqual([x, n, expect.closeTo(lo, 4)]);
      expect(w.high, `${x}/${n}`).toBeCloseTo(hi, 4);
    }
  });

  it('a task-mean interval with one trial per task is exactly Wilson on passes/tasks, and is never zero-width', () => {
    const perTask = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0];
    expect(taskMeanInterval(perTask, 1)).toEqual(wilson(8, 10));
    const allPass = taskMeanInterval(Array<number>(10).fill(1), 3);
    expect(allPass.high).toBe(1);
    expect(allPass.low).toBeLessThan(0.8);
    expect(allPass.method).toBe('wilson-clustered');
  });

  it('correlated trials widen the interval: 3 trials that always agree are worth one, not three', () => {
    const agree = taskMeanInterval([1, 1, 1, 1, 1, 1, 0, 0, 0, 0], 3); // each task 3/3 or 0/3
    const mixed = taskMeanInterval(Array<number>(10).fill(0.6), 3); // every task 2/3-ish: no task effect
    expect(agree.estimate).toBeCloseTo(0.6, 12);
    expect(agree.high - agree.low).toBeGreaterThanOrEqual(wilson(6, 10).high - wilson(6, 10).low - 1e-9);
    expect(mixed.high - mixed.low).toBeLessThan(agree.high - agree.low);
  });
});

describe('pass@k and pass^k', () => {
  it('equal the closed forms on hand-computed cases', () => {
    // n=3, c=1: pass@1 = 1/3, pass@2 = 1 − C(2,2)/C(3,2) = 2/3, pass@3 = 1; pass^1 = 1/3, pass^2 = pass^3 = 0.
    expect([1, 2, 3].map((k) => passAtK(3, 1, k))).toEqual([
      expect.closeTo(1 / 3, 12),
      expect.closeTo(2 / 3, 12),
      1,
    ]);
    expect([1, 2, 3].map((k) => passHatK(3, 1, k))).toEqual([expect.closeTo(1 / 3, 12), 0, 0]);
    // n=5, c=2, k=2: pass@2 = 1 − C(3,2)/C(5,2) = 0.7; pass^2 = C(2,2)/C(5,2) = 0.1.
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12);
    expect(passHatK(5, 2, 2)).toBeCloseTo(0.1, 12);
    // n=10, c=4, k=3: 1 − C(6,3)/C(10,3) = 1 − 20/120; C(4,3)/C(10,3) = 4/120.
    expect(passAtK(10, 4, 3)).toBeCloseTo(5 / 6, 12);
    expect(passHatK(10, 4, 3)).toBeCloseTo(1 / 30, 12);
    // Large n stays exact where factorials would overflow.
    expect(passAtK(400, 1, 200)).toBeCloseTo(0.5, 12);
    expect(() => passAtK(3, 4, 1)).toThrow(RangeError);
  });
});

describe('exact test for paired binary outcomes', () => {
  it('gives McNemar exact two-sided p-values for small tables', () => {
    expect(signTestP(0, 6)).toBeCloseTo(2 / 64, 12);
    expect(signTestP(0, 5)).toBeCloseTo(2 / 32, 12); // five regressions of five: still p > 0.05
    expect(signTestP(1, 5)).toBeCloseTo(14 / 64, 12);
    expect(signTestP(8, 2)).toBeCloseTo(112 / 1024, 12);
    expect(signTestP(3, 3)).toBe(1);
    expect(signTestP(0, 0)).toBe(1);
  });

  it('with one trial, 4 of 10 tasks failing is "no detectable change": the interval alone is below zero, McNemar is not', () => {
    const sim = new Synth(1);
    const pairs = Array.from({ length: 10 }, (_, i) => ({
      task: `s/t${i}`,
      base: { ...sim.cell(1, 1), passes: 1 },
      head: { ...sim.cell(1, 1), passes: i < 4 ? 0 : 1 },
    }));
    const cmp = comparePaired(pairs, seededRng('x'))!;
    expect(cmp.test).toBe('mcnemar-exact');
    expect(cmp.exactP).toBeCloseTo(2 / 16, 12);
    expect(cmp.difference.estimate).toBeCloseTo(-0.4, 12);
    expect(cmp.difference.high).toBeLessThan(0);
    expect(cmp.verdict).toBe('no detectable change');
    // Newcombe's method 10 by hand: base 10/10 (Wilson 0.7225–1), head 6/10 (0.3127–0.8318), φ = 0.
    expect(cmp.difference.low).toBeCloseTo(-0.4 - (0.6 - 0.31267), 3);
    expect(cmp.difference.high).toBeCloseTo(-0.4 + Math.hypot(0.83182 - 0.6, 1 - 0.72247), 3);
  });

  it('no task changing is not proof of no change: 10/10 on both sides still leaves ±28 pp', () => {
    const sim = new Synth(2);
    const pairs = Array.from({ length: 10 }, (_, i) => ({
      task: `s/t${i}`,
      base: sim.cell(1, 1),
      head: sim.cell(1, 1),
    }));
    const cmp = comparePaired(pairs, seededRng('y'))!;
    expect(cmp.difference.estimate).toBe(0);
    expect(cmp.difference.low).toBeCloseTo(-(1 - 0.72247), 4);
    expect(cmp.difference.high).toBeCloseTo(1 - 0.72247, 4);
    expect(cmp.verdict).toBe('no detectable change');
    expect(isNonInferior(cmp, 0.05)).toBe(false);
    expect(isNonInferior(cmp, 0.3)).toBe(true);
  });
});

describe('power', () => {
  it('10 tasks × 1 trial at 80%: the minimum detectable drop solves its equation, and 30 trials detect 10 points', () => {
    const z = 1.959963984540054 + 0.8416212335729143;
    const d = minDetectableDrop(0.8, 10, 1)!;
    expect(d).toBeCloseTo(z * Math.sqrt((0.8 * 0.2 + (0.8 - d) * (0.2 + d)) / 10), 9);
    expect(d).toBeGreaterThan(0.5);
    // ⌈z²·(0.16 + 0.21)/(10·0.01)⌉ = ⌈29.04⌉
    expect(trialsToDetect(0.1, 0.8, 10)).toBe(30);
    expect(minDetectableDrop(0.8, 10, 30)!).toBeLessThanOrEqual(0.1);
    expect(minDetectableDrop(0.8, 10, 29)!).toBeGreaterThan(0.1);
    expect(minDetectableDrop(0.8, 10, 3)!).toBeLessThan(d);
    expect(trialsToDetect(0.1, 0.05, 10)).toBeNull();
  });

  it('a baseline that passed nothing has no drop to detect, and one task bounds no cost interval', () => {
    expect(minDetectableDrop(0, 10, 3)).toBeNull();
    expect(usdChangeCi({ estimate: 0.002, low: -Infinity, high: Infinity })).toBe(
      '+$0.0020 [no interval: too few tasks]',
    );
    expect(secondsChangeCi({ estimate: -100, low: Number.NaN, high: 1 })).toBe(
      '−0.1 s [no interval: too few tasks]',
    );
    expect(secondsChangeCi({ estimate: 1500, low: 500, high: 2500 })).toBe('+1.5 s [+0.5 s, +2.5 s]');
  });
});

describe('coverage on synthetic runs with known per-task pass probabilities (seeded)', () => {
  function singleCoverage(tasks: number, trials: number, runs: number, seed: number): number {
    const sim = new Synth(seed);
    let cover = 0;
    for (let r = 0; r < runs; r++) {
      const cells = Array.from({ length: tasks }, () => sim.cell(sim.difficulty(), trials));
      const iv = taskMeanInterval(
        cells.map((c) => c.passes / c.graded),
        trials,
      );
      if (iv.low <= MIX_MEAN && MIX_MEAN <= iv.high) cover++;
    }
    return cover / runs;
  }

  it('the single-run 95% interval covers the truth 93–97% of the time (one trial and three)', () => {
    expect(singleCoverage(30, 1, 1000, 11)).toBeGreaterThanOrEqual(0.93);
    expect(singleCoverage(30, 1, 1000, 11)).toBeLessThanOrEqual(0.97);
    const clustered = singleCoverage(20, 3, 1000, 12);
    expect(clustered).toBeGreaterThanOrEqual(0.93);
    expect(clustered).toBeLessThanOrEqual(0.97);
  });

  function paired(tasks: number, trials: number, factor: number, runs: number, seed: number) {
    const sim = new Synth(seed);
    const truth = (factor - 1) * MIX_MEAN;
    let cover = 0;
    let regressed = 0;
    for (let r = 0; r < runs; r++) {
      const pairs = Array.from({ length: tasks }, () => {
        const q = sim.difficulty();
        return { task: 't', base: sim.cell(q, trials), head: sim.cell(q * factor, trials) };
      });
      const c = comparePaired(pairs, seededRng(`run ${r}`, seed), { resamples: 1000, deltas: false })!;
      if (c.difference.low <= truth && truth <= c.difference.high) cover++;
      if (c.verdict === 'regressed') regressed++;
    }
    return { coverage: cover / runs, regressed: regressed / runs };
  }

  it('identical models: the paired interval covers 0 in 93–97% of runs and the significant gate false-alarms ≤ 5%', () => {
    for (const [tasks, trials, seed] of [
      [20, 3, 21],
      [30, 1, 22],
      [10, 3, 24],
    ] as const) {
      const { coverage, regressed } = paired(tasks, trials, 1, 1000, seed);
      expect(coverage, `${tasks}×${trials}`).toBeGreaterThanOrEqual(0.93);
      expect(coverage, `${tasks}×${trials}`).toBeLessThanOrEqual(0.97);
      expect(regressed, `${tasks}×${trials}`).toBeLessThanOrEqual(0.05);
    }
  });

  it('a real 20% relative drop: the paired interval still covers the true difference 93–97%, and is flagged far more often than noise', () => {
    for (const [tasks, trials, seed] of [
      [30, 3, 23],
      [30, 1, 25],
    ] as const) {
      const { coverage, regressed } = paired(tasks, trials, 0.8, 1000, seed);
      expect(coverage, `${tasks}×${trials}`).toBeGreaterThanOrEqual(0.93);
      expect(coverage, `${tasks}×${trials}`).toBeLessThanOrEqual(0.97);
      // ~13 points: below what 30 tasks × 1 trial can reliably detect (the detectability line says so).
      expect(regressed, `${tasks}×${trials}`).toBeGreaterThan(trials > 1 ? 0.3 : 0.1);
    }
  });
});

describe('statistics of a run', () => {
  beforeAll(loadTemplate);

  const rows = (model: string, outcomes: Record<string, string>): Row[] =>
    Object.entries(outcomes).flatMap(([task, s]) =>
      [...s].map((ch) => [model, task, ch === 'P' ? 'pass' : ch === 'I' ? 'infra' : 'test'] as Row),
    );

  it('per model: interval, pass@k/pass^k for k = 1..3, flaky tasks, cost per pass, detectability — and the same every time', () => {
    const run = results([
      ...rows('a/m', { 's/t1': 'PPP', 's/t2': 'PFP', 's/t3': 'FFF', 's/t4': 'PPI', 'u/t5': 'PPP' }),
    ]);
    run.trials.forEach((t, i) => (t.trial = (i % 3) + 1));
    const [s] = modelStatistics(run);
    expect(s!.trials).toBe(3);
    // Per-task rates 1, 2/3, 0, 1 (2 graded: the infra trial is left out), 1.
    expect(s!.passRate.interval!.estimate).toBeCloseTo((1 + 2 / 3 + 0 + 1 + 1) / 5, 12);
    expect(s!.passRate.interval!.method).toBe('wilson-clustered');
    expect(s!.suites.map((x) => [x.suite, x.tasks])).toEqual([
      ['s', 4],
      ['u', 1],
    ]);
    expect(s!.kCurve.map((p) => [p.k, p.tasks])).toEqual([
      [1, 5],
      [2, 5],
      [3, 4],
    ]);
    // k=2 over five tasks: pass@2 = (1 + 1 + 0 + 1 + 1)/5; pass^2 = (1 + 1/3 + 0 + 1 + 1)/5.
    expect(s!.kCurve[1]!.passAtK.estimate).toBeCloseTo(4 / 5, 12);
    expect(s!.kCurve[1]!.passHatK.estimate).toBeCloseTo((3 + 1 / 3) / 5, 12);
    expect(s!.flaky).toEqual([{ task: 's/t2', passes: 2, graded: 3 }]);
    // 15 trials at $0.01 (the infra-ended one was paid too), 10 passes.
    expect(s!.costPerPass!.estimate).toBeCloseTo(0.15 / 10, 12);
    expect(s!.costPerPass!.low).toBeLessThan(s!.costPerPass!.estimate);
    expect(s!.detectability).toMatchObject({ tasks: 5, trials: 3, drop: 0.1 });
    expect(modelStatistics(run)).toEqual(modelStatistics(run));
  });

  it('model B vs model A in one run, paired by task: a model failing every task the other passes has regressed', () => {
    const tasks = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`s/t${i}`, 'PPP']));
    const worse = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`s/t${i}`, i < 6 ? 'FFF' : 'PPP']));
    const run = results([...rows('a/good', tasks), ...rows('b/bad', worse)]);
    const [pair] = compareModelsInRun(run);
    expect(pair).toMatchObject({ a: 'a/good', b: 'b/bad' });
    expect(pair!.comparison!.difference.estimate).toBeCloseTo(-0.75, 12);
    expect(pair!.comparison!.verdict).toBe('regressed');
    expect(pair!.comparison!.test).toBe('sign-test');
    expect(statsForTrials('b/bad', run.trials).flaky).toEqual([]);
  });
});

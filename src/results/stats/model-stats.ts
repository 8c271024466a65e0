import type { Results } from '../schema.js';
import { taskCells, type TaskCell } from './cells.js';
import { clusterBootstrap, taskMeanInterval, type Interval } from './intervals.js';
import { comparePaired, type PairedComparison, type PairedTask } from './paired.js';
import { passAtK, passHatK } from './pass-at-k.js';
import { minDetectableDrop, trialsToDetect } from './power.js';
import { seededRng } from './random.js';

export interface StatsOptions {
  /** Two-sided confidence level of every interval (0.95). */
  confidence?: number;
  /** Power for the detectability figures (0.8). */
  power?: number;
  resamples?: number;
  seed?: number;
}

export interface KCurvePoint {
  k: number;
  /** Tasks with at least k graded trials (the others cannot estimate it). */
  tasks: number;
  passAtK: Interval;
  passHatK: Interval;
}

export interface Detectability {
  /** Smallest drop in pass rate a same-size rerun would detect (null: none could be). */
  minDrop: number | null;
  /** The drop the second figure is for (0.10). */
  drop: number;
  /** Trials per task that would detect `drop` at this task count (null: the rate cannot fall that far). */
  trialsForDrop: number | null;
  tasks: number;
  trials: number;
  confidence: number;
  power: number;
}

export interface FlakyTask {
  task: string;
  passes: number;
  graded: number;
}

export interface RateStats {
  /** Tasks with at least one graded trial. */
  tasks: number;
  interval: Interval | null;
}

export interface ModelStats {
  model: string;
  /** Graded trials per task (the most any task had). */
  trials: number;
  /** Pass within N attempts: mean over tasks of per-task pass rates, with its interval. */
  passRate: RateStats;
  /** Pass at attempt 1 (the single-pass score from the same run). */
  firstAttempt: RateStats;
  suites: ({ suite: string } & RateStats)[];
  /** pass@k and pass^k for k = 1..trials; empty with one trial. */
  kCurve: KCurvePoint[];
  /** Total cost ÷ passes, with a bootstrap interval over tasks; null when a price is unknown or nothing passed. */
  costPerPass: Interval | null;
  /** Tasks whose graded trials disagree. */
  flaky: FlakyTask[];
  detectability: Detectability | null;
}

export const DETECT_DROP = 0.1;

const cellCache = new WeakMap<readonly unknown[], Map<string, TaskCell[]>>();

/**
 * Each model's task cells, grouped in one pass. Memoised per trials array (results are not mutated once
 * rendered), so the report, the summary and the comment of a large merged run group it once.
 */
function cellsByModel(trials: Results['trials']): Map<string, TaskCell[]> {
  let cells = cellCache.get(trials);
  if (!cells) {
    const byModel = new Map<string, Results['trials']>();
    for (const t of trials) {
      const list = byModel.get(t.model);
      if (list) list.push(t);
      else byModel.set(t.model, [t]);
    }
    cells = new Map([...byModel].map(([model, ts]) => [model, taskCells(ts)]));
    cellCache.set(trials, cells);
  }
  return cells;
}

function rateStats(
  cells: TaskCell[],
  value: (c: TaskCell) => number,
  trials: number,
  confidence: number,
): RateStats {
  const graded = cells.filter((c) => c.graded > 0);
  return {
    tasks: graded.length,
    interval: graded.length ? taskMeanInterval(graded.map(value), trials, confidence) : null,
  };
}

function costPerPass(
  cells: TaskCell[],
  label: string,
  opts: StatsOptions,
  confidence: number,
): Interval | null {
  if (cells.some((c) => c.cost === null)) return null;
  const cost = cells.map((c) => c.cost!);
  const passes = cells.map((c) => c.passes);
  const p = passes.reduce((s, x) => s + x, 0);
  if (!p) return null;
  return clusterBootstrap(
    cells.length,
    cost.reduce((s, x) => s + x, 0) / p,
    (idx) => {
      let ps = 0;
      let cs = 0;
      for (let j = 0; j < idx.length; j++) {
        ps += passes[idx[j]!]!;
        cs += cost[idx[j]!]!;
      }
      return ps ? cs / ps : Number.POSITIVE_INFINITY;
    },
    seededRng(`cost-per-pass ${label}`, opts.seed),
    { confidence, resamples: opts.resamples },
  );
}

/** pass@k and pass^k for k = 1..K over tasks with at least k graded trials. */
export function kCurve(cells: TaskCell[], maxK: number, confidence = 0.95): KCurvePoint[] {
  const out: KCurvePoint[] = [];
  for (let k = 1; k <= maxK; k++) {
    const eligible = cells.filter((c) => c.graded >= k);
    if (!eligible.length) break;
    out.push({
      k,
      tasks: eligible.length,
      passAtK: taskMeanInterval(
        eligible.map((c) => passAtK(c.graded, c.passes, k)),
        maxK,
        confidence,
      ),
      passHatK: taskMeanInterval(
        eligible.map((c) => passHatK(c.graded, c.passes, k)),
        maxK,
        confidence,
      ),
    });
  }
  return out;
}

/** Statistics of one model's trials (any subset: a suite, the whole run). */
export function statsForTrials(
  model: string,
  trials: Results['trials'],
  opts: StatsOptions = {},
): ModelStats {
  const confidence = opts.confidence ?? 0.95;
  const power = opts.power ?? 0.8;
  const cells = cellsByModel(trials).get(model) ?? [];
  const k = Math.max(0, ...cells.map((c) => c.graded));
  const passRate = rateStats(cells, (c) => c.passes / c.graded, k, confidence);
  const suites = [...new Set(cells.map((c) => c.suite))].map((suite) => ({
    suite,
    ...rateStats(
      cells.filter((c) => c.suite === suite),
      (c) => c.passes / c.graded,
      k,
      confidence,
    ),
  }));
  const rate = passRate.interval?.estimate ?? null;
  return {
    model,
    trials: k,
    passRate,
    firstAttempt: rateStats(cells, (c) => c.firstAttemptPasses / c.graded, k, confidence),
    suites,
    kCurve: k > 1 ? kCurve(cells, k, confidence) : [],
    costPerPass: costPerPass(cells, model, opts, confidence),
    flaky: cells
      .filter((c) => c.passes > 0 && c.passes < c.graded)
      .map((c) => ({ task: c.task, passes: c.passes, graded: c.graded })),
    detectability:
      rate === null
        ? null
        : {
            minDrop: minDetectableDrop(rate, passRate.tasks, k, { confidence, power }),
            drop: DETECT_DROP,
            trialsForDrop: trialsToDetect(DETECT_DROP, rate, passRate.tasks, { confidence, power }),
            tasks: passRate.tasks,
            trials: k,
            confidence,
            power,
          },
  };
}

const statsCache = new WeakMap<readonly unknown[], ModelStats[]>();

/**
 * Per-model statistics of a run, in the order the run lists models. Deterministic (seeded per model), so
 * the default-options result is memoised per trials array: report, summary and comment compute it once.
 */
export function modelStatistics(
  results: Pick<Results, 'models' | 'trials'>,
  opts: StatsOptions = {},
): ModelStats[] {
  const defaults = Object.keys(opts).length === 0;
  const cached = defaults ? statsCache.get(results.trials) : undefined;
  if (cached && cached.map((s) => s.model).join('\n') === results.models.map((m) => m.name).join('\n'))
    return cached;
  const stats = results.models.map(({ name }) => statsForTrials(name, results.trials, opts));
  if (defaults) statsCache.set(results.trials, stats);
  return stats;
}

/** Pairs two trial sets by task (tasks graded on both sides only). */
export function pairByTask(base: TaskCell[], head: TaskCell[]): PairedTask[] {
  const byTask = new Map(base.map((c) => [c.task, c]));
  return head
    .filter((h) => byTask.has(h.task))
    .map((h) => ({ task: h.task, base: byTask.get(h.task)!, head: h }))
    .filter((p) => p.base.graded > 0 && p.head.graded > 0);
}

export interface ModelPair {
  /** The model compared against (listed first in the run). */
  a: string;
  b: string;
  /** b − a on the tasks both graded. */
  comparison: PairedComparison | null;
}

/** Up to this many models every pair is compared; beyond it, each model against the first listed. */
export const ALL_PAIRS_UP_TO = 4;

/**
 * Model B vs model A within one run, paired by task: every pair for a few models, else each model
 * against the first listed (the reference the user put first).
 */
export function compareModelsInRun(
  results: Pick<Results, 'models' | 'trials'>,
  opts: StatsOptions = {},
): ModelPair[] {
  const names = results.models.map((m) => m.name);
  const byModel = cellsByModel(results.trials);
  const cells = new Map(names.map((n) => [n, byModel.get(n) ?? []]));
  const out: ModelPair[] = [];
  const firsts = names.length <= ALL_PAIRS_UP_TO ? names.length : 1;
  for (let i = 0; i < firsts; i++)
    for (let j = i + 1; j < names.length; j++) {
      const [a, b] = [names[i]!, names[j]!];
      out.push({
        a,
        b,
        comparison: comparePaired(
          pairByTask(cells.get(a)!, cells.get(b)!),
          seededRng(`models ${a} ${b}`, opts.seed),
          { confidence: opts.confidence, resamples: opts.resamples, deltas: false },
        ),
      });
    }
  return out;
}

/**
 * The whole run's pass rate with its interval, each (model, task) a unit: what the headline shows and
 * what `min-pass-rate: … lower-bound` gates on. Null when nothing was graded.
 */
export function runPassRate(results: Pick<Results, 'models' | 'trials'>, confidence = 0.95): Interval | null {
  const byModel = cellsByModel(results.trials);
  const cells = results.models.flatMap(({ name }) => byModel.get(name) ?? []).filter((c) => c.graded > 0);
  if (!cells.length) return null;
  const k = Math.max(...cells.map((c) => c.graded));
  return taskMeanInterval(
    cells.map((c) => c.passes / c.graded),
    k,
    confidence,
  );
}

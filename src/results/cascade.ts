import type { Results, TrialRecord } from './schema.js';
import { isUngraded } from './stats/cells.js';
import { clusterBootstrap, taskMeanInterval, type Interval } from './stats/intervals.js';
import { seededRng } from './stats/random.js';

/** One model's record on one task across its trials. */
interface TaskStats {
  /** Share of graded trials that passed (0 or 1 with a single trial). */
  passRate: number;
  /**
   * What one verdict on this task costs: everything paid on it (every attempt of every trial, failed
   * ones and trials ended by API faults or the budget included) over its graded trials; null when any
   * of them has no known price.
   */
  cost: number | null;
}

/** A policy's expected result over the compared tasks. */
export interface PolicyResult {
  /** The models in the order tasks go to them: one model is "that model alone". */
  chain: string[];
  /** Expected number of compared tasks solved (a whole number with one trial per task). */
  expectedPasses: number;
  passRate: number;
  /** Expected total USD over the compared tasks; null when any needed cost is unknown. */
  expectedCost: number | null;
  costPerPass: number | null;
  /** Expected number of tasks handed on to each later model in the chain (empty for one model). */
  escalations: number[];
  /** Interval of `passRate`, tasks as the unit (task-clustered Wilson); null without tasks. */
  passRateCi: Interval | null;
  /** Interval of `expectedCost` (seeded cluster bootstrap over tasks); null when the cost is unknown. */
  costCi: Interval | null;
  /** Interval of `costPerPass` (same bootstrap; a resample without a pass is left out). */
  costPerPassCi: Interval | null;
}

export interface CascadeResult {
  cascade: PolicyResult;
  /** Each model of the chain on its own, over the same tasks. */
  alone: PolicyResult[];
  /** Tasks every model of the chain has a graded trial on (the only ones a fair comparison can use). */
  tasks: string[];
  /** Tasks left out because some model of the chain has no graded trial on them (API faults, budget). */
  excluded: string[];
  /** Trials per (model, task) in the run: above 1, the figures are expected values. */
  trials: number;
}

function graded(trials: TrialRecord[]): TrialRecord[] {
  return trials.filter((t) => !isUngraded(t));
}

function statsFor(trials: TrialRecord[]): TaskStats | null {
  const g = graded(trials);
  if (!g.length) return null;
  // Every trial's bill, not only the graded ones': a verdict costs what it took to get it.
  const costs = trials.map((t) => t.cost);
  return {
    passRate: g.filter((t) => t.passed).length / g.length,
    cost: costs.some((c) => c === null) ? null : (costs as number[]).reduce((s, c) => s + c, 0) / g.length,
  };
}

const sumAt = (values: number[], idx: Int32Array): number => {
  let s = 0;
  for (const i of idx) s += values[i]!;
  return s;
};

/**
 * Expected result of sending every task to `chain[0]` and handing only its failures on to the next
 * model. A task's cost is everything paid on it: the first model's failed attempts included. With
 * several trials, each model's pass rate and mean cost per task stand in for one draw, and models are
 * taken to fail independently of one another. Intervals treat tasks as the unit: the pass rate's is
 * task-clustered Wilson (never zero-width at 10/10), the costs' a cluster bootstrap over tasks seeded
 * from the chain, so a results file always prints the same intervals.
 */
function policy(chain: string[], perTask: TaskStats[][], trials: number): PolicyResult {
  const taskPass: number[] = [];
  const taskCost: (number | null)[] = [];
  const escalations = chain.slice(1).map(() => 0);
  for (const stats of perTask) {
    let reach = 1; // probability the task is still unsolved when it reaches this model
    let pass = 0;
    let cost: number | null = 0;
    for (const [i, s] of stats.entries()) {
      if (i > 0) escalations[i - 1]! += reach;
      cost = cost === null || s.cost === null ? null : cost + reach * s.cost;
      pass += reach * s.passRate;
      reach *= 1 - s.passRate;
    }
    taskPass.push(pass);
    taskCost.push(cost);
  }
  const n = perTask.length;
  const passes = taskPass.reduce((s, p) => s + p, 0);
  const known = taskCost.every((c): c is number => c !== null) ? taskCost : null;
  const cost = known ? known.reduce((s, c) => s + c, 0) : null;
  const costPerPass = cost !== null && passes > 0 ? cost / passes : null;
  const rng = (what: string) => seededRng(`cascade ${chain.join(' → ')} ${what}`);
  return {
    chain,
    expectedPasses: passes,
    passRate: n ? passes / n : 0,
    expectedCost: cost,
    costPerPass,
    escalations,
    passRateCi: n ? taskMeanInterval(taskPass, trials) : null,
    costCi:
      known && cost !== null ? clusterBootstrap(n, cost, (idx) => sumAt(known, idx), rng('cost')) : null,
    costPerPassCi:
      known && costPerPass !== null
        ? clusterBootstrap(
            n,
            costPerPass,
            (idx) => {
              const p = sumAt(taskPass, idx);
              return p > 0 ? sumAt(known, idx) / p : Number.NaN;
            },
            rng('cost per pass'),
          )
        : null,
  };
}

/** The cascade `chain[0] → chain[1] → …` against each of its models alone, from one run's per-task results. */
export function cascade(
  results: Pick<Results, 'trials' | 'tasks' | 'config'>,
  chain: string[],
): CascadeResult {
  const tasks: string[] = [];
  const excluded: string[] = [];
  const perTask: TaskStats[][] = [];
  for (const { key } of results.tasks) {
    const stats = chain.map((m) => statsFor(results.trials.filter((t) => t.model === m && t.task === key)));
    if (stats.every((s): s is TaskStats => s !== null)) {
      tasks.push(key);
      perTask.push(stats);
    } else excluded.push(key);
  }
  return {
    cascade: policy(chain, perTask, results.config.trials),
    alone: chain.map((m, i) =>
      policy(
        [m],
        perTask.map((s) => [s[i]!]),
        results.config.trials,
      ),
    ),
    tasks,
    excluded,
    trials: results.config.trials,
  };
}

/**
 * The cascade a multi-model report shows by default: the cheapest model (lowest known cost per
 * verdict) escalating to the best-passing one (ties to the cheaper). Null, with the reason, when
 * there is no such pair: fewer than two models, no known cost, or the cheapest already passes best.
 */
export function defaultCascade(
  results: Pick<Results, 'models' | 'trials'>,
): { chain: string[] } | { reason: string } {
  if (results.models.length < 2) return { reason: 'a cascade needs at least two models in the run' };
  const rows = results.models.map(({ name }) => ({
    name,
    ...(statsFor(results.trials.filter((t) => t.model === name)) ?? { passRate: null, cost: null }),
  }));
  const priced = rows.filter((r) => r.cost !== null && r.passRate !== null);
  if (priced.length < 2) return { reason: 'fewer than two models have graded trials with known prices' };
  const cheapest = [...priced].sort((a, b) => a.cost! - b.cost!)[0]!;
  const best = [...priced].sort((a, b) => b.passRate! - a.passRate! || a.cost! - b.cost!)[0]!;
  if (cheapest.name === best.name)
    return {
      reason: `${cheapest.name} is both the cheapest and the best-passing model: nothing to escalate to`,
    };
  return { chain: [cheapest.name, best.name] };
}

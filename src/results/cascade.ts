import type { Results, TrialRecord } from './schema.js';

/** One model's record on one task across its graded trials. */
interface TaskStats {
  /** Share of graded trials that passed (0 or 1 with a single trial). */
  passRate: number;
  /** Mean cost of a graded trial, every attempt included; null when any of them has no known price. */
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
  return trials.filter((t) => t.outcome !== 'infra' && !(t.stoppedBy && !t.passed));
}

function statsFor(trials: TrialRecord[]): TaskStats | null {
  const g = graded(trials);
  if (!g.length) return null;
  const costs = g.map((t) => t.cost);
  return {
    passRate: g.filter((t) => t.passed).length / g.length,
    cost: costs.some((c) => c === null) ? null : (costs as number[]).reduce((s, c) => s + c, 0) / g.length,
  };
}

/**
 * Expected result of sending every task to `chain[0]` and handing only its failures on to the next
 * model. A task's cost is everything paid on it: the first model's failed attempts included. With
 * several trials, each model's pass rate and mean cost per task stand in for one draw, and models are
 * taken to fail independently of one another.
 */
function policy(chain: string[], perTask: TaskStats[][]): PolicyResult {
  let passes = 0;
  let cost: number | null = 0;
  const escalations = chain.slice(1).map(() => 0);
  for (const stats of perTask) {
    let reach = 1; // probability the task is still unsolved when it reaches this model
    for (const [i, s] of stats.entries()) {
      if (i > 0) escalations[i - 1]! += reach;
      cost = cost === null || s.cost === null ? null : cost + reach * s.cost;
      passes += reach * s.passRate;
      reach *= 1 - s.passRate;
    }
  }
  const passRate = perTask.length ? passes / perTask.length : 0;
  return {
    chain,
    expectedPasses: passes,
    passRate,
    expectedCost: cost,
    costPerPass: cost !== null && passes > 0 ? cost / passes : null,
    escalations,
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
    cascade: policy(chain, perTask),
    alone: chain.map((m, i) =>
      policy(
        [m],
        perTask.map((s) => [s[i]!]),
      ),
    ),
    tasks,
    excluded,
    trials: results.config.trials,
  };
}

/**
 * The cascade a multi-model report shows by default: the cheapest model (lowest known mean cost per
 * graded trial) escalating to the best-passing one (ties to the cheaper). Null, with the reason, when
 * there is no such pair: fewer than two models, no known cost, or the cheapest already passes best.
 */
export function defaultCascade(
  results: Pick<Results, 'models' | 'trials'>,
): { chain: string[] } | { reason: string } {
  if (results.models.length < 2) return { reason: 'a cascade needs at least two models in the run' };
  const rows = results.models.map(({ name }) => {
    const g = graded(results.trials.filter((t) => t.model === name));
    const costs = g.map((t) => t.cost);
    return {
      name,
      passRate: g.length ? g.filter((t) => t.passed).length / g.length : null,
      cost:
        !g.length || costs.some((c) => c === null)
          ? null
          : (costs as number[]).reduce((s, c) => s + c, 0) / g.length,
    };
  });
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

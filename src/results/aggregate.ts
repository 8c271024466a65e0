import { sumCosts } from '../models/prices.js';
import type { Results, TrialRecord } from './schema.js';

export interface SuiteSummary {
  suite: string;
  /** Trials that passed. */
  passes: number;
  /** Trials graded (infra-ended trials excluded: they say nothing about the model). */
  graded: number;
  /** Trials ended by an API or harness fault. */
  infra: number;
  cost: number | null;
}

export interface ModelSummary {
  model: string;
  suites: SuiteSummary[];
  passes: number;
  graded: number;
  infra: number;
  /** Trials that passed on their first attempt (the single-pass score, from the same run). */
  passesAtFirstAttempt: number;
  cost: number | null;
  /** Total cost ÷ passes; null when nothing passed or the cost is unknown. */
  costPerPass: number | null;
  passRate: number | null;
  modelMs: number;
  gradeMs: number;
}

function suiteOf(taskKey: string): string {
  return taskKey.split('/')[0]!;
}

/** Per-model totals, per suite, in the order the run listed models and suites. */
export function summarizeModels(results: Pick<Results, 'models' | 'tasks' | 'trials'>): ModelSummary[] {
  const suites = [...new Set(results.tasks.map((t) => t.suite))];
  return results.models.map(({ name }) => {
    const trials = results.trials.filter((t) => t.model === name);
    const suiteRows = suites.map((suite) =>
      summarizeTrials(
        suite,
        trials.filter((t) => suiteOf(t.task) === suite),
      ),
    );
    const all = summarizeTrials('all', trials);
    return {
      model: name,
      suites: suiteRows,
      passes: all.passes,
      graded: all.graded,
      infra: all.infra,
      passesAtFirstAttempt: trials.filter((t) => t.passedAtAttempt === 1).length,
      cost: all.cost,
      costPerPass: all.cost !== null && all.passes > 0 ? all.cost / all.passes : null,
      passRate: all.graded > 0 ? all.passes / all.graded : null,
      modelMs: trials.reduce((s, t) => s + t.modelMs, 0),
      gradeMs: trials.reduce((s, t) => s + t.gradeMs, 0),
    };
  });
}

function summarizeTrials(suite: string, trials: TrialRecord[]): SuiteSummary {
  // Ended by an API fault, or stopped by the budget before a verdict: neither says anything about the model.
  const infra = trials.filter((t) => t.outcome === 'infra' || (t.stoppedBy && !t.passed)).length;
  return {
    suite,
    passes: trials.filter((t) => t.passed).length,
    graded: trials.length - infra,
    infra,
    cost: sumCosts(trials.map((t) => t.cost)),
  };
}

export interface RunTotals {
  passes: number;
  graded: number;
  infra: number;
  trials: number;
  cost: number | null;
  passRate: number | null;
  costPerPass: number | null;
  /** True when API/harness faults ended at least half the trials: the pass rate would mislead. */
  infraDominated: boolean;
}

export function runTotals(results: Pick<Results, 'trials'>): RunTotals {
  const all = summarizeTrials('all', results.trials);
  return {
    passes: all.passes,
    graded: all.graded,
    infra: all.infra,
    trials: results.trials.length,
    cost: all.cost,
    passRate: all.graded > 0 ? all.passes / all.graded : null,
    costPerPass: all.cost !== null && all.passes > 0 ? all.cost / all.passes : null,
    infraDominated: results.trials.length > 0 && all.infra * 2 >= results.trials.length,
  };
}

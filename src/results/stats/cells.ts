import { sumCosts } from '../../models/prices.js';
import type { TrialRecord } from '../schema.js';

/** One task's trials for one model, reduced to what the statistics need. Tasks are the unit of analysis. */
export interface TaskCell {
  task: string;
  suite: string;
  /** Trials with a verdict (ended by API faults or stopped by the budget: not counted). */
  graded: number;
  passes: number;
  /** Graded trials that passed on their first attempt. */
  firstAttemptPasses: number;
  /** Trials without a verdict: API faults or the budget. */
  infra: number;
  /** Every trial's cost, infra-ended ones included (they were paid); null when any price is unknown. */
  cost: number | null;
  /** Cost of each graded trial (null entries: unknown price). */
  gradedCosts: (number | null)[];
  /** Model time of each graded trial, ms. */
  gradedModelMs: number[];
}

/** A trial that says nothing about the model: ended by an API fault, or stopped by the budget before a verdict. */
export function isUngraded(t: TrialRecord): boolean {
  return t.outcome === 'infra' || (t.stoppedBy !== null && !t.passed);
}

/** Groups trials by task, in the order tasks first appear. */
export function taskCells(trials: TrialRecord[]): TaskCell[] {
  const byTask = new Map<string, TrialRecord[]>();
  for (const t of trials) byTask.set(t.task, [...(byTask.get(t.task) ?? []), t]);
  return [...byTask].map(([task, ts]) => {
    const graded = ts.filter((t) => !isUngraded(t));
    return {
      task,
      suite: task.split('/')[0]!,
      graded: graded.length,
      passes: graded.filter((t) => t.passed).length,
      firstAttemptPasses: graded.filter((t) => t.passedAtAttempt === 1).length,
      infra: ts.length - graded.length,
      cost: sumCosts(ts.map((t) => t.cost)),
      gradedCosts: graded.map((t) => t.cost),
      gradedModelMs: graded.map((t) => t.modelMs),
    };
  });
}

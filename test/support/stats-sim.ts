/**
 * Synthetic runs with known per-task pass probabilities, for coverage simulations of the statistics
 * (test/statistics.test.ts keeps them small; scripts/stats-coverage.mts runs them large).
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { TaskCell } from '../../src/results/stats/cells.js';

/** Task difficulties: a mix of easy, middling and hard tasks, like a real suite. */
export const DIFFICULTY_MIX = [
  { q: 0.95, weight: 0.3 },
  { q: 0.75, weight: 0.3 },
  { q: 0.45, weight: 0.25 },
  { q: 0.15, weight: 0.15 },
];
/** The population pass rate the intervals must cover: tasks are a sample of tasks like these. */
export const MIX_MEAN = DIFFICULTY_MIX.reduce((s, d) => s + d.q * d.weight, 0);

export class Synth {
  private readonly rng;
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }
  uniform(): number {
    return uniformFloat64(this.rng);
  }
  /** A task's true pass probability, drawn from the mix. */
  difficulty(): number {
    let r = this.uniform();
    for (const d of DIFFICULTY_MIX) {
      if (r < d.weight) return d.q;
      r -= d.weight;
    }
    return DIFFICULTY_MIX.at(-1)!.q;
  }
  /** `trials` independent trials of a task that passes with probability q. */
  cell(q: number, trials: number, cost = 0.01): TaskCell {
    let passes = 0;
    for (let i = 0; i < trials; i++) if (this.uniform() < q) passes++;
    return {
      task: 't',
      suite: 's',
      graded: trials,
      passes,
      firstAttemptPasses: passes,
      infra: 0,
      cost: cost * trials,
      gradedCosts: Array<number>(trials).fill(cost),
      gradedModelMs: Array<number>(trials).fill(1000),
    };
  }
}

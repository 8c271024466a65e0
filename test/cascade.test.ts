import { describe, expect, it } from 'vitest';
import { cascadeChain } from '../src/cli/commands-visual.js';
import { UsageError } from '../src/errors.js';
import { cascade, defaultCascade } from '../src/results/cascade.js';
import type { Results, TrialRecord } from '../src/results/schema.js';
import { cascadeSection, cascadeTable } from '../src/report/cascade-section.js';
import { taskMeanInterval } from '../src/results/stats/intervals.js';

type T = Pick<TrialRecord, 'model' | 'task' | 'trial' | 'passed' | 'outcome' | 'cost' | 'stoppedBy'>;
const trial = (model: string, task: string, passed: boolean, cost: number | null, n = 1): T => ({
  model,
  task,
  trial: n,
  passed,
  outcome: passed ? 'pass' : 'test',
  cost,
  stoppedBy: null,
});

function run(trials: T[], trialsPerTask = 1) {
  const keys = [...new Set(trials.map((t) => t.task))];
  const models = [...new Set(trials.map((t) => t.model))];
  return {
    models: models.map((name) => ({ name, spec: name, provider: 'x', model: name })),
    tasks: keys.map((key) => ({ key, suite: key.split('/')[0]!, id: key, level: 1, title: key, hash: 'h' })),
    trials: trials as TrialRecord[],
    config: {
      attempts: 3,
      trials: trialsPerTask,
      concurrency: 1,
      maxTokens: 1,
      feedbackChars: 1,
      maxCost: null,
    },
  } as unknown as Results;
}

/** The paper's headline run: Flash 8/10 for $0.015; the top model 10/10 for $2.38 ($0.238 a task). */
function paperRun() {
  const tasks = Array.from({ length: 10 }, (_, i) => `react/t${i}`);
  return run([
    ...tasks.map((t, i) => trial('flash', t, i < 8, 0.0015)),
    ...tasks.map((t) => trial('top', t, true, 0.238)),
  ]);
}

describe('cascade: cheap model first, only its failures escalate', () => {
  it("the paper's example: Flash's 2 failures escalate, 10/10 for $0.015 + 2 × $0.238 instead of $2.38", () => {
    const c = cascade(paperRun(), ['flash', 'top']);
    expect(c.tasks).toHaveLength(10);
    expect(c.cascade.expectedPasses).toBe(10);
    expect(c.cascade.escalations).toEqual([2]);
    // Every cent paid: Flash on all 10 tasks (its 2 failures included), the top model on the 2 escalated.
    expect(c.cascade.expectedCost).toBeCloseTo(0.015 + 2 * 0.238, 12);
    expect(c.cascade.costPerPass).toBeCloseTo(0.491 / 10, 12);
    const [flash, top] = c.alone;
    expect([flash!.expectedPasses, flash!.expectedCost]).toEqual([8, expect.closeTo(0.015, 12)]);
    expect([top!.expectedPasses, top!.expectedCost]).toEqual([10, expect.closeTo(2.38, 12)]);
  });

  it('a task the strong model also fails costs both models and is not counted as a pass', () => {
    const c = cascade(
      run([
        trial('a', 'r/x', false, 0.01),
        trial('b', 'r/x', false, 0.2),
        trial('a', 'r/y', true, 0.01),
        trial('b', 'r/y', true, 0.2),
      ]),
      ['a', 'b'],
    );
    expect(c.cascade.expectedPasses).toBe(1);
    expect(c.cascade.passRate).toBe(0.5);
    expect(c.cascade.expectedCost).toBeCloseTo(0.01 + 0.2 + 0.01, 12);
  });

  it('with several trials, pass rates and mean costs per task give expected values', () => {
    const c = cascade(
      run(
        [
          trial('a', 'r/x', true, 0.01, 1),
          trial('a', 'r/x', false, 0.03, 2),
          trial('b', 'r/x', true, 0.1, 1),
          trial('b', 'r/x', true, 0.3, 2),
        ],
        2,
      ),
      ['a', 'b'],
    );
    // a passes half the time at a mean $0.02; b always, at a mean $0.20: 0.5 + 0.5 × 1 passes, $0.02 + 0.5 × $0.20.
    expect(c.cascade.expectedPasses).toBeCloseTo(1, 12);
    expect(c.cascade.expectedCost).toBeCloseTo(0.12, 12);
    expect(c.cascade.escalations).toEqual([0.5]);
    expect(cascadeTable(c)).toContain('| Expected passes');
  });

  it('several trials, by hand: expected passes and cost count every trial paid, with task-clustered intervals', () => {
    // Two trials per task. a's failed trials cost 3 attempts ($0.03); its API-fault-ended trial on r/3
    // ($0.004) has no verdict but was paid, so it is part of what a verdict on r/3 costs.
    const results = run(
      [
        trial('a', 'r/1', true, 0.01, 1),
        trial('a', 'r/1', true, 0.01, 2),
        trial('a', 'r/2', false, 0.03, 1),
        trial('a', 'r/2', true, 0.01, 2),
        trial('a', 'r/3', false, 0.03, 1),
        { ...trial('a', 'r/3', false, 0.004, 2), outcome: 'infra' },
        trial('b', 'r/1', true, 0.2, 1),
        trial('b', 'r/1', true, 0.2, 2),
        trial('b', 'r/2', true, 0.2, 1),
        trial('b', 'r/2', false, 0.6, 2),
        trial('b', 'r/3', true, 0.2, 1),
        trial('b', 'r/3', true, 0.2, 2),
      ],
      2,
    );
    const c = cascade(results, ['a', 'b']);
    // Per task (pass, cost): r/1 (1, $0.01); r/2 (0.5 + 0.5 × 0.5, $0.02 + 0.5 × $0.40); r/3 (0 + 1, $0.034 + $0.20).
    expect(c.cascade.expectedPasses).toBeCloseTo(2.75, 12);
    expect(c.cascade.escalations[0]).toBeCloseTo(1.5, 12);
    expect(c.cascade.expectedCost).toBeCloseTo(0.01 + 0.22 + 0.234, 12);
    expect(c.cascade.costPerPass).toBeCloseTo(0.464 / 2.75, 12);
    const [a, b] = c.alone;
    expect([a!.expectedPasses, a!.expectedCost]).toEqual([1.5, expect.closeTo(0.064, 12)]);
    expect([b!.expectedPasses, b!.expectedCost]).toEqual([2.5, expect.closeTo(0.8, 12)]);

    // The pass rate's interval is the statistics module's task-clustered one over per-task cascade rates.
    expect(c.cascade.passRateCi).toEqual(taskMeanInterval([1, 0.75, 1], 2));
    // The cost's is a cluster bootstrap over tasks: around the estimate, inside what any resample can
    // reach (3 × the cheapest task … 3 × the dearest), and the same every time the file is read.
    const ci = c.cascade.costCi!;
    expect(ci.method).toBe('bootstrap');
    expect(ci.estimate).toBeCloseTo(0.464, 12);
    expect(ci.low).toBeLessThan(0.464);
    expect(ci.high).toBeGreaterThan(0.464);
    expect(ci.low).toBeGreaterThanOrEqual(3 * 0.01 - 1e-12);
    expect(ci.high).toBeLessThanOrEqual(3 * 0.234 + 1e-12);
    expect(cascade(results, ['a', 'b']).cascade.costCi).toEqual(ci);
    expect(c.cascade.costPerPassCi!.low).toBeLessThan(c.cascade.costPerPass!);

    const table = cascadeTable(c);
    expect(table).toContain('Expected cost [95% CI]');
    expect(table).toMatch(/\| a → b +\| +2\.75\/3 +\| +92% \[\d+–\d+%\] +\| +\$0\.464 \[\$0\.\d+–\$0\.\d+\]/);
  });

  it('three models: each stage sees only what the previous ones failed', () => {
    const c = cascade(
      run([
        ...['r/1', 'r/2', 'r/3', 'r/4'].map((t, i) => trial('a', t, i === 0, 0.001)),
        ...['r/1', 'r/2', 'r/3', 'r/4'].map((t, i) => trial('b', t, i <= 1, 0.01)),
        ...['r/1', 'r/2', 'r/3', 'r/4'].map((t, i) => trial('c', t, i <= 2, 0.1)),
      ]),
      ['a', 'b', 'c'],
    );
    expect(c.cascade.escalations).toEqual([3, 2]);
    expect(c.cascade.expectedPasses).toBe(3);
    expect(c.cascade.expectedCost).toBeCloseTo(4 * 0.001 + 3 * 0.01 + 2 * 0.1, 12);
  });

  it('an unknown price makes the cost unknown (never $0); a task without a graded trial is left out', () => {
    const c = cascade(
      run([
        trial('a', 'r/x', false, null),
        trial('b', 'r/x', true, 0.2),
        trial('a', 'r/y', false, 0.01),
        { ...trial('b', 'r/y', false, 0.05), outcome: 'infra' },
      ]),
      ['a', 'b'],
    );
    expect(c.excluded).toEqual(['r/y']);
    expect(c.cascade.expectedCost).toBeNull();
    expect(c.cascade.expectedPasses).toBe(1);
    expect(cascadeTable(c)).toContain('n/a (no price)');
  });

  it('the report picks the cheapest model and the best-passing one, and says why when there is no pair', () => {
    expect(defaultCascade(paperRun())).toEqual({ chain: ['flash', 'top'] });
    const section = cascadeSection(paperRun());
    expect(section).toContain('| flash → top');
    expect(section).toContain('escalating 2 of 10 task(s) to top');
    const same = run([trial('a', 'r/x', true, 0.01), trial('b', 'r/x', false, 0.2)]);
    expect(cascadeSection(same)).toContain('No cascade to show: a is both the cheapest and the best-passing');
    expect(cascadeSection(run([trial('a', 'r/x', true, 0.01)]))).toBe('');
  });

  it('CLI arguments: --first and --then, no model twice', () => {
    expect(cascadeChain({ first: 'a', then: 'b,c' })).toEqual(['a', 'b', 'c']);
    expect(() => cascadeChain({ first: 'a' })).toThrow(UsageError);
    expect(() => cascadeChain({ then: 'b' })).toThrow(/name --first and --then/);
    expect(() => cascadeChain({ first: 'a', then: 'a' })).toThrow(/twice/);
  });
});

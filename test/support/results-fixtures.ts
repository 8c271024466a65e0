import type { Outcome, Results } from '../../src/results/schema.js';
import { runMini } from './run-helpers.js';

let template: Results | null = null;

/** Runs the reference model on the mini task once, so synthetic results are shaped like a real run's. */
export async function loadTemplate(): Promise<void> {
  template ??= (await runMini(['reference'], {})).results;
}

export type Row = [model: string, task: string, outcome: Outcome, cost?: number | null, passedAt?: number];

/** A results object shaped like a real run's (call loadTemplate first), with the given trials. */
export function results(rows: Row[], patch: Partial<Results> = {}): Results {
  if (!template) throw new Error('call loadTemplate() in beforeAll first');
  const t0 = template.trials[0]!;
  const models = [...new Set(rows.map((r) => r[0]))];
  const tasks = [...new Set(rows.map((r) => r[1]))];
  return {
    ...template,
    models: models.map((name) => ({
      name,
      spec: name,
      provider: name.split('/')[0]!,
      model: name.split('/')[1] ?? name,
    })),
    tasks: tasks.map((key) => ({
      key,
      suite: key.split('/')[0]!,
      id: key.split('/')[1]!,
      level: 1,
      title: key,
      hash: `h-${key}`,
    })),
    prices: { asOf: template.prices.asOf, models: Object.fromEntries(models.map((m) => [m, null])) },
    trials: rows.map(([model, task, outcome, cost = 0.01, passedAt = 1]) => ({
      ...t0,
      model,
      task,
      passed: outcome === 'pass',
      outcome,
      passedAtAttempt: outcome === 'pass' ? passedAt : null,
      attempts: [{ ...t0.attempts[0]!, outcome, cost }],
      cost,
    })),
    ...patch,
  };
}

/** A merged run far larger than GitHub's limits: `models` × `tasks` one-attempt trials. */
export function hugeResults(template: Results, models: number, tasks: number): Results {
  const base = template.trials[0]!;
  // Replies dropped: the size that matters is the rendered tables', not the results file's.
  const trial = {
    ...base,
    attempts: base.attempts.slice(0, 1).map((a) => ({ ...a, reply: null, feedback: null })),
  };
  const names = Array.from(
    { length: models },
    (_, i) => `openai/model-with-a-long-descriptive-name-${String(i).padStart(3, '0')}`,
  );
  const keys = Array.from(
    { length: tasks },
    (_, i) => `mini/L1-task-with-a-long-name-${String(i).padStart(2, '0')}`,
  );
  return {
    ...template,
    models: names.map((name) => ({ name, spec: name, provider: 'openai', model: name.slice(7) })),
    tasks: keys.map((key) => ({
      key,
      suite: 'mini',
      id: key.slice(5),
      level: 1,
      title: 'synthetic',
      hash: 'h',
    })),
    prices: { asOf: template.prices.asOf, models: Object.fromEntries(names.map((n) => [n, null])) },
    trials: names.flatMap((model, m) =>
      keys.map((task, t) => ({
        ...trial,
        model,
        task,
        passed: (m + t) % 3 !== 0,
        outcome: (m + t) % 3 ? ('pass' as const) : ('test' as const),
        cost: null,
      })),
    ),
  };
}

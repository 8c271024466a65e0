import {
  RESULTS_SCHEMA_VERSION,
  type AttemptRecord,
  type Results,
  type TrialRecord,
} from '../../src/results/schema.js';

/** One trial: its attempts' outcomes in order (the last decides), each attempt's cost and timings. */
export interface TrialSpec {
  model: string;
  task: string;
  trial?: number;
  outcomes: AttemptRecord['outcome'][];
  /** Cost of each attempt (the same for all when a number); null = no known price. */
  cost: number | null;
  modelMs?: number[];
  gradeMs?: number[];
  outputTokens?: number;
  replies?: (string | null)[];
  files?: string[];
}

const usage = (outputTokens: number) => ({
  inputTokens: 1000,
  outputTokens,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
  reasoningTokens: 0,
});

function attempt(spec: TrialSpec, i: number, start: number): AttemptRecord {
  const outcome = spec.outcomes[i]!;
  return {
    n: i + 1,
    outcome,
    reply: spec.replies?.[i] ?? null,
    modelId: spec.model,
    stopReason: 'end',
    files: spec.files ?? [],
    rejected: [],
    steps: [
      {
        name: 'test',
        ok: outcome === 'pass',
        status: outcome === 'pass' ? 'ok' : 'failed',
        durationMs: 1500,
        exitCode: outcome === 'pass' ? 0 : 1,
      },
    ],
    tests: {
      expected: 4,
      passed: outcome === 'pass' ? 4 : 2,
      failed: outcome === 'pass' ? 0 : 2,
      skipped: 0,
    },
    failingTests: outcome === 'pass' ? [] : ['edge_case'],
    feedback: outcome === 'pass' ? null : 'Result: FAILED (test)\nedge_case: expected 1, got 2',
    suspect: [],
    faults: [],
    usage: usage(spec.outputTokens ?? 500),
    cost: spec.cost,
    modelMs: spec.modelMs?.[i] ?? 2000,
    gradeMs: spec.gradeMs?.[i] ?? 3000,
    startedAt: new Date(start + i * 10_000).toISOString(),
  };
}

function trial(spec: TrialSpec, index: number): TrialRecord {
  const attempts = spec.outcomes.map((_, i) => attempt(spec, i, Date.UTC(2026, 0, 1) + index * 60_000));
  const passAt = spec.outcomes.indexOf('pass');
  const sum = (f: (a: AttemptRecord) => number) => attempts.reduce((s, a) => s + f(a), 0);
  return {
    model: spec.model,
    task: spec.task,
    trial: spec.trial ?? 1,
    passed: passAt >= 0,
    outcome: spec.outcomes.at(-1)!,
    passedAtAttempt: passAt >= 0 ? passAt + 1 : null,
    attempts,
    cost: spec.cost === null ? null : spec.cost * attempts.length,
    usage: usage(sum((a) => a.usage.outputTokens)),
    modelMs: sum((a) => a.modelMs),
    gradeMs: sum((a) => a.gradeMs),
    stoppedBy: null,
  };
}

/** A schema-valid results object with exactly the given trials (no run needed). */
export function syntheticResults(specs: TrialSpec[], attempts = 3): Results {
  const models = [...new Set(specs.map((s) => s.model))];
  const tasks = [...new Set(specs.map((s) => s.task))];
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: 'synthetic',
    status: 'complete',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T01:00:00.000Z',
    harness: { version: '0.0.0', commit: null },
    fingerprints: { tasks: 't', prompt: 'p', prices: 'pr' },
    prices: { asOf: '2026-01-01', models: Object.fromEntries(models.map((m) => [m, null])) },
    toolchains: {},
    sandbox: { level: 'namespaces', features: ['user-namespace'], missing: [] },
    config: {
      attempts,
      trials: Math.max(...specs.map((s) => s.trial ?? 1)),
      concurrency: 1,
      maxTokens: 1000,
      feedbackChars: 4000,
      maxCost: null,
    },
    models: models.map((name) => ({ name, spec: name, provider: name.split('/')[0]!, model: name })),
    tasks: tasks.map((key) => ({
      key,
      suite: key.split('/')[0]!,
      id: key.split('/')[1]!,
      level: 1,
      title: key,
      hash: `h-${key}`,
    })),
    trials: specs.map(trial),
    warnings: [],
  };
}

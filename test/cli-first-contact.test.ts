/**
 * The CLI as a new user meets it: help on every command, "did you mean" for typos, a progress counter
 * with the real total after a header line, and failure reasons that say why in one line.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { headerLine, TrialCounter } from '../src/cli/progress.js';
import { main } from '../src/cli/main.js';
import { checkModelIds } from '../src/models/check-ids.js';
import { priceTable } from '../src/models/prices.js';
import { createProviders } from '../src/models/registry.js';
import { parseModelSpec } from '../src/models/spec.js';
import { failureReason } from '../src/report/reason.js';
import type { AttemptRecord } from '../src/results/schema.js';
import { MockLlmServer } from './support/mock-llm.js';
import { FIXTURE_TASKS, tempDir } from './support/run-helpers.js';

async function aibench(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), tty: false });
  return { code, stdout: out.join('\n'), stderrLines: err.join('\n').split('\n').filter(Boolean) };
}

describe('help', () => {
  it('aibench alone prints help and exits 0', async () => {
    const r = await aibench([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: aibench <command> \[options\]/);
    for (const cmd of ['run', 'validate', 'tasks', 'report', 'merge', 'compare'])
      expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    expect(r.stdout).toContain('Exit codes:');
  });

  it.each(['run', 'validate', 'tasks', 'report', 'merge', 'compare'])(
    'aibench %s --help and -h print that command’s help and exit 0',
    async (cmd) => {
      for (const flag of ['--help', '-h']) {
        const r = await aibench([cmd, flag]);
        expect(r.code, `${cmd} ${flag}`).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Usage: aibench ${cmd}\\b`));
        expect(r.stderrLines).toEqual([]);
      }
    },
  );

  it('run --help documents every run flag', async () => {
    const r = await aibench(['run', '--help']);
    for (const flag of [
      '--models',
      '--attempts',
      '--trials',
      '--max-cost',
      '--out',
      '--resume',
      '--tasks-path',
    ])
      expect(r.stdout).toContain(flag);
  });
});

describe('did you mean', () => {
  const cases: [string[], RegExp][] = [
    [['rn'], /^aibench: unknown command 'rn' \(did you mean run\?\)/],
    [['run', '--modles', 'reference'], /^aibench: unknown option '--modles' \(did you mean --models\?\)/],
    [['tasks', '--suites', 'rsut'], /^aibench: --suites: unknown suite "rsut" \(did you mean "rust"\?\)/],
    [
      ['tasks', '--tasks', 'rust/L1-merge-interval'],
      /^aibench: --tasks: "rust\/L1-merge-interval" is not a known task \(did you mean "rust\/L1-merge-intervals"\?\)/,
    ],
    [
      ['run', '--models', 'antropic/claude-sonnet-4-6', '--out', path.join(tempDir(), 'o')],
      /^aibench: --models: unknown provider "antropic" in "antropic\/claude-sonnet-4-6" \(did you mean "anthropic"\?\)/,
    ],
    [['report'], /^aibench: missing required argument 'results\.json'/],
  ];
  it.each(cases)('%j: exit 2 with one line and a suggestion', async (args, message) => {
    const r = await aibench(args);
    expect(r.code).toBe(2);
    expect(r.stderrLines).toHaveLength(1);
    expect(r.stderrLines[0]).toMatch(message);
  });

  it('a name far from every candidate gets no guess', async () => {
    const r = await aibench(['tasks', '--suites', 'cobol']);
    expect(r.stderrLines[0]).toMatch(/^aibench: --suites: unknown suite "cobol" \(known: /);
  });
});

describe('progress', () => {
  const attempt = (n: number, outcome: AttemptRecord['outcome']) =>
    ({ n, outcome, steps: [], tests: null, faults: [], cost: 0 }) as unknown as AttemptRecord;

  it('the header states models × tasks × trials, attempts and isolation', () => {
    expect(
      headerLine({ models: 2, tasks: 5, trials: 3, attempts: 3, isolation: 'namespaces', resumed: 0 }),
    ).toBe(
      'aibench: 2 models × 5 tasks × 3 trials = 30 trials, up to 3 attempts each · isolation: namespaces',
    );
  });

  it('counts finished trials against the real total', () => {
    const c = new TrialCounter(2, 2);
    const line = (n: number, o: AttemptRecord['outcome']) =>
      c.line({ model: 'm', task: 's/t', trial: 1, attempt: attempt(n, o) }, false);
    expect(line(1, 'test')).toMatch(/^\[0\/2\] m s\/t attempt 1: test/);
    expect(line(2, 'test')).toMatch(/^\[1\/2\] /);
    expect(line(1, 'pass')).toMatch(/^\[2\/2\] /);
  });

  it('a real run starts with the header and counts [n/total], never [n/0]', async () => {
    const out = path.join(tempDir(), 'out');
    const r = await aibench([
      'run',
      '--models',
      'reference',
      '--tasks-path',
      FIXTURE_TASKS,
      '--suites',
      'mini',
      '--out',
      out,
    ]);
    expect(r.code, r.stderrLines.join('\n')).toBe(0);
    expect(r.stderrLines[0]).toMatch(
      /^aibench: 1 model × 1 task × 1 trial = 1 trial, up to 3 attempts each · isolation: (namespaces|process)$/,
    );
    expect(r.stderrLines.some((l) => l.startsWith('preparing mini: checking the Rust toolchain'))).toBe(true);
    expect(r.stderrLines.find((l) => l.includes('attempt 1'))).toMatch(
      /^\[1\/1\] reference mini\/L1-clamp attempt 1: pass/,
    );
  });
});

describe('failure reasons', () => {
  it('a failed test: class, test name and assertion message in one bounded line', () => {
    const feedback = [
      'Result: FAILED (test): hidden tests failed.',
      '',
      'Tests: 3 passed, 1 failed, 0 skipped; 4 must pass.',
      '',
      '✗ clamp > swaps reversed bounds',
      '    AssertionError: expected 5 to be 3',
      '    - Expected: 3',
    ].join('\n');
    expect(failureReason(feedback)).toBe(
      'test: hidden tests failed · clamp > swaps reversed bounds — AssertionError: expected 5 to be 3',
    );
  });

  it('a Rust panic: where it panicked and what it asserted, both', () => {
    const feedback = [
      'Result: FAILED (test): hidden tests failed.',
      '',
      '✗ bounds_in_either_order',
      "    thread 'bounds_in_either_order' (3) panicked at tests/clamp.rs:16:5:",
      '    assertion `left == right` failed: clamp(5, 3, 1) with the bounds reversed',
      '      left: 5',
    ].join('\n');
    expect(failureReason(feedback)).toBe(
      "test: hidden tests failed · bounds_in_either_order — thread 'bounds_in_either_order' (3) panicked at tests/clamp.rs:16:5: assertion `left == right` failed: clamp(5, 3, 1) with the bounds reversed",
    );
  });

  it('a build failure: the first compiler error; long text is bounded', () => {
    const feedback = `Result: FAILED (build): the code does not build / typecheck.\n\nFailed step: cargo build.\n\nerror[E0308]: mismatched types ${'x'.repeat(500)}`;
    const reason = failureReason(feedback);
    expect(reason).toMatch(
      /^build: the code does not build \/ typecheck · error\[E0308\]: mismatched types x+…$/,
    );
    expect(reason.length).toBe(300);
  });
});

describe('model ids checked before money is spent', () => {
  const providersFor = (raw: string, env: NodeJS.ProcessEnv) =>
    createProviders([parseModelSpec(raw)], {
      env,
      configProviders: {},
      tasks: new Map(),
      timeoutMs: 10_000,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });

  it('a model the provider does not list fails in one line with a suggestion, and nothing is requested', async () => {
    const server = await new MockLlmServer('anthropic', () => ({ text: 'never asked' })).start();
    server.models = ['claude-sonnet-4-6', 'claude-opus-4-5', 'claude-haiku-4-5'];
    const saved = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };
    process.env.ANTHROPIC_API_KEY = 'k';
    process.env.ANTHROPIC_BASE_URL = server.baseURL;
    try {
      const out = path.join(tempDir(), 'out');
      const r = await aibench([
        'run',
        '--models',
        'anthropic/claude-sonet-4-6',
        '--tasks-path',
        FIXTURE_TASKS,
        '--suites',
        'mini',
        '--out',
        out,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderrLines).toEqual([
        'aibench: --models: anthropic does not know the model "claude-sonet-4-6" (in "anthropic/claude-sonet-4-6") (did you mean "anthropic/claude-sonnet-4-6"?); nothing was spent',
      ]);
      expect(server.modelListRequests).toBe(1);
      expect(server.requests).toHaveLength(0);
      expect(existsSync(out)).toBe(false);
    } finally {
      process.env.ANTHROPIC_API_KEY = saved.key;
      process.env.ANTHROPIC_BASE_URL = saved.url;
      if (saved.key === undefined) delete process.env.ANTHROPIC_API_KEY;
      if (saved.url === undefined) delete process.env.ANTHROPIC_BASE_URL;
      await server.stop();
    }
  });

  it('an unpriced model the provider lists passes; priced models and providers without a list are not blocked', async () => {
    const server = await new MockLlmServer('openai', () => ({ text: 'never asked' })).start();
    const env = { DEEPSEEK_API_KEY: 'k', DEEPSEEK_BASE_URL: server.baseURL };
    const log: string[] = [];
    try {
      server.models = ['deepseek-chat', 'deepseek-v9'];
      await expect(
        checkModelIds(providersFor('deepseek/deepseek-v9', env), priceTable(), (l) => log.push(l)),
      ).resolves.toBeUndefined();
      // A priced model is not looked up at all.
      await checkModelIds(providersFor('deepseek/deepseek-chat', env), priceTable(), (l) => log.push(l));
      expect(server.modelListRequests).toBe(1);
      server.models = null; // the endpoint is absent: a warning, not a refusal
      await checkModelIds(providersFor('deepseek/deepseek-v10', env), priceTable(), (l) => log.push(l));
      expect(log).toEqual([
        'warning: could not ask deepseek whether it knows "deepseek-v10" (no models list); a wrong id fails on the first request',
      ]);
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.stop();
    }
  });
});

/**
 * `--rerun-infra`: trials that API faults ended are run again in the same out folder, after the run,
 * keeping every attempt (and cent) already paid for.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../src/config/load.js';
import { configFileSchema } from '../src/config/schema.js';
import { runBenchmark } from '../src/run/run.js';
import { MockLlmServer } from './support/mock-llm.js';
import { miniTask, replyWith, runMini } from './support/run-helpers.js';

const servers: MockLlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe('--rerun-infra', () => {
  it('re-runs only the infra-ended trial, keeps its fault attempt, and the pass counts', async () => {
    const task = miniTask();
    // Trial 1 passes; trial 2's calls all time out (infra).
    const flaky = await new MockLlmServer('openai').start();
    servers.push(flaky);
    flaky.script(
      { text: replyWith(task, 'reference'), usage: { input: 100, output: 50 } },
      { hang: true },
      { hang: true },
    );
    const first = await runMini(
      ['openai/gpt-5'],
      { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: flaky.baseURL },
      { requestTimeoutSec: 1, retries: 1, trials: 2, concurrency: 1 },
    );
    expect(first.results.trials.map((t) => t.outcome)).toEqual(['pass', 'infra']);
    const paidBefore = first.results.trials[0]!.cost!;

    const healthy = await new MockLlmServer('openai').start();
    servers.push(healthy);
    healthy.script({ text: replyWith(task, 'reference'), usage: { input: 100, output: 50 } });
    const again = await runBenchmark({
      models: [],
      tasks: [],
      settings: DEFAULT_SETTINGS,
      config: configFileSchema.parse({}),
      out: first.outDir,
      resume: true,
      rerunInfra: true,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        OPENAI_API_KEY: 'k',
        OPENAI_BASE_URL: healthy.baseURL,
      },
    });
    // Only the infra-ended trial called the model again.
    expect(healthy.requests).toHaveLength(1);
    const [t1, t2] = again.results.trials;
    expect(t1).toEqual(first.results.trials[0]);
    expect(t2!.outcome).toBe('pass');
    expect(t2!.passedAtAttempt).toBe(1);
    // The fault attempt stays on record (what it paid for counts), followed by the new graded attempt 1.
    expect(t2!.attempts.map((a) => [a.n, a.outcome])).toEqual([
      [1, 'infra'],
      [1, 'pass'],
    ]);
    expect(t2!.attempts[0]!.faults.map((f) => f.cause)).toEqual(['timeout', 'timeout']);
    expect(again.results.trials.filter((t) => t.passed)).toHaveLength(2);
    expect(t1!.cost).toBe(paidBefore);
    expect(again.exitCode).toBe(0);
  });
});

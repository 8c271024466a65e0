import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleCurrentSource } from './support/bundle.js';
import { readResults } from '../src/results/io.js';
import type { Results } from '../src/results/schema.js';
import { MockLlmServer } from './support/mock-llm.js';
import { FIXTURE_TASKS, miniTask, replyWith, runMini, tempDir } from './support/run-helpers.js';

let CLI = '';
let cleanupBundle = (): void => {};
beforeAll(async () => {
  const bundle = await bundleCurrentSource('interrupt');
  CLI = path.join(bundle.dir, 'cli.js');
  cleanupBundle = bundle.cleanup;
});
afterAll(() => cleanupBundle());
const servers: MockLlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** A model that fails attempt 1 with a mutant and passes attempt 2, whatever order trials run in. */
async function mutantThenReference(delayMs = 0): Promise<MockLlmServer> {
  const task = miniTask();
  const server = await new MockLlmServer('anthropic', (req) => ({
    text: replyWith(task, req.body.messages.length === 1 ? 'no-swap' : 'reference'),
    usage: { input: 1000, output: 500 },
  })).start();
  server.delayMs = delayMs;
  servers.push(server);
  return server;
}

function cli(args: string[], baseURL: string) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_BASE_URL: baseURL,
      AIBENCH_RETRY_BASE_MS: '10',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

const RUN_ARGS = [
  'run',
  '--models',
  'anthropic/claude-sonnet-4-6',
  '--tasks-path',
  FIXTURE_TASKS,
  '--tasks',
  'mini/L1-clamp',
  '--trials',
  '3',
  '--concurrency',
  '1',
  '--grade-concurrency',
  '1',
];

function journaled(out: string, type: 'attempt' | 'paid'): number {
  const file = path.join(out, 'journal.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.includes(`"type":"${type}"`)).length
    : 0;
}

async function waitFor(cond: () => boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What must be equal between an interrupted-and-resumed run and an uninterrupted one. */
function essence(r: Results) {
  return r.trials.map((t) => [
    t.task,
    t.trial,
    t.outcome,
    t.passedAtAttempt,
    t.attempts.map((a) => a.outcome),
    t.cost,
  ]);
}

describe('interruptions', () => {
  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'killed with %s mid-run, --resume pays nothing twice and ends as an uninterrupted run',
    async (signal) => {
      const server = await mutantThenReference(150);
      const out = tempDir();
      const first = cli([...RUN_ARGS, '--out', out], server.baseURL);
      // Kill in the middle of trial 2: trial 1 done (2 attempts), trial 2's first attempt journaled.
      await waitFor(() => journaled(out, 'attempt') >= 3);
      first.child.kill(signal);
      await first.exited;
      const requestedBefore = server.requests.length;
      const keptReplies = journaled(out, 'paid');
      expect(readResults(path.join(out, 'results.json')).status).toBe('running');

      // A fresh run into the same folder refuses to overwrite what was paid for.
      const clobber = cli([...RUN_ARGS, '--out', out], server.baseURL);
      expect(await clobber.exited).toBe(2);
      expect(clobber.stderr()).toMatch(/holds an unfinished run; continue it with --resume/);

      const second = cli(['run', '--resume', out], server.baseURL);
      expect(await second.exited, second.stderr()).toBe(0);
      const resumed = readResults(path.join(out, 'results.json'));
      expect(resumed.status).toBe('complete');

      // 3 trials × 2 attempts = 6 requests in all. Every reply received before the kill was journaled
      // (graded or not) and is not requested again; at most the one request in flight is paid twice.
      const resumeRequests = server.requests.length - requestedBefore;
      expect(resumeRequests).toBe(6 - keptReplies);
      expect(requestedBefore - keptReplies).toBeLessThanOrEqual(1);

      const reference = await mutantThenReference();
      const straight = await runMini(
        ['anthropic/claude-sonnet-4-6'],
        { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: reference.baseURL },
        { trials: 3, concurrency: 1 },
      );
      expect(essence(resumed)).toEqual(essence(straight.results));
      expect(resumed.runId).toBe(
        JSON.parse(readFileSync(path.join(out, 'journal.jsonl'), 'utf8').split('\n')[0]!).runId,
      );
    },
  );

  it('--max-cost stops new requests at the cap, finishes what was paid for, and reports budget-exhausted', async () => {
    const server = await mutantThenReference();
    // Each attempt: 1000 in × $3 + 500 out × $15 per MTok = $0.0105; the cap is reached by the 2nd attempt.
    const outcome = await runMini(
      ['anthropic/claude-sonnet-4-6'],
      { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.baseURL },
      { trials: 3, concurrency: 1, maxCost: 0.02 },
    );
    expect(outcome.exitCode).toBe(4);
    expect(outcome.results.status).toBe('budget-exhausted');
    // Trials start together; the second paid request reaches the cap and nothing is requested after it.
    expect(server.requests).toHaveLength(2);
    const graded = outcome.results.trials.flatMap((t) => t.attempts);
    expect(graded).toHaveLength(2);
    expect(graded.every((a) => a.outcome === 'test' && a.cost !== null)).toBe(true);
    expect(outcome.results.trials.every((t) => t.stoppedBy === 'budget')).toBe(true);
    expect(outcome.results.warnings.join('\n')).toMatch(
      /--max-cost \$0\.02 reached after \$0\.0210: 1 trial\(s\) not started, 2 stopped before using all attempts/,
    );
    expect(readFileSync(path.join(outcome.outDir, 'report.md'), 'utf8')).toMatch(
      /Run status: budget-exhausted/,
    );
  });
});

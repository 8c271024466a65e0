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
      const code = await first.exited;
      const requestedBefore = server.requests.length;
      const keptReplies = journaled(out, 'paid');
      // SIGKILL cannot be caught: the run stays `running`. SIGTERM ends it cleanly, saying how to go on.
      expect(readResults(path.join(out, 'results.json')).status).toBe(
        signal === 'SIGTERM' ? 'interrupted' : 'running',
      );
      if (signal === 'SIGTERM') {
        expect(code).toBe(143);
        expect(first.stderr()).toContain(
          `aibench: interrupted by SIGTERM; paid attempts are kept — continue with: aibench run --resume ${out}`,
        );
      }

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
    // Three CLI runs and an in-process one, each grading real cargo builds.
    400_000,
  );

  it('Ctrl-C in a terminal stops the run at once: in-flight grading killed, results say interrupted, one line says how to resume', async () => {
    const server = await mutantThenReference(150);
    const out = tempDir();
    // A pseudo-terminal (util-linux script): Ctrl-C typed there reaches the CLI as a terminal's SIGINT.
    const command = [process.execPath, CLI, ...RUN_ARGS, '--out', out].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ANTHROPIC_API_KEY: 'k',
        ANTHROPIC_BASE_URL: server.baseURL,
        AIBENCH_RETRY_BASE_MS: '10',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (c) => (screen += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => journaled(out, 'attempt') >= 1);
    const started = Date.now();
    child.stdin.write('\x03');
    const code = await exited;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(code).toBe(130);
    // The live display's colours and cursor movement out: CSI sequences (the screen test is progress-tty's).
    // eslint-disable-next-line no-control-regex
    const text = screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(text).toMatch(
      /^aibench: 1 model × 1 task × 3 trials = 3 trials, up to 3 attempts each · isolation: /m,
    );
    expect(text).toContain(
      `aibench: interrupted by Ctrl-C; paid attempts are kept — continue with: aibench run --resume ${out}`,
    );
    const results = readResults(path.join(out, 'results.json'));
    expect(results.status).toBe('interrupted');
    expect(results.warnings.join('\n')).toContain(`continue it with aibench run --resume ${out}`);
    expect(readFileSync(path.join(out, 'journal.jsonl'), 'utf8')).toMatch(
      /"type":"interrupted","signal":"SIGINT"/,
    );
    // No grading step of the run outlives it (killed processes may take a moment to be reaped).
    const leftovers = async () => {
      const ps = await new Promise<string>((resolve) => {
        const p = spawn('ps', ['-eo', 'stat=,args='], { stdio: ['ignore', 'pipe', 'ignore'] });
        let o = '';
        p.stdout.on('data', (c) => (o += c));
        p.on('exit', () => resolve(o));
      });
      return ps.split('\n').filter((l) => l.includes(out) && !l.trimStart().startsWith('Z'));
    };
    let left = await leftovers();
    for (let i = 0; i < 50 && left.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await leftovers();
    }
    expect(left).toEqual([]);
    const resumed = cli(['run', '--resume', out], server.baseURL);
    expect(await resumed.exited, resumed.stderr()).toBe(0);
    expect(readResults(path.join(out, 'results.json')).status).toBe('complete');
  }, 400_000);

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

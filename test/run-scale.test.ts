import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Checkpoints } from '../src/run/checkpoint.js';
import { Pool } from '../src/run/pool.js';
import { readJournal, trialKey } from '../src/run/resume.js';
import { MockLlmServer, textOf } from './support/mock-llm.js';
import { FIXTURE_TASKS, miniTask, replyWith, runMini, tempDir } from './support/run-helpers.js';

const servers: MockLlmServer[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function anthropicMock(answer: (messages: number, prompt: string) => string): Promise<MockLlmServer> {
  const server = await new MockLlmServer('anthropic', (req) => ({
    text: answer(req.body.messages.length, textOf(req.body.messages[0]?.content)),
    usage: { input: 1000, output: 500 },
  })).start();
  servers.push(server);
  return server;
}

const env = (server: MockLlmServer, cache = tempDir('aibench-cache-')) => ({
  ANTHROPIC_API_KEY: 'k',
  ANTHROPIC_BASE_URL: server.baseURL,
  AIBENCH_CACHE: cache,
});

function journalLines(out: string): { type: string; [k: string]: unknown }[] {
  return readFileSync(path.join(out, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string });
}

describe('the run around the gradings', () => {
  it('a retry of a started trial is requested before a new trial; results.json is not rewritten per trial; each reply is journaled once', async () => {
    const task = miniTask();
    // Attempt 1 fails (a mutant), attempt 2 passes.
    const server = await anthropicMock((messages) =>
      replyWith(task, messages === 1 ? 'no-swap' : 'reference'),
    );
    let trialOneGraded = (): void => {};
    const graded = new Promise<void>((resolve) => (trialOneGraded = resolve));
    // Trial 2's first reply waits until trial 1's first attempt is graded: by then trial 1's retry and
    // trial 3's first request are both waiting for the one model slot.
    server.hold = (_req, index) => (index === 1 ? graded : Promise.resolve());
    let out = '';
    const seenMidRun: number[] = [];
    const outcome = await runMini(
      ['anthropic/claude-sonnet-4-6'],
      // No time-based checkpoint during this short run, however slow the machine.
      { ...env(server), AIBENCH_CHECKPOINT_SEC: '3600' },
      { trials: 3, concurrency: 1, attempts: 2 },
      {
        onAttempt: ({ trial, attempt }) => {
          if (trial === 1 && attempt.n === 1) trialOneGraded();
          if (trial === 2 && attempt.n === 2)
            seenMidRun.push(
              (JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as { trials: unknown[] })
                .trials.length,
            );
        },
        onPlan: () => {},
        log: () => {},
        out: (out = tempDir()),
      },
    );
    expect(outcome.results.status).toBe('complete');
    // Requests by conversation length: 1 = a first attempt, 3 = a retry. FIFO would ask [1, 1, 1, 3, …].
    expect(server.requests.map((r) => r.body.messages.length).slice(0, 3)).toEqual([1, 1, 3]);
    expect(server.requests).toHaveLength(6);
    // Trial 1 finished before trial 2's retry, yet results.json still holds what the start wrote.
    expect(seenMidRun).toEqual([0]);
    expect(outcome.results.trials.map((t) => [t.trial, t.passedAtAttempt])).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
    ]);

    // The journal holds each reply once (the paid line); attempts point at it, trials are markers.
    const lines = journalLines(out);
    const reference = replyWith(task, 'reference');
    const raw = readFileSync(path.join(out, 'journal.jsonl'), 'utf8');
    expect(raw.split(JSON.stringify(reference)).length - 1).toBe(3);
    expect(lines.filter((l) => l.type === 'paid')).toHaveLength(6);
    for (const l of lines.filter((l) => l.type === 'attempt')) {
      expect(l.reply).toBe('paid');
      expect((l.attempt as Record<string, unknown>).reply).toBeUndefined();
    }
    expect(lines.filter((l) => l.type === 'trial').every((l) => l.record === undefined)).toBe(true);
    // …and rebuilds exactly the trials the run reported (what --resume relies on).
    const rebuilt = readJournal(out).trials;
    for (const t of outcome.results.trials)
      expect(rebuilt.get(trialKey(t.model, t.task, t.trial))).toEqual(t);

    // Transcripts append only what is new: a retry's request line carries the feedback message alone;
    // the assistant turn before it is the previous reply line's text.
    const transcript = readFileSync(path.join(out, 'transcripts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.trial === 1);
    const [req1, reply1, req2] = transcript;
    expect(req1).toMatchObject({ type: 'request', attempt: 1, fromMessage: 0 });
    expect(req1!.system).toEqual(expect.any(String));
    expect(reply1).toMatchObject({ type: 'reply', attempt: 1, text: replyWith(task, 'no-swap') });
    expect(req2).toMatchObject({ type: 'request', attempt: 2, fromMessage: 2 });
    expect(req2!.system).toBeUndefined();
    const sent = server.requests.find((r) => r.body.messages.length === 3)!.body.messages;
    const rebuiltConversation = [
      ...(req1!.messages as unknown[]),
      { role: 'assistant', content: reply1!.text },
      ...(req2!.messages as unknown[]),
    ];
    expect(rebuiltConversation.map((m) => textOf((m as { content: string }).content))).toEqual(
      sent.map((m) => textOf(m.content)),
    );
  }, 300_000);

  it('a run prunes the cache to its limit at its end, least recently used first, and says so', async () => {
    const task = miniTask();
    const server = await anthropicMock(() => replyWith(task, 'reference'));
    const cache = tempDir('aibench-cache-');
    const stale = path.join(cache, 'fixtures', 'react-0000000000000000');
    mkdirSync(stale, { recursive: true });
    writeFileSync(path.join(stale, 'node_modules.bin'), Buffer.alloc(2 * 1024 ** 2, 1));
    const lines: string[] = [];
    const outcome = await runMini(
      ['anthropic/claude-sonnet-4-6'],
      { ...env(server, cache), AIBENCH_CACHE_LIMIT: '1MB' },
      { trials: 1, attempts: 1 },
      { log: (l) => lines.push(l), onPlan: () => {}, out: tempDir() },
    );
    expect(outcome.results.status).toBe('complete');
    expect(existsSync(stale)).toBe(false);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^cache: removed 1 least recently used entry \(2(\.\d)? MB: fixtures\/react-0+\); .* kept, limit 1 MB$/,
      ),
    );
  }, 300_000);

  it('the task whose grading is expected to take longest is requested first', async () => {
    // The mini suite plus a copy of its task declared at level 5 (expected to grade longer).
    const root = tempDir('aibench-tasks-');
    cpSync(path.join(FIXTURE_TASKS, 'mini'), path.join(root, 'mini'), { recursive: true });
    const heavy = path.join(root, 'mini', 'L5-clamp');
    cpSync(path.join(root, 'mini', 'L1-clamp'), heavy, { recursive: true });
    writeFileSync(
      path.join(heavy, 'task.yml'),
      readFileSync(path.join(heavy, 'task.yml'), 'utf8')
        .replace(/^id: L1-clamp$/m, 'id: L5-clamp')
        .replace(/^level: 1$/m, 'level: 5'),
    );
    writeFileSync(
      path.join(heavy, 'prompt.md'),
      `${readFileSync(path.join(heavy, 'prompt.md'), 'utf8')}\nHEAVY-COPY\n`,
    );
    const task = miniTask();
    const server = await anthropicMock(() => replyWith(task, 'reference'));
    const outcome = await runMini(
      ['anthropic/claude-sonnet-4-6'],
      env(server),
      { concurrency: 1 },
      { tasks: ['mini/L1-clamp', 'mini/L5-clamp'], tasksPaths: [root] },
    );
    expect(outcome.results.trials.map((t) => [t.task, t.outcome])).toEqual([
      ['mini/L1-clamp', 'pass'],
      ['mini/L5-clamp', 'pass'],
    ]);
    expect(server.requests.map((r) => textOf(r.body.messages[0]!.content).includes('HEAVY-COPY'))).toEqual([
      true,
      false,
    ]);
  }, 300_000);
});

/** A node suite whose fixture install (npm ci's postinstall) waits for `go` and then exits `code`. */
function suiteWithSlowFixture(go: string, code: number): string {
  const root = tempDir('aibench-tasks-');
  const suite = path.join(root, 'slowfix');
  mkdirSync(path.join(suite, 'fixture'), { recursive: true });
  cpSync(path.join(FIXTURE_TASKS, 'hostile-node', 'L1-greeting'), path.join(suite, 'L1-greeting'), {
    recursive: true,
  });
  writeFileSync(path.join(suite, 'suite.yml'), 'name: slowfix\ntoolchain: node\nfixture: fixture\n');
  const wait = `const f=require('fs'),t=Date.now();(function w(){if(f.existsSync('${go}'))process.exit(${code});if(Date.now()-t>60000)process.exit(3);setTimeout(w,50)})()`;
  writeFileSync(
    path.join(suite, 'fixture', 'package.json'),
    JSON.stringify({
      name: 'slowfix',
      version: '1.0.0',
      private: true,
      scripts: { postinstall: `node -e "${wait}"` },
    }),
  );
  writeFileSync(
    path.join(suite, 'fixture', 'package-lock.json'),
    JSON.stringify({
      name: 'slowfix',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: 'slowfix', version: '1.0.0' } },
    }),
  );
  return root;
}

describe('cold set-up off the critical path', () => {
  it.each([
    ['installs', 0],
    ['fails', 1],
  ] as const)(
    'the model is asked while the fixture install is still running; grading waits for it (the install %s)',
    async (_, code) => {
      const dir = tempDir('aibench-go-');
      const go = path.join(dir, 'go');
      const root = suiteWithSlowFixture(go, code);
      const cache = tempDir('aibench-cache-');
      // The install only finishes once a request has arrived: a run that waited for it never would.
      const server = await anthropicMock(() => {
        writeFileSync(go, '');
        return 'I will not write any files.';
      });
      const out = tempDir();
      const outcome = await runMini(
        ['anthropic/claude-sonnet-4-6'],
        env(server, cache),
        { attempts: 1 },
        { tasks: ['slowfix/L1-greeting'], tasksPaths: [root], out },
      );
      expect(server.requests).toHaveLength(1);
      const paid = journalLines(out).filter((l) => l.type === 'paid');
      expect(paid).toHaveLength(1);
      if (code === 0) {
        expect(outcome.results.status, outcome.results.warnings.join('\n')).toBe('complete');
        expect(outcome.results.trials[0]!.attempts).toHaveLength(1);
        expect(existsSync(path.join(cache, 'fixtures'))).toBe(true);
      } else {
        // Nothing paid for is lost: the reply stays journaled, ungraded, for --resume.
        expect(outcome.results.status).toBe('aborted');
        expect(outcome.results.warnings.join('\n')).toMatch(
          /installing the slowfix fixture failed.*aibench run --resume/,
        );
        expect(
          readJournal(out).paid.get(trialKey('anthropic/claude-sonnet-4-6', 'slowfix/L1-greeting', 1))?.size,
        ).toBe(1);
      }
    },
    120_000,
  );
});

describe('scheduling and checkpoint primitives', () => {
  it('a pool serves the highest priority first, first come first served among equals', async () => {
    const pool = new Pool(1);
    const order: string[] = [];
    let release = (): void => {};
    const first = pool.use(() => new Promise<void>((r) => (release = r)));
    const queued = [
      pool.use(async () => void order.push('a0'), 0),
      pool.use(async () => void order.push('b5'), 5),
      pool.use(async () => void order.push('c0'), 0),
      pool.use(async () => void order.push('d5'), 5),
      pool.use(async () => void order.push('e9'), 9),
    ];
    release();
    await Promise.all([first, ...queued]);
    expect(order).toEqual(['e9', 'b5', 'd5', 'a0', 'c0']);
  });

  it('checkpoints: one write per interval however many changes, and never more than the share of wall time', () => {
    vi.useFakeTimers();
    let clock = 0;
    const writes: number[] = [];
    const cp = new Checkpoints(
      () => {
        writes.push(Date.now());
        clock += 200; // each write "takes" 200 ms
      },
      { minIntervalMs: 1_000, maxShare: 0.02 },
      () => clock,
    );
    for (let i = 0; i < 100; i++) cp.changed();
    expect(writes).toHaveLength(0);
    vi.advanceTimersByTime(1_000);
    expect(writes).toHaveLength(1);
    // The 200 ms write pushes the next one to 200 / 0.02 = 10 s later, not 1 s.
    cp.changed();
    vi.advanceTimersByTime(9_999);
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(writes).toHaveLength(2);
    // Nothing changed: no write. After stop: none either.
    vi.advanceTimersByTime(60_000);
    expect(writes).toHaveLength(2);
    cp.changed();
    cp.stop();
    vi.advanceTimersByTime(60_000);
    expect(writes).toHaveLength(2);
  });
});

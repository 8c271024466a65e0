import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { trialSchema, type TrialRecord } from '../src/results/schema.js';
import { ReplySpool } from '../src/run/reply-spool.js';
import { MockLlmServer } from './support/mock-llm.js';
import { miniTask, replyWith, runMini, tempDir } from './support/run-helpers.js';
import { syntheticResults } from './support/synthetic-results.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const liveHeap = (): number => {
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external; // node keeps strings made from large buffers outside the V8 heap
};

/** Trials whose replies are `mb` megabytes each of text made here, so nothing else refers to it. */
function trialsWithReplies(count: number, mb: number): TrialRecord[] {
  return syntheticResults(
    Array.from({ length: count }, (_, i) => ({
      model: 'anthropic/m',
      task: 'rust/L1',
      trial: i + 1,
      outcomes: ['test', 'pass'],
      cost: 0.01,
      // Characters outside ASCII, and a lone surrogate (a hostile reply's): each comes back as it went in.
      replies: [`attempt 1 of ${i} é ☃ 🦀 \ud800\n`, `attempt 2 of ${i} ß\n`].map(
        (head) => head + Buffer.alloc(mb * 1024 * 1024, `${i % 10}`).toString(),
      ),
    })),
  ).trials;
}

const spools: ReplySpool[] = [];
afterEach(() => spools.splice(0).forEach((s) => s.release()));

describe('finished trials keep their replies in a temp file, not on the heap', () => {
  it('spooled replies leave the heap, and every reader sees the same text', () => {
    // Control: the same trials unspooled hold their 40 MB of replies, so the measure can see them.
    const before = liveHeap();
    const control = (() => {
      const held = trialsWithReplies(40, 0.5);
      return { heap: liveHeap() - before, json: JSON.stringify(held) }; // `held` dies with this scope
    })();
    const unspooled = control.heap;
    const expected = control.json;
    expect(unspooled).toBeGreaterThan(35 * 1024 * 1024);

    const base = liveHeap();
    const spool = new ReplySpool();
    spools.push(spool);
    const trials = trialsWithReplies(40, 0.5);
    for (const t of trials) spool.hold(t);
    const spooled = liveHeap() - base;
    expect(spooled).toBeLessThan(unspooled / 10);

    // JSON (results.json), the schema (the final write validates) and a plain read get it whole.
    expect(JSON.stringify(trials)).toBe(expected);
    expect(trialSchema.parse(trials[7]).attempts[1]!.reply).toBe(
      (JSON.parse(expected) as TrialRecord[])[7]!.attempts[1]!.reply,
    );
    expect(trials[3]!.attempts[0]!.reply!.startsWith('attempt 1 of 3 é ☃ 🦀 \ud800\n3333')).toBe(true);
  });

  it('a reply assigned after spooling is kept; release puts every reply back as plain data', () => {
    const spool = new ReplySpool();
    spools.push(spool);
    const trials = trialsWithReplies(3, 0.01);
    const expected = JSON.parse(JSON.stringify(trials)) as TrialRecord[];
    for (const t of trials) spool.hold(t);
    spool.hold(trials[0]!); // held twice: stays as it is
    trials[1]!.attempts[0]!.reply = 'replaced';
    expected[1]!.attempts[0]!.reply = 'replaced';
    spool.release();
    for (const t of trials)
      for (const a of t.attempts) expect(Object.getOwnPropertyDescriptor(a, 'reply')).toHaveProperty('value');
    expect(trials).toEqual(expected);
  });

  it('short and missing replies stay as they are; a spool with no temp space keeps replies on the heap', () => {
    const trials = trialsWithReplies(1, 0.01);
    trials[0]!.attempts[0]!.reply = 'short';
    trials[0]!.attempts[1]!.reply = null;
    const spool = new ReplySpool();
    spools.push(spool);
    spool.hold(trials[0]!);
    for (const a of trials[0]!.attempts)
      expect(Object.getOwnPropertyDescriptor(a, 'reply')).toHaveProperty('value');

    const nowhere = new ReplySpool('/proc/no-such-folder');
    spools.push(nowhere);
    const other = trialsWithReplies(1, 0.01);
    nowhere.hold(other[0]!);
    expect(other[0]!.attempts[0]!.reply!.startsWith('attempt 1 of 0')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(other[0]!.attempts[0]!, 'reply')).toHaveProperty('value');
  });

  it('the file is unlinked at once: a run leaves nothing in the temp folder, even if it crashes', () => {
    const root = tempDir('aibench-spool-root-');
    const spool = new ReplySpool(root);
    spools.push(spool);
    const trials = trialsWithReplies(2, 0.01);
    for (const t of trials) spool.hold(t);
    expect(readdirSync(root)).toEqual([]);
    expect(trials[1]!.attempts[1]!.reply!.startsWith('attempt 2 of 1 ß\n1111')).toBe(true);
  });
});

/** What this process's open descriptors point at (Linux). */
const openFiles = (): string[] =>
  readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return []; // the descriptor readdir itself used
    }
  });

describe('a run with spooled replies', () => {
  const servers: MockLlmServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it('results.json, report.html and the results a caller gets hold each reply whole; no file is left open', async () => {
    const task = miniTask();
    // Long enough to be spooled, with text outside ASCII before the code.
    const reply = (n: number) =>
      `Attempt ${n} — voilà, ünïcödé prose 🦀.\n${'Some reasoning before the code.\n'.repeat(60)}${replyWith(task, n === 1 ? 'no-swap' : 'reference')}`;
    const server = await new MockLlmServer('anthropic', (req) => ({
      text: reply(req.body.messages.length === 1 ? 1 : 2),
      usage: { input: 1000, output: 500 },
    })).start();
    servers.push(server);
    const out = tempDir();
    const outcome = await runMini(
      ['anthropic/claude-sonnet-4-6'],
      {
        ANTHROPIC_API_KEY: 'k',
        ANTHROPIC_BASE_URL: server.baseURL,
        AIBENCH_CACHE: tempDir('aibench-cache-'),
      },
      { trials: 2, concurrency: 2, attempts: 2 },
      { out, log: () => {} },
    );
    expect(reply(1).length).toBeGreaterThan(2048);
    const want = [
      [reply(1), reply(2)],
      [reply(1), reply(2)],
    ];
    const replies = (trials: TrialRecord[]) => trials.map((t) => t.attempts.map((a) => a.reply));
    expect(replies(outcome.results.trials)).toEqual(want);
    for (const a of outcome.results.trials.flatMap((t) => t.attempts))
      expect(Object.getOwnPropertyDescriptor(a, 'reply')).toHaveProperty('value');
    const written = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as {
      trials: TrialRecord[];
    };
    expect(replies(written.trials)).toEqual(want);
    // report.html diffs each attempt's files against the starter: the spooled reply was read back.
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).not.toContain('no reply recorded');
    expect(html).toContain('src/lib.rs');
    // The journal, the transcripts and the spool are closed when the run returns.
    expect(openFiles().filter((f) => f.startsWith(out) || f.includes('aibench-replies-'))).toEqual([]);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentRepo, runAgent } from './support/agent-repo.js';
import { MockLlmServer, textOf } from './support/mock-llm.js';
import { miniTask, replyWith, tempDir } from './support/run-helpers.js';

const servers: MockLlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function mockAnthropic(...replies: string[]): Promise<MockLlmServer> {
  const server = (await new MockLlmServer('anthropic').start()).script(
    ...replies.map((text) => ({ text, usage: { input: 1000, output: 500 } })),
  );
  servers.push(server);
  return server;
}

type Line = { type: string; paid?: { n: number }; attempt?: { n: number }; call?: { n: number } };

/** The out folder of a run that crashed right after the journal line `at` (the journal is append-only). */
function crashedAfter(journal: string[], at: (l: Line) => boolean): string {
  const i = journal.findIndex((l) => at(JSON.parse(l) as Line));
  expect(i).toBeGreaterThan(0);
  const out = tempDir('aibench-crashed-');
  writeFileSync(path.join(out, 'journal.jsonl'), `${journal.slice(0, i + 1).join('\n')}\n`);
  return out;
}

// Each metered call: 1,000 in and 500 out at Sonnet 4.6's $3 / $15 per MTok.
const CALL = (1000 * 3 + 500 * 15) / 1e6;

describe('--resume of an interrupted agent trial never pays twice for a metered attempt', () => {
  it('after the agent exited but before grading: its journaled files are graded, it is not run again; between attempts: the next attempt runs in a fresh workspace seeded with its last files and the feedback; mid-run: the run is made again and its paid calls billed once', async () => {
    const task = miniTask();
    const config = agentRepo(['solve']);
    const first = await mockAnthropic(replyWith(task, 'no-swap'), replyWith(task, 'reference'));
    const { outDir } = await runAgent(config, first);
    expect(first.requests).toHaveLength(2);
    const journal = readFileSync(path.join(outDir, 'journal.jsonl'), 'utf8').trim().split('\n');

    // Crash 1: attempt 2's agent exited and was journaled as paid; grading never ran.
    const graded = await mockAnthropic();
    const afterExit = crashedAfter(journal, (l) => l.type === 'agent-paid' && l.paid?.n === 2);
    const resumed = await runAgent(config, graded, {}, { resume: true, out: afterExit });
    expect(graded.requests).toHaveLength(0);
    const [t1] = resumed.results.trials;
    expect(t1!.attempts.map((a) => a.outcome)).toEqual(['test', 'pass']);
    expect(t1!.attempts.map((a) => a.cost)).toEqual([CALL, CALL]);
    expect(t1!.cost).toBeCloseTo(2 * CALL, 12);
    expect(t1!.usage).toMatchObject({ inputTokens: 2000, outputTokens: 1000 });
    const after1 = readFileSync(path.join(afterExit, 'journal.jsonl'), 'utf8');
    expect(after1.match(/"type":"agent-paid"/g)).toHaveLength(2);

    // Crash 2: attempt 1 graded (failed, with feedback); attempt 2 never started.
    const next = await mockAnthropic(replyWith(task, 'reference'));
    const between = crashedAfter(journal, (l) => l.type === 'attempt' && l.attempt?.n === 1);
    const continued = await runAgent(config, next, {}, { resume: true, out: between });
    expect(next.requests).toHaveLength(1);
    // A new session: the task again, told its files are in place, with the grader's feedback.
    const prompt = textOf(next.requests[0]!.body.messages[0]!.content);
    expect(prompt).toContain(task.prompt.trim().split('\n')[0]);
    expect(prompt).toContain('## Your earlier attempt');
    expect(prompt).toContain('Your work failed grading (attempt 1 of 2');
    expect(prompt).toContain('bounds_in_either_order');
    const [t2] = continued.results.trials;
    expect(t2!.attempts.map((a) => a.outcome)).toEqual(['test', 'pass']);
    // The fresh workspace held attempt 1's files, not the starter.
    expect(t2!.attempts[0]!.reply).toContain('src/lib.rs was: the starter');
    expect(t2!.attempts[1]!.reply).toContain('src/lib.rs was: edited');
    expect(t2!.cost).toBeCloseTo(2 * CALL, 12);

    // Crash 3: attempt 1's agent had made its (metered) call but not exited: no files exist, so the run
    // is made again, and the call already paid for is billed to the attempt, not dropped.
    const again = await mockAnthropic(replyWith(task, 'reference'));
    const midRun = crashedAfter(journal, (l) => l.type === 'agent-call' && l.call?.n === 1);
    const rerun = await runAgent(config, again, {}, { resume: true, out: midRun });
    expect(again.requests).toHaveLength(1);
    const [t3] = rerun.results.trials;
    expect(t3!.attempts.map((a) => a.outcome)).toEqual(['pass']);
    expect(t3!.attempts[0]!.faults.map((f) => f.cause)).toEqual(['interrupted']);
    expect(t3!.cost).toBeCloseTo(2 * CALL, 12);
    expect(t3!.usage).toMatchObject({ inputTokens: 2000, outputTokens: 1000 });
  }, 240_000);
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MockLlmServer } from './support/mock-llm.js';
import { agentRepo, REAL_KEY, runAgent } from './support/agent-repo.js';
import { miniTask, replyWith } from './support/run-helpers.js';
import { SANDBOX } from './support/hostile.js';

const servers: MockLlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function mockAnthropic() {
  const server = await new MockLlmServer('anthropic').start();
  servers.push(server);
  return server;
}

describe('agents under test', () => {
  it('an agent whose sandbox cannot start is infra, not a failure of the agent, and costs nothing', async (ctx) => {
    if (SANDBOX.level !== 'namespaces') ctx.skip();
    const task = miniTask();
    const server = (await mockAnthropic()).script({ text: replyWith(task, 'reference') });
    const config = agentRepo(['solve']);
    // A folder the agent declares readable that does not exist: bubblewrap cannot bind it.
    config.agents!.scripted!.readable.push('/nonexistent-aibench-agent-mount');
    const { results } = await runAgent(config, server);
    const attempts = results.trials[0]!.attempts;
    expect(attempts.map((a) => a.outcome)).toEqual(['infra']);
    expect(attempts[0]!.faults.map((f) => f.message).join('\n')).toMatch(
      /the sandbox did not start the agent \(exit 1\).*nonexistent-aibench-agent-mount/,
    );
    expect(server.requests).toHaveLength(0);
    expect(attempts[0]!.cost).toBe(0);
  });

  it('a scripted agent calls the model through the metering proxy with the official SDK, fails, reads the feedback and passes at attempt 2; cost = metered usage × price', async () => {
    const task = miniTask();
    const server = (await mockAnthropic()).script(
      { text: replyWith(task, 'no-swap'), usage: { input: 1500, output: 600 } },
      {
        text: replyWith(task, 'reference'),
        usage: { input: 1200, output: 500, cacheRead: 800, cacheWrite: 100 },
      },
    );
    const { results, outDir } = await runAgent(agentRepo(['solve']), server);
    const [trial] = results.trials;
    expect(trial!.attempts.map((a) => a.outcome)).toEqual(['test', 'pass']);
    expect(trial!.passedAtAttempt).toBe(2);
    expect(trial!.attempts[0]!.failingTests).toEqual(['bounds_in_either_order']);
    // Attempt 2's prompt (the SDK's request through the proxy) is the grader's feedback.
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body.messages[0]!.content).toContain(
      'Your work failed grading (attempt 1 of 2',
    );
    expect(server.requests[1]!.body.messages[0]!.content).toContain('bounds_in_either_order');
    expect((server.requests[1]!.body as { stream?: boolean }).stream).toBe(true);
    // Sonnet 4.6: $3 in, $15 out, $3.75 cache write, $0.30 cache read per MTok; the streamed call metered from its events.
    const a1 = (1500 * 3 + 600 * 15) / 1e6;
    const a2 = (1200 * 3 + 500 * 15 + 100 * 3.75 + 800 * 0.3) / 1e6;
    expect(trial!.attempts[0]!.cost).toBeCloseTo(a1, 12);
    expect(trial!.attempts[1]!.cost).toBeCloseTo(a2, 12);
    expect(trial!.attempts[1]!.usage).toEqual({
      inputTokens: 1200,
      outputTokens: 500,
      cacheWriteTokens: 100,
      cacheReadTokens: 800,
      reasoningTokens: 0,
    });
    expect(trial!.cost).toBeCloseTo(a1 + a2, 12);
    // The upstream got the real key; the agent held only the placeholder (and got its prompt on stdin too).
    expect(server.requests.map((r) => r.headers['x-api-key'])).toEqual([REAL_KEY, REAL_KEY]);
    expect(trial!.attempts[0]!.reply).toContain('key aibench-placeholder-key; stdin matches task file: true');
    for (const file of ['results.json', 'transcripts.jsonl', 'report.md'])
      expect(readFileSync(path.join(outDir, file), 'utf8')).not.toContain(REAL_KEY);
    const calls = readFileSync(path.join(outDir, 'transcripts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((t) => t.type === 'agent-call');
    expect(calls.map((c) => [c.attempt, c.api, c.stream, c.status])).toEqual([
      [1, 'anthropic-messages', false, 200],
      [2, 'anthropic-messages', true, 200],
    ]);
    expect(readFileSync(path.join(outDir, 'report.md'), 'utf8')).toMatch(
      /## Agents[\s\S]*\| agent:scripted \| anthropic\/claude-sonnet-4-6 +\| (namespaces|process): /,
    );
    expect(results.models[0]!.agent).toEqual({
      pricedAs: 'anthropic/claude-sonnet-4-6',
      isolation: expect.stringMatching(/^(namespaces|process): /),
    });
  });

  it('an agent that hangs is killed at its timeout with its whole process group (class timeout)', async () => {
    const server = await mockAnthropic();
    const marker = `aibench-sleeper-${process.pid}-${Date.now()}`;
    const { results } = await runAgent(agentRepo(['hang', marker], 3), server, { attempts: 1 });
    const [trial] = results.trials;
    expect(trial!.outcome).toBe('timeout');
    expect(trial!.attempts[0]!.stopReason).toBe('timeout');
    expect(trial!.attempts[0]!.modelMs).toBeLessThan(20_000);
    expect(trial!.attempts[0]!.reply).toMatch(/sleeper started: \d+/);
    // Its sleeping child went with it: no process on the host carries its marker any more.
    const sleepers = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
        } catch {
          return false;
        }
      });
    expect(sleepers).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('an agent that rewrites the hidden tests and Cargo.toml changes nothing of the verdict; both are listed as rejected', async () => {
    const task = miniTask();
    const server = (await mockAnthropic()).script({ text: replyWith(task, 'no-swap') });
    const { results } = await runAgent(agentRepo(['tamper']), server, { attempts: 1 });
    const attempt = results.trials[0]!.attempts[0]!;
    expect(attempt.outcome).toBe('test');
    expect(attempt.tests).toMatchObject({ expected: 3, failed: 1 });
    expect(attempt.files).toEqual(['src/lib.rs']);
    expect(attempt.rejected.map((r) => r.path).sort()).toEqual(['Cargo.toml', 'tests/clamp.rs']);
  });

  it('an agent that looks for the real key or calls the upstream directly gets nothing', async () => {
    const server = await mockAnthropic();
    const { results } = await runAgent(agentRepo(['snoop', `${server.baseURL}/v1/messages`]), server, {
      attempts: 1,
    });
    const attempt = results.trials[0]!.attempts[0]!;
    const line = /SNOOP (.*)/.exec(attempt.reply ?? '')![1]!;
    const found = JSON.parse(line) as { envKeys: [string, string][]; proc1: unknown; direct: string };
    expect(Object.fromEntries(found.envKeys)).toEqual({
      ANTHROPIC_API_KEY: 'aibench-placeholder-key',
      OPENAI_API_KEY: 'aibench-placeholder-key',
    });
    expect(found.proc1).not.toBe(true);
    if (results.sandbox.level === 'namespaces') {
      expect(found.direct).toMatch(/^blocked/);
      expect(server.requests).toHaveLength(0);
    }
    expect(JSON.stringify(results)).not.toContain(REAL_KEY);
  });

  it('--max-cost: once an attempt spends the budget, no further attempt starts and the run ends budget-exhausted', async () => {
    const task = miniTask();
    const server = (await mockAnthropic()).script({
      text: replyWith(task, 'no-swap'),
      usage: { input: 100_000, output: 10_000 },
    });
    const outcome = await runAgent(agentRepo(['solve']), server, { attempts: 3, maxCost: 0.2 });
    const [trial] = outcome.results.trials;
    expect(trial!.attempts).toHaveLength(1);
    expect(trial!.cost).toBeCloseTo((100_000 * 3 + 10_000 * 15) / 1e6, 12);
    expect(trial!.stoppedBy).toBe('budget');
    expect(outcome.results.status).toBe('budget-exhausted');
    expect(outcome.exitCode).toBe(4);
    expect(server.requests).toHaveLength(1);
  });

  it('an upstream that keeps failing makes the attempt infra, not an agent failure', async () => {
    const server = (await mockAnthropic()).script(
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
    );
    const { results } = await runAgent(agentRepo(['solve']), server, { attempts: 2 });
    const attempt = results.trials[0]!.attempts[0]!;
    expect(attempt.outcome).toBe('infra');
    expect(attempt.faults.map((f) => f.cause)).toContain('upstream-500');
    expect(results.trials[0]!.attempts).toHaveLength(1);
  });
});

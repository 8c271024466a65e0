import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MockLlmServer, textOf } from './support/mock-llm.js';
import { miniTask, replyWith, runMini } from './support/run-helpers.js';

const servers: MockLlmServer[] = [];
async function mock(wire: 'anthropic' | 'openai'): Promise<MockLlmServer> {
  const server = await new MockLlmServer(wire).start();
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe('attempt loop through the real SDKs against mock servers', () => {
  it('Anthropic: a mutant on attempt 1 then the reference passes at attempt 2, with feedback sent and every cent counted', async () => {
    const task = miniTask();
    const server = (await mock('anthropic')).script(
      { text: replyWith(task, 'no-swap'), usage: { input: 1000, output: 500 } },
      {
        text: replyWith(task, 'reference'),
        usage: { input: 2000, output: 400, cacheRead: 1000, cacheWrite: 100 },
      },
    );
    const { results, exitCode, outDir } = await runMini(['anthropic/claude-sonnet-4-6'], {
      ANTHROPIC_API_KEY: 'sk-test',
      ANTHROPIC_BASE_URL: server.baseURL,
    });
    expect(exitCode).toBe(0);
    const [trial] = results.trials;
    expect(trial!.passed).toBe(true);
    expect(trial!.passedAtAttempt).toBe(2);
    expect(trial!.attempts.map((a) => a.outcome)).toEqual(['test', 'pass']);
    expect(trial!.attempts[0]!.failingTests).toEqual(['bounds_in_either_order']);

    // The second request continues the conversation with attempt 1's reply and the grader's feedback.
    expect(server.requests).toHaveLength(2);
    const second = server.requests[1]!.body.messages;
    expect(second.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(second[1]!.content).toBe(replyWith(task, 'no-swap'));
    expect(second[2]!.content).toContain('Result: FAILED (test)');
    expect(second[2]!.content).toContain('bounds_in_either_order');
    expect(second[2]!.content).toContain('bounds given high-first still clamp to the upper bound');
    expect(second[2]!.content).not.toContain('assert_eq!');
    expect(trial!.attempts[0]!.feedback).toBe(
      textOf(second[2]!.content).split('\n\n').slice(1, -1).join('\n\n'),
    );

    // Sonnet 4.6 list price: $3 in, $15 out, $3.75 cache write, $0.30 cache read per MTok.
    const attempt1 = (1000 * 3 + 500 * 15) / 1e6;
    const attempt2 = (2000 * 3 + 400 * 15 + 100 * 3.75 + 1000 * 0.3) / 1e6;
    expect(trial!.attempts[0]!.cost).toBeCloseTo(attempt1, 12);
    expect(trial!.attempts[1]!.cost).toBeCloseTo(attempt2, 12);
    expect(trial!.cost).toBeCloseTo(attempt1 + attempt2, 12);
    // The SDK authenticates with the key from the env var the registry named (header per SDK version).
    expect(
      String(server.requests[0]!.headers['x-api-key'] ?? server.requests[0]!.headers.authorization),
    ).toMatch(/sk-test$/);

    const onDisk = JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8'));
    expect(onDisk.status).toBe('complete');
    const transcripts = readFileSync(path.join(outDir, 'transcripts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(transcripts.map((t) => t.type)).toEqual(['request', 'reply', 'request', 'reply']);
    expect(readFileSync(path.join(outDir, 'report.md'), 'utf8')).toContain('| anthropic/claude-sonnet-4-6');
  });

  it('OpenAI: the same loop over Chat Completions, with max_completion_tokens and cached tokens priced apart', async () => {
    const task = miniTask();
    const server = (await mock('openai')).script(
      {
        text: replyWith(task, 'no-swap'),
        usage: { input: 800, output: 300, cacheRead: 200, reasoning: 100 },
      },
      { text: replyWith(task, 'reference'), usage: { input: 1500, output: 250 } },
    );
    const { results } = await runMini(['openai/gpt-5'], {
      OPENAI_API_KEY: 'sk-o',
      OPENAI_BASE_URL: server.baseURL,
    });
    const [trial] = results.trials;
    expect(trial!.passedAtAttempt).toBe(2);
    expect(server.requests[0]!.body.max_completion_tokens).toBeGreaterThan(0);
    expect(server.requests[0]!.body.messages[0]).toMatchObject({ role: 'system' });
    expect(trial!.attempts[0]!.usage).toEqual({
      inputTokens: 800,
      outputTokens: 300,
      cacheWriteTokens: 0,
      cacheReadTokens: 200,
      reasoningTokens: 100,
    });
    // gpt-5: $1.25 in, $10 out, $0.125 cached in.
    expect(trial!.cost).toBeCloseTo((800 * 1.25 + 300 * 10 + 200 * 0.125 + 1500 * 1.25 + 250 * 10) / 1e6, 12);
  });

  it('an OpenAI-compatible vendor is reached through its own base-URL variable and uses max_tokens', async () => {
    const task = miniTask();
    const server = (await mock('openai')).script({ text: replyWith(task, 'reference') });
    const { results } = await runMini(['deepseek/deepseek-chat'], {
      DEEPSEEK_API_KEY: 'sk-d',
      DEEPSEEK_BASE_URL: server.baseURL,
    });
    expect(results.trials[0]!.passed).toBe(true);
    expect(server.requests[0]!.body.max_tokens).toBeGreaterThan(0);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-d');
  });

  it('a 429 then a 200 costs no attempt: pass at attempt 1, the fault visible', async () => {
    const task = miniTask();
    const server = (await mock('anthropic')).script(
      { status: 429, headers: { 'retry-after': '0' } },
      { text: replyWith(task, 'reference') },
    );
    const { results } = await runMini(['anthropic/claude-sonnet-4-6'], {
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_BASE_URL: server.baseURL,
    });
    const [trial] = results.trials;
    expect(trial!.passedAtAttempt).toBe(1);
    expect(trial!.attempts).toHaveLength(1);
    expect(trial!.attempts[0]!.faults).toEqual([
      expect.objectContaining({ cause: 'rate-limit', retried: true }),
    ]);
    expect(server.requests).toHaveLength(2);
  });

  it('a model that never answers ends the trial as infra, not as a model failure', async () => {
    const server = (await mock('openai')).script({ hang: true }, { hang: true });
    const { results, exitCode } = await runMini(
      ['openai/gpt-5'],
      { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: server.baseURL },
      { requestTimeoutSec: 1, retries: 1 },
    );
    const [trial] = results.trials;
    expect(trial!.outcome).toBe('infra');
    expect(trial!.passed).toBe(false);
    expect(trial!.attempts.map((a) => [a.n, a.outcome])).toEqual([[1, 'infra']]);
    expect(trial!.attempts[0]!.faults.map((f) => f.cause)).toEqual(['timeout', 'timeout']);
    // Every trial ended in infra: the run says so instead of printing a 0% pass rate as a verdict.
    expect(exitCode).toBe(5);
  });

  it('a model id that does not exist fails fast with one clear line', async () => {
    const server = (await mock('anthropic')).script({ status: 404 });
    const outcome = await runMini(['anthropic/claude-nope'], {
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_BASE_URL: server.baseURL,
    });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.fatal).toMatch(/anthropic\/claude-nope: 404 not found — check the model id in --models/);
    expect(server.requests).toHaveLength(1);
  });

  it('an unset API key stops the run before anything is spent or written', async () => {
    await expect(runMini(['anthropic/claude-sonnet-4-6', 'deepseek/deepseek-chat'], {})).rejects.toThrow(
      /^missing API key: set ANTHROPIC_API_KEY, DEEPSEEK_API_KEY \(nothing was run or spent\)$/,
    );
  });
});

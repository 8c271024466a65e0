import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MockLlmServer, type Scripted } from './support/mock-llm.js';
import { miniTask, replyWith, runMini } from './support/run-helpers.js';

const servers: MockLlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function runAgainst(wire: 'anthropic' | 'openai', script: Scripted[], retries = 1) {
  const server = await new MockLlmServer(wire).start();
  servers.push(server);
  server.script(...script);
  const env =
    wire === 'anthropic'
      ? { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.baseURL }
      : { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: server.baseURL };
  const model = wire === 'anthropic' ? 'anthropic/claude-sonnet-4-6' : 'openai/gpt-5';
  const outcome = await runMini([model], env, { retries, requestTimeoutSec: 2 });
  return { ...outcome, server, trial: outcome.results.trials[0]! };
}

/**
 * Every API fault, through the real SDKs against a server speaking the real wire format: none is ever
 * a model failure; each is visible in results as `infra` with its cause; retried faults cost no attempt.
 */
describe('faulty APIs', () => {
  const reference = () => ({ text: replyWith(miniTask(), 'reference') });

  it.each([
    ['429 with retry-after', { status: 429, headers: { 'retry-after': '0' } }, 'rate-limit'],
    ['429 without retry-after (backoff)', { status: 429 }, 'rate-limit'],
    ['500', { status: 500 }, 'server-error'],
    ['529 overloaded', { status: 529 }, 'overloaded'],
    ['a connection reset', { reset: true }, 'connection'],
    ['malformed JSON', { raw: '{"id": "msg_1", "content": [' }, 'malformed-response'],
    ['an empty reply', { text: '' }, 'empty-reply'],
  ] as [string, Scripted, string][])(
    '%s, then a good reply: passes at attempt 1, the fault recorded',
    async (_name, fault, cause) => {
      for (const wire of ['anthropic', 'openai'] as const) {
        const { trial, server } = await runAgainst(wire, [fault, reference()]);
        expect(trial.outcome, wire).toBe('pass');
        expect(trial.passedAtAttempt).toBe(1);
        expect(trial.attempts[0]!.faults.map((f) => [f.cause, f.retried])).toEqual([[cause, true]]);
        expect(server.requests).toHaveLength(2);
      }
    },
  );

  it('a fault that outlasts the retries ends the trial as infra with its cause, and the run says infra dominates', async () => {
    const { trial, exitCode, outDir } = await runAgainst('anthropic', [{ status: 529 }, { status: 529 }]);
    expect(trial.outcome).toBe('infra');
    expect(trial.passed).toBe(false);
    expect(trial.attempts).toHaveLength(1);
    expect(trial.attempts[0]!.faults.map((f) => f.cause)).toEqual(['overloaded', 'overloaded']);
    expect(exitCode).toBe(5);
    const report = readFileSync(path.join(outDir, 'report.md'), 'utf8');
    expect(report).toMatch(/API or harness faults ended 1 of 1 trials/);
    expect(report).toContain('0/0 passed');
  });

  it('a reply cut by the token limit is infra (not a model failure), and its billed tokens are still counted', async () => {
    for (const wire of ['anthropic', 'openai'] as const) {
      const { trial } = await runAgainst(wire, [
        { text: '```rust src/lib.rs\npub fn clamp(', stop: 'length', usage: { input: 1000, output: 16000 } },
      ]);
      expect(trial.outcome, wire).toBe('infra');
      expect(trial.attempts[0]!.faults[0]!.cause).toBe('truncated');
      expect(trial.attempts[0]!.faults[0]!.message).toMatch(/raise max-tokens/);
      expect(trial.attempts[0]!.usage.outputTokens).toBe(16000);
      expect(trial.cost).toBeGreaterThan(0);
    }
  });

  it('an empty reply that is billed counts its tokens even when the retry succeeds', async () => {
    const { trial } = await runAgainst('openai', [
      { text: '', usage: { input: 500, output: 0 } },
      { ...reference(), usage: { input: 1000, output: 100 } },
    ]);
    expect(trial.outcome).toBe('pass');
    expect(trial.attempts[0]!.usage.inputTokens).toBe(1500);
  });
});

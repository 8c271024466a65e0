import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RESPONSES_USAGE, startResponsesMock } from './support/mock-responses-llm.js';
import { startToolMock } from './support/mock-tool-llm.js';
import { miniTask, runMini } from './support/run-helpers.js';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin');

/**
 * One attempt of a real CLI preset on the mini task, its vendor's key and base URL set as a user would
 * (the harness forwards to them); the project's own CLIs first on PATH. Prints the metered figures with
 * AIBENCH_PRINT_COST=1.
 */
async function runRealCli(model: string, env: Record<string, string>, calls: unknown[]) {
  const { results } = await runMini([model], { ...env, PATH: `${BIN}:${process.env.PATH}` }, { attempts: 1 });
  const [trial] = results.trials;
  if (process.env.AIBENCH_PRINT_COST)
    console.log(
      `${model} metered: ${calls.length} calls, ${JSON.stringify(trial!.usage)}, $${trial!.cost}; ${results.models[0]!.agent?.isolation}`,
    );
  return { trial: trial!, results };
}

describe('the real claude CLI as an agent, through the metering proxy, against a local mock', () => {
  it('writes the reference with its own Write tool: graded pass, cost = metered usage × price', async () => {
    const task = miniTask();
    const mock = await startToolMock(task.reference);
    try {
      const { trial } = await runRealCli(
        'agent:claude-code/claude-sonnet-4-6',
        { ANTHROPIC_API_KEY: 'sk-real-cli', ANTHROPIC_BASE_URL: mock.url },
        mock.calls,
      );
      expect(trial!.outcome).toBe('pass');
      expect(trial!.attempts[0]!.files).toEqual(['src/lib.rs']);
      // The CLI streamed, offered its tools, read, wrote with Write, then ended its turn.
      const modelCalls = mock.calls.filter((c) => c.tools.includes('Write'));
      expect(modelCalls.map((c) => [c.stream, c.toolResult])).toEqual([
        [true, false],
        [true, true],
        [true, true],
      ]);
      expect(new Set(mock.calls.map((c) => c.key))).toEqual(new Set(['sk-real-cli']));
      // Every metered call: 1,000 in and 200 out at Sonnet 4.6's $3 / $15 per MTok.
      const n = mock.calls.length;
      expect(trial!.usage).toMatchObject({ inputTokens: 1000 * n, outputTokens: 200 * n });
      expect(trial!.cost).toBeCloseTo((n * (1000 * 3 + 200 * 15)) / 1e6, 12);
    } finally {
      await mock.stop();
    }
  }, 180_000);
});

describe('the real codex CLI as an agent, through the metering proxy, against a local Responses mock', () => {
  it('writes the reference with its own apply_patch: graded pass, cost = metered usage × price', async () => {
    const task = miniTask();
    const mock = await startResponsesMock(task.reference);
    try {
      const { trial, results } = await runRealCli(
        'agent:codex/gpt-5',
        { OPENAI_API_KEY: 'sk-real-codex', OPENAI_BASE_URL: `${mock.url}/v1` },
        mock.calls,
      );
      expect(trial!.outcome).toBe('pass');
      expect(trial!.attempts[0]!.files).toEqual(['src/lib.rs']);
      // Codex streamed, offered its shell tool, ran apply_patch itself and sent back its own success output.
      expect(mock.calls.map((c) => [c.stream, c.model, c.tools.includes('exec_command')])).toEqual([
        [true, 'gpt-5', true],
        [true, 'gpt-5', true],
      ]);
      expect(mock.calls[1]!.toolOutputs.join('\n')).toMatch(
        /Success\. Updated the following files:\s+A src\/lib\.rs/,
      );
      expect(new Set(mock.calls.map((c) => c.key))).toEqual(new Set(['sk-real-codex']));
      // Each call: 600 fresh + 400 cached input, 200 output (50 of them reasoning), at gpt-5's
      // $1.25 / $0.125 cached / $10 per MTok.
      const n = mock.calls.length;
      const cached = RESPONSES_USAGE.input_tokens_details.cached_tokens;
      expect(trial!.usage).toEqual({
        inputTokens: (RESPONSES_USAGE.input_tokens - cached) * n,
        outputTokens: RESPONSES_USAGE.output_tokens * n,
        cacheWriteTokens: 0,
        cacheReadTokens: cached * n,
        reasoningTokens: RESPONSES_USAGE.output_tokens_details.reasoning_tokens * n,
      });
      expect(trial!.cost).toBeCloseTo((n * (600 * 1.25 + 400 * 0.125 + 200 * 10)) / 1e6, 12);
      expect(results.models[0]!.agent?.isolation).toMatch(/^(namespaces|process)/);
    } finally {
      await mock.stop();
    }
  }, 180_000);
});

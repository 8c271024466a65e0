import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startToolMock } from './support/mock-tool-llm.js';
import { miniTask, runMini } from './support/run-helpers.js';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin');

describe('the real claude CLI as an agent, through the metering proxy, against a local mock', () => {
  it('writes the reference with its own Write tool: graded pass, cost = metered usage × price', async () => {
    const task = miniTask();
    const mock = await startToolMock(task.reference);
    try {
      const { results } = await runMini(
        ['agent:claude-code/claude-sonnet-4-6'],
        {
          ANTHROPIC_API_KEY: 'sk-real-cli',
          ANTHROPIC_BASE_URL: mock.url,
          PATH: `${BIN}:${process.env.PATH}`,
        },
        { attempts: 1 },
      );
      const [trial] = results.trials;
      if (process.env.AIBENCH_PRINT_COST)
        console.log(`metered: ${mock.calls.length} calls, ${JSON.stringify(trial!.usage)}, $${trial!.cost}`);
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

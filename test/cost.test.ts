import { describe, expect, it } from 'vitest';
import { costOf, lookupPrice, priceTable, sumCosts } from '../src/models/prices.js';
import { openaiUsage } from '../src/models/openai-compatible.js';

describe('cost', () => {
  const price = { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 };

  it('prices every billed token class at its own rate', () => {
    const usage = {
      inputTokens: 1000,
      outputTokens: 2000,
      cacheWriteTokens: 4000,
      cacheReadTokens: 10_000,
      reasoningTokens: 500,
    };
    // 1000×3 + 2000×15 + 4000×3.75 + 10000×0.3 = 3000 + 30000 + 15000 + 3000 = 51000 µ$ → $0.051
    expect(costOf(usage, price)).toBeCloseTo(0.051, 10);
  });

  it('is null, never 0, for an unknown price, and a null makes a sum unknown', () => {
    const table = priceTable();
    expect(lookupPrice(table, 'acme', 'mystery-1')).toBeNull();
    expect(
      costOf(
        { inputTokens: 5, outputTokens: 5, cacheWriteTokens: 0, cacheReadTokens: 0, reasoningTokens: 0 },
        null,
      ),
    ).toBeNull();
    expect(sumCosts([0.1, null, 0.2])).toBeNull();
    expect(sumCosts([0.1, 0.2])).toBeCloseTo(0.3, 12);
  });

  it('lets the config override and extend the shipped table, recording both dates', () => {
    const table = priceTable({
      asOf: '2026-11-20',
      models: { 'acme/m1': { input: 1, output: 2, cacheWrite: 0, cacheRead: 0 } },
    });
    expect(lookupPrice(table, 'acme', 'm1')).toEqual({ input: 1, output: 2, cacheWrite: 0, cacheRead: 0 });
    expect(table.asOf).toContain('2026-11-20');
    expect(lookupPrice(table, 'anthropic', 'claude-sonnet-4-6')).not.toBeNull();
  });

  it('splits OpenAI-style cached prompt tokens out of the input and keeps reasoning inside output', () => {
    const u = openaiUsage({
      prompt_tokens: 1200,
      completion_tokens: 800,
      total_tokens: 2000,
      prompt_tokens_details: { cached_tokens: 200 },
      completion_tokens_details: { reasoning_tokens: 300 },
    });
    expect(u).toEqual({
      inputTokens: 1000,
      outputTokens: 800,
      cacheWriteTokens: 0,
      cacheReadTokens: 200,
      reasoningTokens: 300,
    });
    const deepseek = openaiUsage({
      prompt_tokens: 1000,
      completion_tokens: 10,
      total_tokens: 1010,
      prompt_cache_hit_tokens: 600,
    } as never);
    expect(deepseek?.cacheReadTokens).toBe(600);
    expect(deepseek?.inputTokens).toBe(400);
  });
});

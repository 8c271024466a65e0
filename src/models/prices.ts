import { z } from 'zod';
import builtinPrices from './prices.json' with { type: 'json' };
import type { Usage } from './types.js';

export const priceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheWrite: z.number().nonnegative().default(0),
  cacheRead: z.number().nonnegative().default(0),
});
export type Price = z.infer<typeof priceSchema>;

export interface PriceTable {
  asOf: string;
  models: Record<string, Price>;
}

/** The shipped table, overlaid with the config's prices (config wins, its as-of date recorded too). */
export function priceTable(overrides?: { asOf?: string; models: Record<string, Price> }): PriceTable {
  const base = builtinPrices as { asOf: string; models: Record<string, Price> };
  if (!overrides || !Object.keys(overrides.models).length)
    return { asOf: base.asOf, models: { ...base.models } };
  return {
    asOf: overrides.asOf ? `${base.asOf} (overrides: ${overrides.asOf})` : base.asOf,
    models: { ...base.models, ...overrides.models },
  };
}

/** The price for `provider/model`; null when the table does not know it. */
export function lookupPrice(table: PriceTable, provider: string, model: string): Price | null {
  if (provider === 'reference' || provider === 'replay')
    return { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
  return table.models[`${provider}/${model}`] ?? null;
}

/**
 * USD for one call: every billed token class × its list price. Null (never 0) when the price is unknown,
 * so an unpriced model can never look free.
 */
export function costOf(usage: Usage, price: Price | null): number | null {
  if (!price) return null;
  const micro =
    usage.inputTokens * price.input +
    usage.outputTokens * price.output +
    usage.cacheWriteTokens * price.cacheWrite +
    usage.cacheReadTokens * price.cacheRead;
  return micro / 1_000_000;
}

/** Sums costs; any null makes the sum null (an unknown part makes the total unknown). */
export function sumCosts(costs: (number | null)[]): number | null {
  let total = 0;
  for (const c of costs) {
    if (c === null) return null;
    total += c;
  }
  return total;
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}

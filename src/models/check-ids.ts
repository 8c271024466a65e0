import { UsageError, didYouMean } from '../errors.js';
import { lookupPrice, type PriceTable } from './prices.js';
import type { Provider } from './types.js';

/**
 * Catches a mistyped model id before money is spent: a model missing from the price table is looked up
 * in its provider's models list (a free request); one the provider does not know fails with one line
 * and a suggestion from the provider's list and the price table. Providers without a list endpoint (or
 * unreachable) only get a warning.
 */
export async function checkModelIds(
  // Agents have no models list of their own: what they call is priced as their declared model.
  providers: Pick<Provider, 'spec' | 'listModels'>[],
  table: PriceTable,
  log: (line: string) => void,
): Promise<void> {
  for (const p of providers) {
    const { provider, model, raw } = p.spec;
    if (!p.listModels || lookupPrice(table, provider, model)) continue;
    const known = await p.listModels();
    if (!known) {
      log(
        `warning: could not ask ${provider} whether it knows "${model}" (no models list); a wrong id fails on the first request`,
      );
      continue;
    }
    if (known.includes(model)) continue;
    const priced = Object.keys(table.models)
      .filter((k) => k.startsWith(`${provider}/`))
      .map((k) => k.slice(provider.length + 1));
    const hint = didYouMean(model, [...priced, ...known]).replace(/"([^"]+)"/, `"${provider}/$1"`);
    throw new UsageError(
      `--models: ${provider} does not know the model "${model}" (in "${raw}")${hint}; nothing was spent`,
    );
  }
}

/** The ids a provider's models endpoint lists (at most 2,000), or null when it has none or refuses. */
export async function collectModelIds(list: () => AsyncIterable<{ id: string }>): Promise<string[] | null> {
  try {
    const ids: string[] = [];
    for await (const m of list()) {
      ids.push(m.id);
      if (ids.length >= 2000) break;
    }
    return ids;
  } catch {
    return null;
  }
}

import type { PromptChange } from '../results/baseline.js';

const short = (hash: string): string => hash.slice(0, 6);

/**
 * The line a prompt PR's comparison starts with: which rows' prompts changed (a1b2c3 → d4e5f6), so the
 * flips and deltas below read as the effect of that change. Empty when no prompt changed.
 */
export function promptChangeLine(changes: PromptChange[]): string {
  if (!changes.length) return '';
  const pairs = new Map<string, string[]>();
  for (const c of changes) {
    const key = `${short(c.base)} → ${short(c.head)}`;
    pairs.set(key, [...(pairs.get(key) ?? []), c.model]);
  }
  if (pairs.size === 1) {
    const [[key, models]] = [...pairs] as [[string, string[]]];
    return `**📝 System prompt changed (${key})** for ${models.map((m) => `\`${m}\``).join(', ')}: the flips and deltas below are the change under test.`;
  }
  const lines = [...pairs].map(([key, models]) => `> - ${models.map((m) => `\`${m}\``).join(', ')}: ${key}`);
  return ['**📝 System prompts changed** (the change under test):', '>', ...lines].join('\n');
}

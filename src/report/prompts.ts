import { markdownTable } from 'markdown-table';
import type { Results } from '../results/schema.js';
import { cell } from './format.js';

type ModelRow = Results['models'][number];

function settingsText(s: ModelRow['settings']): string {
  if (!s) return '—';
  return [
    s.temperature !== undefined ? `temperature ${s.temperature}` : null,
    s.thinking !== undefined ? `thinking ${s.thinking}` : null,
    s.reasoningEffort !== undefined ? `effort ${s.reasoningEffort}` : null,
    `max ${s.maxTokens} tokens`,
    s.cache ? 'cache on' : 'cache off',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Agent rows: the model their metered calls are priced as and the isolation they ran under. */
export function agentsTable(results: Results): string {
  const agents = results.models.filter((m) => m.agent);
  if (!agents.length) return '';
  const rows = agents.map((m) => [cell(m.name), cell(m.agent!.pricedAs), cell(m.agent!.isolation)]);
  return markdownTable([['Agent', 'Priced as (metered by the harness)', 'Isolation'], ...rows], {
    align: ['l', 'l', 'l'],
  });
}

/** True when a row ran with something other than the built-in prompt and default settings. */
function customised(m: ModelRow): boolean {
  const s = m.settings;
  return Boolean(
    (m.prompt && (m.prompt.system !== 'built-in' || m.prompt.task || m.prompt.retry)) ||
    (s && (s.temperature !== undefined || s.thinking !== undefined || s.reasoningEffort || !s.cache)),
  );
}

/**
 * Which prompt and settings each row ran with (Model | Prompt | System prompt | Templates | Settings);
 * empty when every row used the built-in prompt with default settings.
 */
export function promptsTable(results: Results): string {
  const chat = results.models.filter((m) => !m.agent);
  if (!chat.some(customised)) return '';
  const rows = chat.map((m) => [
    cell(m.name),
    m.prompt ? `\`${m.prompt.hash.slice(0, 6)}\`` : '—',
    m.prompt
      ? cell(
          `${m.prompt.system}${m.prompt.system !== 'built-in' && m.prompt.contract === 'none' ? ' (no output contract)' : ''}`,
        )
      : '—',
    m.prompt ? cell([m.prompt.task, m.prompt.retry].filter(Boolean).join(', ') || '—') : '—',
    settingsText(m.settings),
  ]);
  return markdownTable([['Model', 'Prompt', 'System prompt', 'Templates', 'Settings'], ...rows], {
    align: ['l', 'l', 'l', 'l', 'l'],
  });
}

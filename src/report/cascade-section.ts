import { markdownTable } from 'markdown-table';
import { cascade, defaultCascade, type CascadeResult, type PolicyResult } from '../results/cascade.js';
import type { Results } from '../results/schema.js';
import { cell, rateCi, usd, usdCi } from './format.js';

/** A count that is whole with one trial per task and an expectation otherwise. */
function count(n: number): string {
  return Math.abs(n - Math.round(n)) < 1e-9 ? String(Math.round(n)) : n.toFixed(2);
}

function row(name: string, p: PolicyResult, tasks: number): string[] {
  return [
    name,
    `${count(p.expectedPasses)}/${tasks}`,
    rateCi(p.passRateCi),
    p.costCi ? usdCi(p.costCi) : usd(p.expectedCost),
    p.expectedPasses <= 0 ? '—' : p.costPerPassCi ? usdCi(p.costPerPassCi) : usd(p.costPerPass),
  ];
}

/** The cascade against each of its models alone, as a markdown table and one sentence. */
export function cascadeTable(c: CascadeResult): string {
  const n = c.tasks.length;
  const chain = c.cascade.chain;
  const table = markdownTable(
    [
      [
        'Policy',
        c.trials > 1 ? 'Expected passes' : 'Passes',
        'Pass rate [95% CI]',
        `${c.trials > 1 ? 'Expected cost' : 'Cost'} [95% CI]`,
        'Cost / pass [95% CI]',
      ],
      ...c.alone.map((p) => row(`${cell(p.chain[0]!)} alone`, p, n)),
      row(chain.map(cell).join(' → '), c.cascade, n),
    ],
    { align: ['l', 'r', 'r', 'r', 'r'] },
  );
  const hops = c.cascade.escalations
    .map((e, i) => `${count(e)} of ${n} task(s) to ${cell(chain[i + 1]!)}`)
    .join(', then ');
  const notes = [
    `${cell(chain[0]!)} → ${chain.slice(1).map(cell).join(' → ')}: ${count(c.cascade.expectedPasses)}/${n} passed at ${usd(c.cascade.expectedCost)}, escalating ${hops}.`,
    c.trials > 1
      ? `With ${c.trials} trials per task, each model's per-task pass rate and its cost per verdict (every trial paid for, API-fault-ended ones included) give expected values (models assumed to fail independently).`
      : '',
    'Intervals take tasks as the unit: task-clustered Wilson for the pass rate, a seeded cluster bootstrap over tasks for the costs.',
    c.excluded.length
      ? `Left out (no graded trial for some model of the chain): ${c.excluded.join(', ')}.`
      : '',
  ].filter(Boolean);
  return `${table}\n\n${notes.join(' ')}`;
}

/**
 * The report's cascade section: the cheapest model first, its failures escalated to the best-passing
 * one, from this run's per-task results. Empty for a single-model run; a one-line reason otherwise
 * when there is no pair to compare.
 */
export function cascadeSection(results: Results): string {
  if (results.models.length < 2) return '';
  const pick = defaultCascade(results);
  const head = [
    '## Cascade: cheapest model first, failures escalated',
    '',
    'Every task goes to the first model; only the tasks it fails go to the next. Cost counts everything paid, the first model’s failed attempts on escalated tasks included. Any other chain: `aibench cascade results.json --first <model> --then <model>[,<model>…]`.',
    '',
  ];
  if ('reason' in pick) return [...head, `No cascade to show: ${pick.reason}.`].join('\n');
  return [...head, cascadeTable(cascade(results, pick.chain))].join('\n');
}

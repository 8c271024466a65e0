import { runTotals, summarizeModels } from '../results/aggregate.js';
import type { Results } from '../results/schema.js';
import { percent, usd } from './format.js';
import {
  costPerPassTable,
  failureClassTable,
  retryImpactTable,
  statisticsSection,
  summaryTable,
} from './markdown.js';
import { compareModelsInRun, modelStatistics } from '../results/stats/model-stats.js';
import {
  alertsSection,
  comparisonSection,
  fitBlocks,
  gateSection,
  failureReasons,
  isolationAlert,
  modelDetail,
  type Block,
  type PublishView,
} from './summary.js';
import { commentCharts } from './visual-blocks.js';

/** GitHub rejects an issue comment body over 65,536 characters. */
export const COMMENT_LIMIT_CHARS = 65_536;

/**
 * The hidden marker that identifies the sticky comment of one workflow + job, so re-runs update it in
 * place. HTML comments end at `--`, so the id is reduced to characters that cannot close it early.
 */
export function commentMarker(id: string): string {
  return `<!-- aibench-action:sticky ${id.replace(/[^\w./ :@()[\]-]/g, '_').replace(/-{2,}/g, '-')} -->`;
}

function title(results: Results, view: PublishView): string {
  const t = runTotals(results);
  const verdict = view.gate?.checks.length
    ? view.gate.failed
      ? '❌ gate failed'
      : '✅ gate passed'
    : t.passes === t.graded && t.graded
      ? '✅'
      : '⚠️';
  // The title carries the statistical verdict, not the raw flip count: flips happen without any change.
  const cmp = view.comparison;
  const regressed = cmp?.statistics.models.filter((m) => m.paired?.verdict === 'regressed') ?? [];
  const reg = !cmp
    ? ''
    : regressed.length
      ? ` · 🔻 regressed: ${regressed.map((m) => m.model).join(', ')}`
      : cmp.statistics.verdict === 'improved'
        ? ' · 🔺 improved'
        : ` · ➖ no detectable change${cmp.regressions.length ? ` (${cmp.regressions.length} task flip(s))` : ''}`;
  const perPass = t.passes && t.costPerPass !== null ? ` (${usd(t.costPerPass)} per pass)` : '';
  const infra = t.infra ? ` · ${t.infra} ended by API faults (not counted)` : '';
  return `### AIBench · ${verdict} · ${t.passes}/${t.graded} passed (${percent(t.passRate)}) · ${usd(t.cost)}${perPass}${reg}${infra}`;
}

function footer(results: Results, view: PublishView, sha: string | null): string {
  const links = [
    view.links.run ? `[full report in the job summary](${view.links.run})` : 'full report in the job summary',
    view.links.artifact ? `[results artifact](${view.links.artifact})` : null,
  ].filter(Boolean);
  const at = sha ? ` · commit \`${sha.slice(0, 7)}\`` : '';
  return `<sub>${links.join(' · ')}${at} · aibench ${results.harness.version} · updated ${(results.finishedAt ?? results.startedAt).slice(0, 16).replace('T', ' ')} UTC</sub>`;
}

/**
 * The sticky PR comment: marker, verdict, baseline flips, Table III, then collapsible Tables VIII/IX and
 * per-model detail. Trimmed to GitHub's limit (detail first) with a link to the job summary and artifact.
 */
export function renderComment(
  results: Results,
  view: PublishView,
  opts: { marker: string; sha?: string | null; limit?: number },
): string {
  const models = summarizeModels(results);
  const stats = modelStatistics(results);
  const limit = opts.limit ?? COMMENT_LIMIT_CHARS;
  const alerts = alertsSection(results, view.notes).split('\n');
  const anyFailed = results.trials.some((t) => t.attempts.some((a) => a.outcome !== 'pass'));
  const blocks: Block[] = [
    {
      text: [`${opts.marker}\n${title(results, view)}`, isolationAlert(results)].filter(Boolean).join('\n\n'),
    },
    { text: gateSection(view.gate) },
    {
      text:
        alerts.length > 12
          ? [...alerts.slice(0, 11), `> - … ${alerts.length - 11} more in the job summary`].join('\n')
          : alerts.join('\n'),
    },
    {
      text: view.comparison
        ? `#### Compared with the baseline\n\n${comparisonSection(view.comparison, { trials: results.config.trials, maxFlips: 30, repoUrl: view.links.repo })}`
        : view.baselineNote
          ? `_${view.baselineNote}_`
          : '',
    },
    { text: failureReasons(results, view.links.artifact, 15) },
    { text: `#### Summary (Table III)\n\n${summaryTable(models)}` },
    { text: `#### Statistics\n\n${statisticsSection(stats, compareModelsInRun(results))}` },
    { text: commentCharts(results), optional: true },
    {
      text: [
        `<details><summary>Cost per passed task (Table VIII) · retry impact (Table IX)${anyFailed ? ' · failure classes' : ''}</summary>`,
        '',
        costPerPassTable(models),
        '',
        retryImpactTable(models, results.config.attempts, stats),
        '',
        ...(anyFailed ? [failureClassTable(results), ''] : []),
        '</details>',
      ].join('\n'),
      optional: true,
    },
    ...models.map((m) => ({ text: modelDetail(results, m), optional: true })),
    { text: footer(results, view, opts.sha ?? null) },
  ];
  const where = view.links.run ? `the [job summary](${view.links.run})` : 'the job summary';
  const artifact = view.links.artifact ? ` and the [results artifact](${view.links.artifact})` : '';
  const fitted = fitBlocks(
    blocks,
    limit,
    (s) => s.length,
    (n) =>
      `> ✂️ **Trimmed to fit GitHub's 65,536-character comment limit:** ${n} section(s) left out. Full results: ${where}${artifact}.`,
  );
  return fitted.text;
}

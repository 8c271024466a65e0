import { markdownTable } from 'markdown-table';
import type { Comparison } from '../results/baseline.js';
import { runTotals, summarizeModels, type ModelSummary } from '../results/aggregate.js';
import type { Results } from '../results/schema.js';
import { cell, percent, seconds, usd } from './format.js';
import {
  costPerPassTable,
  detailTable,
  failureClassTable,
  retryImpactTable,
  statisticsSection,
  summaryTable,
} from './markdown.js';
import { artifactFilesLine, visualBlocks } from './visual-blocks.js';
import { compareModelsInRun, modelStatistics, runPassRate } from '../results/stats/model-stats.js';
import { headlineInterval } from './stats-tables.js';
import { comparisonSection } from './comparison.js';

/** Re-exported: the comparison body lives in comparison.ts. */
export { comparisonSection };

/** GitHub refuses a step summary over 1 MiB (bytes, UTF-8). */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** The gate's verdict as the bodies show it (computed before publishing so a failing gate is still reported). */
export interface GateView {
  failed: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
}

/** Everything besides the results that the summary and the comment show. */
export interface PublishView {
  gate: GateView | null;
  comparison: Comparison | null;
  /** Why there is no comparison (no baseline yet, baseline: none …); shown instead of it. */
  baselineNote: string | null;
  /** Action-level notes: models skipped for want of a key, caches unavailable, … */
  notes: string[];
  links: { run: string | null; artifact: string | null; repo: string | null };
}

/** A piece of a body; optional pieces are dropped (last first) when the body would exceed its limit. */
export interface Block {
  text: string;
  optional?: boolean;
}

export const byteSize = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Largest prefix of `text` within `max` (by `size`), cut at a line end so no table row is split. */
function cutToSize(text: string, max: number, size: (s: string) => number): string {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (size(text.slice(0, mid)) <= max) lo = mid;
    else hi = mid - 1;
  }
  const cut = text.slice(0, lo);
  const nl = cut.lastIndexOf('\n');
  return nl > 0 ? cut.slice(0, nl) : cut;
}

/**
 * Joins blocks within `limit`: optional blocks that do not fit are left out (later ones first, so the
 * headline and tables survive), and if the required ones alone are too long they are cut at a line end
 * with any open <details> closed. `note(omitted)` is appended whenever anything was left out.
 */
export function fitBlocks(
  blocks: Block[],
  limit: number,
  size: (s: string) => number,
  note: (omitted: number) => string,
): { text: string; trimmed: boolean } {
  const join = (bs: Block[]) =>
    bs
      .map((b) => b.text.trim())
      .filter(Boolean)
      .join('\n\n') + '\n';
  const all = join(blocks);
  if (size(all) <= limit) return { text: all, trimmed: false };
  // The note joins with "\n\n" and ends with "\n"; the widest count gives the widest note.
  const reserve = size(note(blocks.length)) + 3;
  const kept = blocks.filter((b) => !b.optional);
  let omitted = blocks.length - kept.length;
  // Add optional blocks back in order while they fit.
  for (const b of blocks) {
    if (!b.optional) continue;
    const trial = blocks.filter((x) => kept.includes(x) || x === b);
    if (size(join(trial).trimEnd()) + reserve <= limit) {
      kept.splice(0, kept.length, ...trial);
      omitted--;
    }
  }
  let text = join(kept).trimEnd();
  if (size(text) + reserve > limit) {
    omitted = Math.max(omitted, 1);
    for (let slack = 0; ; slack += 64) {
      const cut = cutToSize(text, Math.max(0, limit - reserve - slack), size);
      const open = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
      const closed = cut + '\n\n</details>'.repeat(Math.max(0, open));
      if (size(closed) + reserve <= limit || slack > limit) {
        text = closed;
        break;
      }
    }
  }
  return { text: `${text.trimEnd()}\n\n${note(omitted)}\n`, trimmed: true };
}

/** The one-line result of a run: passes, pass rate, total cost, cost per pass. */
export function headline(results: Results): string {
  const t = runTotals(results);
  const infra = t.infra ? ` · ${t.infra} ended by API faults (not counted)` : '';
  return `**${t.passes}/${t.graded} passed** (${percent(t.passRate)}${headlineInterval(runPassRate(results))}) · total cost **${usd(t.cost)}** · cost per pass ${t.passes ? usd(t.costPerPass) : '—'}${infra}`;
}

/** The gate's verdict: one bold line plus a bullet per failed check. */
export function gateSection(gate: GateView | null): string {
  if (!gate || !gate.checks.length) return '';
  if (!gate.failed) return `✅ **Gate passed:** ${gate.checks.map((c) => c.detail).join('; ')}`;
  return [
    '❌ **Gate failed**',
    '',
    ...gate.checks.filter((c) => !c.ok).map((c) => `- \`${c.name}\`: ${c.detail}`),
  ].join('\n');
}

/** One collapsible per-task table per model (the paper's Tables IV–VII). */
export function modelDetail(results: Results, m: ModelSummary): string {
  return [
    `<details><summary><b>${cell(m.model)}</b> — ${m.passes}/${m.graded} passed · ${usd(m.cost)} · model ${seconds(m.modelMs)}, grading ${seconds(m.gradeMs)}</summary>`,
    '',
    detailTable(results, m.model),
    '',
    '</details>',
  ].join('\n');
}

/** API and harness faults seen (retried or final): what the infra column counts. */
export function faultsSection(results: Results, max: number): string {
  const faults = results.trials.flatMap((t) => t.attempts.flatMap((a) => a.faults.map((f) => ({ t, a, f }))));
  if (!faults.length) return 'No API or harness faults.';
  const rows = faults
    .slice(0, max)
    .map(({ t, a, f }) => [
      cell(t.model),
      t.task,
      String(a.n),
      f.cause,
      f.retried ? 'yes' : 'no',
      cell(f.message.slice(0, 200)),
    ]);
  const table = markdownTable([['Model', 'Task', 'Attempt', 'Cause', 'Retried', 'Message'], ...rows]);
  return faults.length > max ? `${table}\n\n… and ${faults.length - max} more in results.json.` : table;
}

/**
 * Why each failed task failed, one bounded line each (class, first failing test and its assertion
 * message, or first compiler error), pointing at the attempt in the results artifact.
 */
export function failureReasons(results: Results, artifact: string | null, max: number): string {
  const failed = results.trials.filter((t) => !t.passed && t.outcome !== 'infra' && t.stoppedBy === null);
  if (!failed.length) return '';
  const where = artifact ? `[results artifact](${artifact})` : 'results artifact';
  const lines = failed.slice(0, max).map((t) => {
    const last = [...t.attempts].reverse().find((a) => a.outcome !== 'infra');
    const why = last?.reason ?? t.outcome;
    const trial = results.config.trials > 1 ? ` #${t.trial}` : '';
    return `- ❌ ${cell(t.model)} · \`${t.task}${trial}\` — ${cell(why)} _(attempt ${last?.n ?? '?'} in the ${where})_`;
  });
  if (failed.length > max) lines.push(`- … and ${failed.length - max} more in the ${where}`);
  return [`#### Why tasks failed`, '', ...lines].join('\n');
}

/**
 * One line, right under the verdict, when model-written code ran without namespace isolation: a reader
 * must see that before trusting anything else (empty at the `namespaces` level).
 */
export function isolationAlert(results: Results): string {
  const s = results.sandbox;
  if (s.level === 'namespaces') return '';
  return `> ⚠️ **Isolation: ${s.level}** — model-written code ran without namespace isolation${s.missing.length ? ` (missing: ${s.missing.join('; ')})` : ''}. Use \`sandbox: required\` to refuse that, or install bubblewrap.`;
}

/** Isolation level, fingerprints, toolchains, settings and warnings: what makes a run reproducible. */
export function runSection(results: Results): string {
  const s = results.sandbox;
  return [
    s.missing.length
      ? `- **isolation:** ${s.level} (${s.features.join(', ')}); not available on this host: ${s.missing.join(', ')}`
      : `- **isolation:** ${s.level}`,
    `- **fingerprints:** harness ${results.harness.version}${results.harness.commit ? ` (${results.harness.commit.slice(0, 12)})` : ''} · tasks \`${results.fingerprints.tasks}\` · prompt \`${results.fingerprints.prompt}\` · prices \`${results.fingerprints.prices}\` (as of ${results.prices.asOf})`,
    `- **settings:** attempts ${results.config.attempts}, trials ${results.config.trials}, concurrency ${results.config.concurrency}${results.config.maxCost !== null ? `, max cost ${usd(results.config.maxCost)}` : ''}`,
    `- **toolchains:** ${
      Object.entries(results.toolchains)
        .map(([k, v]) => `${k} ${v}`)
        .join('; ') || 'none'
    }`,
    `- **run:** ${results.runId} · ${results.startedAt} → ${results.finishedAt ?? 'unfinished'} · status ${results.status}`,
  ].join('\n');
}

/** Warnings from the run and the action (status, infra domination, skipped models) as GitHub alerts. */
export function alertsSection(results: Results, notes: string[]): string {
  const t = runTotals(results);
  const lines: string[] = [];
  if (results.status !== 'complete')
    lines.push(`Run status: **${results.status}**. The figures cover only what was finished.`);
  if (t.infraDominated)
    lines.push(
      `API or harness faults ended ${t.infra} of ${t.trials} trials: the pass rate describes the infrastructure as much as the models.`,
    );
  // A normal merge of shards is how the reusable workflow works, not something to warn about.
  lines.push(...notes, ...results.warnings.filter((w) => !/^merged from \d+ shard\(s\)$/.test(w)));
  return lines.length ? ['> [!WARNING]', ...lines.map((l) => `> - ${l}`)].join('\n') : '';
}

/** The job summary: every table of the report, collapsible detail, comparison, gate; within 1 MiB. */
export function renderSummary(results: Results, view: PublishView, limit = SUMMARY_LIMIT_BYTES): string {
  const models = summarizeModels(results);
  const stats = modelStatistics(results);
  const blocks: Block[] = [
    {
      text: [`## AIBench results\n\n${headline(results)}`, isolationAlert(results)]
        .filter(Boolean)
        .join('\n\n'),
    },
    { text: gateSection(view.gate) },
    { text: alertsSection(results, view.notes) },
    {
      text: view.comparison
        ? `### Compared with the baseline\n\n${comparisonSection(view.comparison, { trials: results.config.trials, maxFlips: 500, repoUrl: view.links.repo })}`
        : view.baselineNote
          ? `_${view.baselineNote}_`
          : '',
    },
    { text: `### Summary (Table III)\n\n${summaryTable(models)}` },
    { text: `### Cost per passed task (Table VIII)\n\n${costPerPassTable(models)}` },
    {
      text: `### Retry impact (Table IX)\n\n${retryImpactTable(models, results.config.attempts, stats)}`,
    },
    { text: `### Statistics\n\n${statisticsSection(stats, compareModelsInRun(results))}` },
    {
      text: results.trials.some((t) => t.attempts.some((a) => a.outcome !== 'pass'))
        ? `### Failure classes (all attempts)\n\n${failureClassTable(results)}`
        : '_No failed attempts, no API or harness faults._',
    },
    ...visualBlocks(results, '###'),
    {
      text: results.trials.some((t) => t.attempts.some((a) => a.faults.length))
        ? `### Infra errors\n\n${faultsSection(results, 200)}`
        : '',
      optional: true,
    },
    { text: failureReasons(results, view.links.artifact, 200).replace(/^####/, '###') },
    { text: `### Run\n\n${runSection(results)}\n\n${artifactFilesLine(view.links.artifact)}` },
    { text: '### Per-task detail (Tables IV–VII)' },
    ...models.map((m) => ({ text: modelDetail(results, m), optional: true })),
  ];
  const where = [
    view.links.artifact ? `[results artifact](${view.links.artifact})` : 'the results artifact',
    'results.json',
  ].join(' / ');
  return fitBlocks(
    blocks,
    limit,
    byteSize,
    (n) =>
      `> ✂️ **Trimmed to fit GitHub's 1 MiB job-summary limit:** ${n} section(s) left out. Everything is in ${where}.`,
  ).text;
}

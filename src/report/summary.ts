import { markdownTable } from 'markdown-table';
import type { Comparison, Delta, TaskFlip } from '../results/baseline.js';
import { runTotals, summarizeModels, type ModelSummary } from '../results/aggregate.js';
import type { Results } from '../results/schema.js';
import { cell, percent, seconds, usd } from './format.js';
import { promptChangeLine } from './prompt-change.js';
import {
  costPerPassTable,
  detailTable,
  failureClassTable,
  retryImpactTable,
  summaryTable,
} from './markdown.js';

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

function signed(value: number, fmt: (n: number) => string): string {
  if (value === 0) return '±0';
  return value > 0 ? `+${fmt(value)}` : `−${fmt(-value)}`;
}

function pp(d: Delta): string {
  return d.delta === null ? '—' : signed(Math.round(d.delta * 100), (n) => `${n} pp`);
}

function costChange(d: Delta): string {
  if (d.delta === null) return '—';
  const rel = d.base ? ` (${signed(Math.round((d.delta / d.base) * 100), (n) => `${n}%`)})` : '';
  return `${signed(d.delta, usd)}${rel}`;
}

/** The one-line result of a run: passes, pass rate, total cost, cost per pass. */
export function headline(results: Results): string {
  const t = runTotals(results);
  const infra = t.infra ? ` · ${t.infra} ended by API faults (not counted)` : '';
  return `**${t.passes}/${t.graded} passed** (${percent(t.passRate)}) · total cost **${usd(t.cost)}** · cost per pass ${t.passes ? usd(t.costPerPass) : '—'}${infra}`;
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

function outcomeCell(s: TaskFlip['base'], trials: number): string {
  if (trials > 1) return `${s.passes}/${s.graded}`;
  return s.passes ? '✅ pass' : `❌ ${s.outcome}`;
}

function flipTable(flips: TaskFlip[], trials: number, max: number): string {
  const rows = flips
    .slice(0, max)
    .map((f) => [
      cell(f.model),
      `${f.task}${f.taskChanged ? ' (task changed)' : ''}`,
      outcomeCell(f.base, trials),
      outcomeCell(f.head, trials),
    ]);
  const table = markdownTable([['Model', 'Task', 'Baseline', 'This run'], ...rows]);
  return flips.length > max
    ? `${table}\n\n… and ${flips.length - max} more (see the job summary or the results artifact).`
    : table;
}

/** Baseline comparison: where it came from, pass-rate and cost deltas, per-model deltas, flips, caveats. */
export function comparisonSection(
  cmp: Comparison,
  opts: { trials: number; maxFlips: number; repoUrl?: string | null },
): string {
  const b = cmp.baseline;
  const commit = b.commit
    ? opts.repoUrl
      ? `[\`${b.commit.slice(0, 7)}\`](${opts.repoUrl}/commit/${b.commit})`
      : `\`${b.commit.slice(0, 7)}\``
    : `run ${b.runId.slice(0, 8)}`;
  const hours = (b.ageDays ?? 0) * 24;
  const age =
    b.ageDays === null
      ? ''
      : hours < 1
        ? `, ${Math.max(1, Math.round(hours * 60))} min old`
        : hours < 48
          ? `, ${Math.round(hours)} h old`
          : `, ${Math.floor(b.ageDays)} days old`;
  const out = [
    ...(cmp.promptChanges.length ? [promptChangeLine(cmp.promptChanges), ''] : []),
    `Baseline: ${commit}${b.ref ? ` on \`${b.ref.replace(/^refs\/heads\//, '')}\`` : ''} (${b.startedAt.slice(0, 16).replace('T', ' ')} UTC${age})${b.runUrl ? ` · [run](${b.runUrl})` : ''}`,
    '',
  ];
  const pr = cmp.passRate;
  out.push(
    markdownTable(
      [
        ['', 'Baseline', 'This run', 'Change'],
        [
          `Pass rate (${cmp.compared} model × task pairs in both)`,
          `${percent(pr.base)} (${pr.basePasses}/${pr.baseGraded})`,
          `${percent(pr.head)} (${pr.headPasses}/${pr.headGraded})`,
          pp(pr),
        ],
        ['Cost of those pairs', usd(cmp.cost.base), usd(cmp.cost.head), costChange(cmp.cost)],
      ],
      { align: ['l', 'r', 'r', 'r'] },
    ),
    '',
  );
  if (cmp.models.length > 1) {
    const rows = cmp.models.map((m) => [
      cell(m.model),
      `${percent(m.passRate.base)} → ${percent(m.passRate.head)}`,
      pp(m.passRate),
      `${usd(m.cost.base)} → ${usd(m.cost.head)}`,
      String(m.regressions),
      String(m.fixes),
    ]);
    out.push(
      markdownTable([['Model', 'Pass rate', 'Change', 'Cost', 'Regressions', 'Fixes'], ...rows], {
        align: ['l', 'r', 'r', 'r', 'r', 'r'],
      }),
      '',
    );
  }
  out.push(
    cmp.regressions.length
      ? `**🔻 ${cmp.regressions.length} regression(s)** (passed in the baseline, fail now):\n\n${flipTable(cmp.regressions, opts.trials, opts.maxFlips)}`
      : '**No regressions.**',
    '',
  );
  if (cmp.fixes.length)
    out.push(
      `**🔺 ${cmp.fixes.length} fix(es)** (failed in the baseline, pass now):\n\n${flipTable(cmp.fixes, opts.trials, opts.maxFlips)}`,
      '',
    );
  const extra = [
    cmp.notComparable.length
      ? `${cmp.notComparable.length} pair(s) ended by API faults on one side: not compared`
      : '',
    cmp.onlyInHead.length ? `${cmp.onlyInHead.length} pair(s) new in this run` : '',
    cmp.onlyInBase.length ? `${cmp.onlyInBase.length} pair(s) only in the baseline` : '',
  ].filter(Boolean);
  if (extra.length) out.push(extra.join(' · '), '');
  for (const w of cmp.warnings) out.push(`> ⚠️ ${w}`);
  return out.join('\n').trim();
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

/** Isolation level, fingerprints, toolchains, settings and warnings: what makes a run reproducible. */
export function runSection(results: Results): string {
  const s = results.sandbox;
  return [
    `- **isolation:** ${s.level} (${s.features.join(', ')})${s.missing.length ? `; not available on this host: ${s.missing.join(', ')}` : ''}`,
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
  lines.push(...notes, ...results.warnings);
  return lines.length ? ['> [!WARNING]', ...lines.map((l) => `> - ${l}`)].join('\n') : '';
}

/** The job summary: every table of the report, collapsible detail, comparison, gate; within 1 MiB. */
export function renderSummary(results: Results, view: PublishView, limit = SUMMARY_LIMIT_BYTES): string {
  const models = summarizeModels(results);
  const blocks: Block[] = [
    { text: `## AIBench results\n\n${headline(results)}` },
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
    { text: `### Retry impact (Table IX)\n\n${retryImpactTable(models, results.config.attempts)}` },
    { text: `### Failure classes (all attempts)\n\n${failureClassTable(results)}` },
    { text: `### Infra errors\n\n${faultsSection(results, 200)}`, optional: true },
    { text: `### Run\n\n${runSection(results)}` },
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

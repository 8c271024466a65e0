import { markdownTable } from 'markdown-table';
import { runTotals, summarizeModels, type ModelSummary } from '../results/aggregate.js';
import type { Results, TrialRecord } from '../results/schema.js';
import { cascadeSection } from './cascade-section.js';
import { figuresSection } from './figures/names.js';
import { cell, percent, rateCi, seconds, usd } from './format.js';
import { latencySection } from './latency-section.js';
import type { Interval } from '../results/stats/intervals.js';
import {
  compareModelsInRun,
  modelStatistics,
  runPassRate,
  type ModelPair,
  type ModelStats,
} from '../results/stats/model-stats.js';
import {
  detectabilityLines,
  flakyList,
  headlineInterval,
  kCurveTable,
  methodNote,
  modelPairsTable,
  statisticsTable,
} from './stats-tables.js';
import { agentsTable, promptsTable } from './prompts.js';

function passCell(passes: number, graded: number, infra: number): string {
  return `${passes}/${graded}${infra ? ` (+${infra} infra)` : ''}`;
}

/** Table III — Model | <suite> (passes/n) … | Total | <suite> cost … | Total cost. */
export function summaryTable(models: ModelSummary[]): string {
  const suites = models[0]?.suites.map((s) => s.suite) ?? [];
  const header = [
    'Model',
    ...suites.map((s) => `${s} (passes)`),
    'Total',
    ...suites.map((s) => `${s} cost`),
    'Total cost',
  ];
  const rows = models.map((m) => [
    cell(m.model),
    ...m.suites.map((s) => passCell(s.passes, s.graded, s.infra)),
    passCell(m.passes, m.graded, m.infra),
    ...m.suites.map((s) => usd(s.cost)),
    usd(m.cost),
  ]);
  return markdownTable([header, ...rows], { align: ['l', ...header.slice(1).map(() => 'r' as const)] });
}

/** Table VIII — cost per passed task, cheapest first (unknown costs and zero passes last). */
export function costPerPassTable(models: ModelSummary[]): string {
  const rank = (m: ModelSummary): number => m.costPerPass ?? Number.POSITIVE_INFINITY;
  const sorted = [...models].sort((a, b) => rank(a) - rank(b));
  const rows = sorted.map((m) => [
    cell(m.model),
    String(m.passes),
    usd(m.cost),
    m.passes ? usd(m.costPerPass) : '—',
  ]);
  return markdownTable([['Model', 'Passes', 'Total cost', 'Cost / pass'], ...rows], {
    align: ['l', 'r', 'r', 'r'],
  });
}

/** Table IX — pass at attempt 1 vs within N attempts, from the same run (each with its interval when given). */
export function retryImpactTable(models: ModelSummary[], attempts: number, stats?: ModelStats[]): string {
  const rows = models.map((m) => {
    const gain = m.passes - m.passesAtFirstAttempt;
    const s = stats?.find((x) => x.model === m.model);
    const ci = (iv: Interval | null | undefined) => (iv ? ` · ${rateCi(iv)}` : '');
    return [
      cell(m.model),
      `${m.passesAtFirstAttempt}/${m.graded}${ci(s?.firstAttempt.interval)}`,
      `${m.passes}/${m.graded}${ci(s?.passRate.interval)}`,
      gain > 0 ? `+${gain}` : '0',
    ];
  });
  const level = stats ? ' (95% CI)' : '';
  return markdownTable(
    [['Model', `Single attempt${level}`, `Within ${attempts} attempts${level}`, 'Improvement'], ...rows],
    { align: ['l', 'r', 'r', 'r'] },
  );
}

/**
 * The statistics section: intervals per model, pass@k / pass^k with several trials, flaky tasks, what a
 * comparison of this size can detect, model-vs-model verdicts, and how it was all computed.
 */
export function statisticsSection(stats: ModelStats[], pairs: ModelPair[]): string {
  const k = kCurveTable(stats);
  const parts = [
    statisticsTable(stats),
    k
      ? `pass@k (at least one of k trials passes) and pass^k (all k pass), per task then averaged:\n\n${k}`
      : '',
    flakyList(stats),
    detectabilityLines(stats),
    pairs.some((p) => p.comparison) ? `Models compared on the same tasks:\n\n${modelPairsTable(pairs)}` : '',
    methodNote(stats),
  ];
  return parts.filter(Boolean).join('\n\n');
}

function resultCell(t: TrialRecord): string {
  if (t.passed) return t.passedAtAttempt === 1 ? '✅ pass' : `✅ pass (attempt ${t.passedAtAttempt})`;
  const last = t.attempts.at(-1);
  if (t.outcome === 'infra') return `⚠️ infra: ${last?.faults.at(-1)?.cause ?? 'fault'}`;
  return `❌ ${t.outcome}`;
}

/** Tables IV–VII — per-task detail for one model: Suite | Task | Result | Attempts | Cost. */
export function detailTable(results: Results, model: string): string {
  const trials = results.trials.filter((t) => t.model === model);
  const multi = results.config.trials > 1;
  const rows = trials.map((t) => {
    const [suite, id] = t.task.split('/') as [string, string];
    const graded = t.attempts.filter((a) => a.outcome !== 'infra').length;
    return [suite, multi ? `${id} #${t.trial}` : id, resultCell(t), String(graded), usd(t.cost)];
  });
  return markdownTable([['Suite', 'Task', 'Result', 'Attempts', 'Cost'], ...rows], {
    align: ['l', 'l', 'l', 'r', 'r'],
  });
}

/** Counts of every attempt's outcome per model: where the failures come from. */
export function failureClassTable(results: Results): string {
  const classes = ['malformed', 'build', 'test', 'timeout', 'check', 'infra'] as const;
  const rows = results.models.map(({ name }) => {
    const attempts = results.trials.filter((t) => t.model === name).flatMap((t) => t.attempts);
    return [cell(name), ...classes.map((c) => String(attempts.filter((a) => a.outcome === c).length))];
  });
  return markdownTable([['Model', ...classes], ...rows], {
    align: ['l', ...classes.map(() => 'r' as const)],
  });
}

/** The whole report.md: headline, the paper's tables, details, faults, fingerprints. */
export function renderReport(results: Results): string {
  const models = summarizeModels(results);
  const totals = runTotals(results);
  const stats = modelStatistics(results);
  const out: string[] = ['# AIBench results', ''];
  if (results.status !== 'complete')
    out.push(`> **Run status: ${results.status}.** The figures below cover only what was finished.`, '');
  if (totals.infraDominated) {
    out.push(
      `> ⚠️ **API or harness faults ended ${totals.infra} of ${totals.trials} trials.** Pass rates below describe the infrastructure as much as the models.`,
      '',
    );
  }
  out.push(
    `**${totals.passes}/${totals.graded} passed** (${percent(totals.passRate)}${headlineInterval(runPassRate(results))}) · total cost **${usd(totals.cost)}** · cost per pass ${totals.passes ? usd(totals.costPerPass) : '—'}`,
    '',
    '## Summary (Table III)',
    '',
    summaryTable(models),
    '',
  );
  const prompts = promptsTable(results);
  if (prompts) out.push('## Prompts and settings', '', prompts, '');
  const agents = agentsTable(results);
  if (agents) out.push('## Agents', '', agents, '');
  out.push(
    '## Cost per passed task (Table VIII)',
    '',
    costPerPassTable(models),
    '',
    '## Retry impact (Table IX)',
    '',
    retryImpactTable(models, results.config.attempts, stats),
    '',
    '## Statistics',
    '',
    statisticsSection(stats, compareModelsInRun(results)),
    '',
    '## Failure classes (all attempts)',
    '',
    failureClassTable(results),
    '',
    // Figures (SVG beside report.md), latency and the cascade: see figures/, latency-section, cascade-section.
    ...[figuresSection(), latencySection(results), cascadeSection(results)]
      .filter(Boolean)
      .flatMap((s) => [s, '']),
  );
  for (const m of models) {
    out.push(
      `## ${m.model} — per task`,
      '',
      detailTable(results, m.model),
      '',
      `Model time ${seconds(m.modelMs)} · grading time ${seconds(m.gradeMs)}`,
      '',
    );
  }
  const suspects = results.trials.flatMap((t) =>
    t.attempts.flatMap((a) => a.suspect.map((s) => ({ t, a, s }))),
  );
  if (suspects.length) {
    out.push(
      '## ⚠️ Suspect attempts',
      '',
      'Evidence that a submission games the grader (tamper-scan hits fail the attempt; special-casing is flagged for a human to judge).',
      '',
    );
    out.push(
      markdownTable([
        ['Model', 'Task', 'Attempt', 'Evidence'],
        ...suspects.map(({ t, a, s }) => [cell(t.model), t.task, String(a.n), cell(s)]),
      ]),
      '',
    );
  }
  const faults = results.trials.flatMap((t) => t.attempts.flatMap((a) => a.faults.map((f) => ({ t, a, f }))));
  if (faults.length) {
    out.push('## API faults', '');
    out.push(
      markdownTable([
        ['Model', 'Task', 'Attempt', 'Cause', 'Retried', 'Message'],
        ...faults.map(({ t, a, f }) => [
          cell(t.model),
          t.task,
          String(a.n),
          f.cause,
          f.retried ? 'yes' : 'no',
          cell(f.message),
        ]),
      ]),
      '',
    );
  }
  if (results.warnings.length) out.push('## Warnings', '', ...results.warnings.map((w) => `- ${w}`), '');
  out.push(
    '## Run',
    '',
    `- run ${results.runId}, ${results.startedAt} → ${results.finishedAt ?? 'unfinished'}`,
    `- harness ${results.harness.version}${results.harness.commit ? ` (${results.harness.commit.slice(0, 12)})` : ''}; tasks ${results.fingerprints.tasks}; prompt ${results.fingerprints.prompt}; prices ${results.fingerprints.prices} (as of ${results.prices.asOf})`,
    `- attempts ${results.config.attempts}, trials ${results.config.trials}, concurrency ${results.config.concurrency}`,
    `- sandbox: ${results.sandbox.level} (${results.sandbox.features.join(', ')})${results.sandbox.missing.length ? `; not available: ${results.sandbox.missing.join(', ')}` : ''}`,
    `- toolchains: ${Object.entries(results.toolchains)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}`,
    '',
  );
  return out.join('\n');
}

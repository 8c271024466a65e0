import { markdownTable } from 'markdown-table';
import { promptChangeLine } from './prompt-change.js';
import type { Comparison, Delta, TaskFlip } from '../results/baseline.js';
import type { PairedComparison } from '../results/stats/paired.js';
import type { RunVerdict } from '../results/stats/run-comparison.js';
import { cell, differenceCi, percent, secondsChangeCi, usd, usdChangeCi } from './format.js';
import { exactTestCell, verdictText } from './stats-tables.js';

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

const level = (c: number) => `${Math.round(c * 1000) / 10}%`;

/** One model's verdict as a sentence: what moved, by how much, how sure. */
function modelVerdictLine(model: string, c: PairedComparison): string {
  const moved = `${c.worse} task(s) worse, ${c.better} better; ${exactTestCell(c)}`;
  return `${verdictText(c)} — **${cell(model)}**: pass rate ${differenceCi(c.difference)} over ${c.tasks} task(s) (${moved})`;
}

/**
 * The verdict line that opens every comparison: regressed / improved / no detectable change, with each
 * model's paired interval. It is what `fail-on-regression: significant` reads.
 */
export function verdictLines(v: RunVerdict): string {
  const compared = v.models.filter((m) => m.paired);
  const head = `**Verdict: ${v.verdict === 'regressed' ? '🔻' : v.verdict === 'improved' ? '🔺' : '➖'} ${v.verdict}** (paired by task; ${level(v.familyConfidence)} intervals${compared.length > 1 ? `, family-wise over ${compared.length} models: each at ${level(v.confidence)}` : ''})`;
  if (!compared.length) return `${head}: no task was graded in both runs.`;
  const lines = compared.map((m) => `- ${modelVerdictLine(m.model, m.paired!)}`);
  const mde =
    v.minDetectableDrop === null
      ? ''
      : `\n\n<sub>A comparison of this size detects a drop in pass rate only from about ${Math.ceil(v.minDetectableDrop * 100)} points (80% power); smaller changes read as "no detectable change".</sub>`;
  return `${head}\n\n${lines.join('\n')}${mde}`;
}

/** A side of a flip as people read it: `✅ pass` with one trial, `✅ 3/3` or `❌ 1/3` with several. */
function outcomeCell(s: TaskFlip['base'], trials: number): string {
  if (trials > 1 || s.graded > 1)
    return `${s.passes === s.graded ? '✅' : s.passes ? '⚠️' : '❌'} ${s.passes}/${s.graded} passed`;
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

function listed(label: string, items: string[], max: number): string {
  if (!items.length) return '';
  const shown = items.slice(0, max).join(', ');
  return `- ${label} (${items.length}): ${shown}${items.length > max ? `, … ${items.length - max} more` : ''}`;
}

/** Per model: pass rate, paired difference, cost and model-time deltas per trial (each with its interval), flips. */
function perModelTable(cmp: Comparison): string {
  const rows = cmp.models.map((m) => {
    const p = cmp.statistics.models.find((x) => x.model === m.model)?.paired ?? null;
    return [
      cell(m.model),
      `${percent(m.passRate.base)} → ${percent(m.passRate.head)}`,
      p ? differenceCi(p.difference) : pp(m.passRate),
      p?.cost ? usdChangeCi(p.cost) : '—',
      p?.modelMs ? secondsChangeCi(p.modelMs) : '—',
      String(m.regressions),
      String(m.fixes),
      p ? verdictText(p) : '—',
    ];
  });
  return markdownTable(
    [
      [
        'Model',
        'Pass rate',
        'Δ pass rate (CI)',
        'Δ cost / trial (CI)',
        'Δ model time / trial (CI)',
        'Regressions',
        'Fixes',
        'Verdict',
      ],
      ...rows,
    ],
    { align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'] },
  );
}

/**
 * Baseline comparison: the verdict line first, then where the baseline came from, pass-rate and cost
 * deltas, per-model paired differences, per-task flips (labelled with how often each side passed), what
 * was not compared and why, and caveats.
 */
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
    // A prompt change is the change under test: said first, then the verdict it earned.
    ...(cmp.promptChanges.length ? [promptChangeLine(cmp.promptChanges), ''] : []),
    verdictLines(cmp.statistics),
    '',
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
  if (cmp.models.length) out.push(perModelTable(cmp), '');
  out.push(
    cmp.regressions.length
      ? `**${cmp.regressions.length} task(s) passed less often than in the baseline** (a flip is not a verdict: see above):\n\n${flipTable(cmp.regressions, opts.trials, opts.maxFlips)}`
      : '**No task passed less often than in the baseline.**',
    '',
  );
  if (cmp.fixes.length)
    out.push(
      `**${cmp.fixes.length} task(s) passed more often than in the baseline:**\n\n${flipTable(cmp.fixes, opts.trials, opts.maxFlips)}`,
      '',
    );
  const max = Math.min(opts.maxFlips, 20);
  const extra = [
    listed('ended by API faults on one side, not compared', cmp.notComparable, max),
    listed('only in this run, not compared', cmp.onlyInHead, max),
    listed('only in the baseline, not compared', cmp.onlyInBase, max),
    listed(
      'recorded twice (counted once)',
      cmp.statistics.duplicates.map((d) => `${d.key} in ${d.run}`),
      max,
    ),
  ].filter(Boolean);
  if (extra.length) out.push(...extra, '');
  out.push(`<sub>${cmp.statistics.policy}</sub>`, '');
  for (const w of cmp.warnings) out.push(`> ⚠️ ${w}`);
  return out.join('\n').trim();
}

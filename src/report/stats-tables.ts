import { markdownTable } from 'markdown-table';
import type { Interval } from '../results/stats/intervals.js';
import type { Detectability, ModelPair, ModelStats } from '../results/stats/model-stats.js';
import type { PairedComparison } from '../results/stats/paired.js';
import { cell, differenceCi, rateCi, usdCi } from './format.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Per model: pass rate, pass at attempt 1, cost per pass — each with its interval — flaky tasks, detectable drop. */
export function statisticsTable(stats: ModelStats[]): string {
  const rows = stats.map((s) => [
    cell(s.model),
    `${rateCi(s.passRate.interval)}`,
    rateCi(s.firstAttempt.interval),
    usdCi(s.costPerPass),
    s.trials > 1 ? String(s.flaky.length) : '—',
    s.detectability?.minDrop != null ? `≥ ${Math.ceil(s.detectability.minDrop * 100)} pp` : 'none',
  ]);
  return markdownTable(
    [
      [
        'Model',
        'Pass rate (95% CI)',
        'Attempt 1 (95% CI)',
        'Cost / pass (95% CI)',
        'Flaky tasks',
        'Detectable drop',
      ],
      ...rows,
    ],
    { align: ['l', 'r', 'r', 'r', 'r', 'r'] },
  );
}

/** pass@k and pass^k for k = 1..K per model (only meaningful with several trials per task). */
export function kCurveTable(stats: ModelStats[]): string {
  const maxK = Math.max(0, ...stats.map((s) => s.kCurve.length));
  if (maxK < 2) return '';
  const ks = Array.from({ length: maxK }, (_, i) => i + 1);
  const header = ['Model', ...ks.map((k) => `pass@${k}`), ...ks.slice(1).map((k) => `pass^${k}`)];
  const at = (s: ModelStats, k: number, which: 'passAtK' | 'passHatK') => {
    const p = s.kCurve.find((x) => x.k === k);
    return p ? rateCi(p[which]) : '—';
  };
  const rows = stats.map((s) => [
    cell(s.model),
    ...ks.map((k) => at(s, k, 'passAtK')),
    ...ks.slice(1).map((k) => at(s, k, 'passHatK')),
  ]);
  return markdownTable([header, ...rows], { align: ['l', ...header.slice(1).map(() => 'r' as const)] });
}

/** Tasks whose trials disagree, per model: `model: task (2/3), …`. Empty when there are none. */
export function flakyList(stats: ModelStats[]): string {
  const lines = stats
    .filter((s) => s.flaky.length)
    .map(
      (s) => `- ${cell(s.model)}: ${s.flaky.map((f) => `${f.task} (${f.passes}/${f.graded})`).join(', ')}`,
    );
  return lines.length ? ['**Flaky tasks** (trials disagree):', '', ...lines].join('\n') : '';
}

/** One sentence on what a rerun of this size can and cannot detect. */
export function detectabilitySentence(d: Detectability): string {
  const size = `${d.tasks} task${d.tasks === 1 ? '' : 's'} × ${d.trials} trial${d.trials === 1 ? '' : 's'}`;
  const levels = `${pct(d.confidence)} confidence, ${pct(d.power)} power`;
  const drop = Math.round(d.drop * 100);
  const first =
    d.minDrop === null
      ? `with ${size}, no drop in pass rate is detectable`
      : `with ${size}, a comparison detects a drop in pass rate only from about ${Math.ceil(d.minDrop * 100)} points`;
  const second =
    d.trialsForDrop === null
      ? ''
      : d.trialsForDrop <= d.trials
        ? `; it detects a ${drop}-point drop`
        : `; ${d.trialsForDrop} trials per task would detect a ${drop}-point drop`;
  return `${first} (${levels})${second}.`;
}

/** The detectability line under the statistics: per model when their rates differ enough to matter. */
export function detectabilityLines(stats: ModelStats[]): string {
  const ds = stats.filter((s) => s.detectability);
  if (!ds.length) return '';
  const texts = ds.map((s) => detectabilitySentence(s.detectability!));
  if (new Set(texts).size === 1) return `**Detectability:** ${texts[0]!.replace(/^w/, 'W')}`;
  return ['**Detectability:**', '', ...ds.map((s, i) => `- ${cell(s.model)}: ${texts[i]}`)].join('\n');
}

/** How the intervals were computed, in one line the reader can check. */
export function methodNote(stats: ModelStats[]): string {
  const clustered = stats.some((s) => s.trials > 1);
  return `<sub>95% intervals with tasks as the unit: ${
    clustered
      ? 'Wilson score on the effective sample size (trials of one task are correlated: cluster design effect, Korn–Graubard df correction; Miller 2024)'
      : 'Wilson score (one trial per task)'
  }; paired differences: MOVER from both sides' intervals and the per-task correlation (Newcombe's method 10 with one trial), with McNemar's exact test deciding one-trial verdicts; cost per pass and cost/time deltas: bootstrap over tasks (4,000 seeded resamples, expanded percentile). pass@k unbiased (Chen et al. 2021), pass^k = C(c,k)/C(n,k).</sub>`;
}

/** Words and a mark for a verdict. */
export function verdictText(c: PairedComparison): string {
  const mark = c.verdict === 'regressed' ? '🔻' : c.verdict === 'improved' ? '🔺' : '➖';
  return `${mark} ${c.verdict}`;
}

/** The exact test as a cell: `McNemar p = 0.125 (0 better, 4 worse)`. */
export function exactTestCell(c: PairedComparison): string {
  const p = c.exactP >= 0.001 ? c.exactP.toFixed(3) : c.exactP.toExponential(1);
  return `${c.test === 'mcnemar-exact' ? 'McNemar exact' : 'sign test'} p = ${p}`;
}

/** Most model-vs-model rows a body shows; the rest are counted (with how many regressed) below the table. */
export const MAX_PAIR_ROWS = 30;

/** Model B vs model A in this run (paired by task): difference, tasks that moved, exact test, verdict. */
export function modelPairsTable(pairs: ModelPair[]): string {
  const compared = pairs.filter((p) => p.comparison);
  const rows = compared.slice(0, MAX_PAIR_ROWS).map((p) => {
    const c = p.comparison!;
    return [
      `${cell(p.b)} vs ${cell(p.a)}`,
      String(c.tasks),
      differenceCi(c.difference),
      `${c.worse} / ${c.better}`,
      exactTestCell(c),
      verdictText(c),
    ];
  });
  if (!rows.length) return '';
  const table = markdownTable(
    [
      [
        'Comparison (paired by task)',
        'Tasks',
        'Δ pass rate (95% CI)',
        'Worse / better',
        'Exact test',
        'Verdict',
      ],
      ...rows,
    ],
    { align: ['l', 'r', 'r', 'r', 'l', 'l'] },
  );
  const regressed = compared.slice(MAX_PAIR_ROWS).filter((p) => p.comparison!.verdict === 'regressed').length;
  return compared.length > MAX_PAIR_ROWS
    ? `${table}\n\n… and ${compared.length - MAX_PAIR_ROWS} more comparisons (${regressed} regressed).`
    : table;
}

/** `rate [low–high]` for a headline, or '' without an interval. */
export function headlineInterval(iv: Interval | null): string {
  return iv ? `, 95% CI ${pct(iv.low)}–${pct(iv.high)}` : '';
}

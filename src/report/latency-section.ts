import { markdownTable } from 'markdown-table';
import { latencyByModel, type Percentiles } from '../results/latency.js';
import type { Results } from '../results/schema.js';
import { cell } from './format.js';

function secs(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

const pair = (p: Percentiles): string => (p.n ? `${secs(p.p50)} / ${secs(p.p95)}` : '—');

/** Latency table: p50 / p95 of model and grading time per attempt, trial wall time, output tokens/s. */
export function latencyTable(results: Results): string {
  const rows = latencyByModel(results).map((l) => [
    cell(l.model),
    pair(l.modelMs),
    pair(l.gradeMs),
    pair(l.trialWallMs),
    l.tokensPerSecond.n ? `${l.tokensPerSecond.p50!.toFixed(0)} / ${l.tokensPerSecond.p95!.toFixed(0)}` : '—',
    String(l.modelMs.n),
  ]);
  return markdownTable(
    [
      [
        'Model',
        'Model time / attempt (p50 / p95)',
        'Grading time / attempt (p50 / p95)',
        'Trial wall time (p50 / p95)',
        'Output tokens/s (p50 / p95)',
        'Attempts',
      ],
      ...rows,
    ],
    { align: ['l', 'r', 'r', 'r', 'r', 'r'] },
  );
}

/** The latency section of report.md. */
export function latencySection(results: Results): string {
  return [
    '## Latency',
    '',
    latencyTable(results),
    '',
    'Per graded attempt (API faults excluded); model time includes API retries. Trial wall time runs from the first request to the last verdict. Tokens/s: output tokens ÷ model time, where the API reported tokens.',
  ].join('\n');
}

/** One compact line for the job summary: each model's p50 model and grading time per attempt. */
export function latencyLine(results: Results): string {
  const parts = latencyByModel(results)
    .filter((l) => l.modelMs.n)
    .map(
      (l) =>
        `${cell(l.model)} ${secs(l.modelMs.p50)} model + ${secs(l.gradeMs.p50)} grading (p95 ${secs(l.modelMs.p95)} + ${secs(l.gradeMs.p95)})`,
    );
  return parts.length ? `**Latency per attempt (p50):** ${parts.join(' · ')}` : '';
}

import type { Results } from '../results/schema.js';
import { cascadeSection } from './cascade-section.js';
import { FIGURE_FILES, HTML_REPORT_FILE } from './figures/names.js';
import { latencyLine } from './latency-section.js';
import { passRateMermaid, retryCurveMermaid } from './mermaid.js';

/** A body block (see summary.ts `Block`): optional ones are dropped first when a body is too long. */
interface Block {
  text: string;
  optional?: boolean;
}

/**
 * The job summary's visual blocks: Figure 1 and the retry curve as mermaid charts, the latency line and
 * the cascade. All optional: the tables come first when GitHub's size limit bites.
 */
export function visualBlocks(results: Results, heading: string): Block[] {
  const charts = [passRateMermaid(results), retryCurveMermaid(results)].filter(Boolean).join('\n\n');
  const cascade = cascadeSection(results).replace(/^## /, `${heading} `);
  return [
    { text: charts ? `${heading} Figures\n\n${charts}` : '', optional: true },
    { text: latencyLine(results), optional: true },
    { text: cascade, optional: true },
  ];
}

/** The PR comment's small charts: Figure 1 and the retry curve, collapsed. */
export function commentCharts(results: Results): string {
  const charts = [passRateMermaid(results), retryCurveMermaid(results)].filter(Boolean);
  if (!charts.length) return '';
  return [
    '<details><summary>Pass rate by model · retry curve</summary>',
    '',
    ...charts.flatMap((c) => [c, '']),
    '</details>',
  ].join('\n');
}

/** Names the artifact's figure and HTML files, so a reader knows what to download. */
export function artifactFilesLine(artifactUrl: string | null): string {
  const where = artifactUrl ? `[results artifact](${artifactUrl})` : 'results artifact';
  return `Figures and the per-attempt drill-down are in the ${where}: \`${HTML_REPORT_FILE}\` (self-contained; open in a browser), ${Object.values(
    FIGURE_FILES,
  )
    .map((f) => `\`${f}\``)
    .join(', ')}.`;
}

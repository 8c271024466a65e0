import { summarizeModels } from '../results/aggregate.js';
import type { Results } from '../results/schema.js';
import { PALETTE } from './figures/specs.js';

const COLOUR_NAMES: Record<string, string> = {
  '#0072B2': 'blue',
  '#E69F00': 'orange',
  '#009E73': 'green',
  '#CC79A7': 'pink',
  '#56B4E9': 'sky blue',
  '#D55E00': 'vermilion',
  '#000000': 'black',
  '#F0E442': 'yellow',
};

/** A label inside a mermaid string: no quotes, backticks (they could close the fence) or line breaks. */
export function mermaidLabel(text: string): string {
  return text
    .replace(/["`\\]/g, "'")
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 80);
}

const quoted = (items: string[]): string => `[${items.map((i) => `"${mermaidLabel(i)}"`).join(', ')}]`;

function chart(palette: string[], lines: string[], size: { width: number; height: number }): string {
  return [
    '```mermaid',
    '---',
    'config:',
    '  xyChart:',
    `    width: ${size.width}`,
    `    height: ${size.height}`,
    '  themeVariables:',
    '    xyChart:',
    `      plotColorPalette: "${palette.join(', ')}"`,
    '---',
    ...lines,
    '```',
  ].join('\n');
}

/**
 * Figure 1 as a GitHub-rendered mermaid bar chart (pass rate by model, %), for the job summary and PR
 * comment. Empty when no model has a graded trial.
 */
export function passRateMermaid(results: Results): string {
  const rated = summarizeModels(results).filter((m) => m.graded > 0);
  if (!rated.length) return '';
  return chart(
    [PALETTE[0]!],
    [
      'xychart-beta horizontal',
      `  title "Figure 1. Pass rate by model (% of graded trials, within ${results.config.attempts} attempts)"`,
      `  x-axis ${quoted(rated.map((m) => m.model))}`,
      '  y-axis "Pass rate (%)" 0 --> 100',
      `  bar [${rated.map((m) => Math.round((m.passes / m.graded) * 100)).join(', ')}]`,
    ],
    { width: 640, height: Math.max(160, 50 * rated.length + 90) },
  );
}

/**
 * The retry curve: each model's pass rate (%) by attempt 1..N as one line, with a caption naming each
 * line's colour (mermaid's xychart has no legend). Empty when there is nothing to draw.
 */
export function retryCurveMermaid(results: Results): string {
  const rated = summarizeModels(results).filter((m) => m.graded > 0);
  const n = results.config.attempts;
  if (!rated.length || n < 2) return '';
  const shown = rated.slice(0, PALETTE.length);
  const lines = shown.map((m) => {
    const trials = results.trials.filter(
      (t) => t.model === m.model && t.outcome !== 'infra' && !(t.stoppedBy && !t.passed),
    );
    const by = (k: number) =>
      trials.filter((t) => t.passedAtAttempt !== null && t.passedAtAttempt <= k).length;
    return `  line [${Array.from({ length: n }, (_, i) => Math.round((by(i + 1) / m.graded) * 100)).join(', ')}]`;
  });
  const palette = PALETTE.slice(0, shown.length);
  const legend = shown
    .map((m, i) => `${COLOUR_NAMES[palette[i]!]} = ${m.model.replace(/</g, '&lt;')}`)
    .join(' · ');
  const more = rated.length > shown.length ? ` (${rated.length - shown.length} more in the report)` : '';
  return [
    chart(
      palette,
      [
        'xychart-beta',
        '  title "Pass rate by attempt (% of graded trials)"',
        `  x-axis ${quoted(Array.from({ length: n }, (_, i) => `attempt ${i + 1}`))}`,
        '  y-axis "Pass rate (%)" 0 --> 100',
        ...lines,
      ],
      { width: 520, height: 260 },
    ),
    '',
    `<sub>Lines: ${legend}${more}</sub>`,
  ].join('\n');
}

/** The figures' file names in the output folder (and the artifact), in figure order. */
export const FIGURE_FILES = {
  passRate: 'figure-1-pass-rate.svg',
  costPerPass: 'figure-2-cost-per-pass.svg',
  retries: 'figure-3-retries.svg',
  attemptCurve: 'figure-4-pass-rate-vs-cost.svg',
  latency: 'figure-5-latency.svg',
} as const;

export type FigureKey = keyof typeof FIGURE_FILES;

export const FIGURE_TITLES: Record<FigureKey, string> = {
  passRate: 'Figure 1. Pass rate by model',
  costPerPass: 'Figure 2. Cost per passed task (log scale)',
  retries: 'Figure 3. Pass rate with and without retries',
  attemptCurve: 'Figure 4. Pass rate vs cumulative cost, by attempt',
  latency: 'Figure 5. Latency per attempt',
};

/** The self-contained HTML report written beside report.md. */
export const HTML_REPORT_FILE = 'report.html';

/** Every file the visual report writes (the action uploads them with the results artifact). */
export const VISUAL_FILES: string[] = [HTML_REPORT_FILE, ...Object.values(FIGURE_FILES)];

/** report.md's figures section: each SVG (written beside it) as an image, and the HTML report. */
export function figuresSection(): string {
  return [
    '## Figures',
    ...Object.entries(FIGURE_FILES).map(([key, file]) => `![${FIGURE_TITLES[key as FigureKey]}](${file})`),
    `Interactive drill-down of every attempt: [${HTML_REPORT_FILE}](${HTML_REPORT_FILE}) (one self-contained file).`,
  ].join('\n\n');
}

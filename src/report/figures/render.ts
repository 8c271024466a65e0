import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Results } from '../../results/schema.js';
import { figureData, type FigureData } from './data.js';
import { attemptCurveSpec, costPerPassSpec, latencySpec, passRateSpec, retriesSpec } from './specs.js';

/** The figures' file names in the output folder (and the artifact). */
export const FIGURE_FILES = {
  passRate: 'figure-1-pass-rate.svg',
  costPerPass: 'figure-2-cost-per-pass.svg',
  retries: 'figure-3-retries.svg',
  attemptCurve: 'figure-4-pass-rate-vs-cost.svg',
  latency: 'figure-5-latency.svg',
} as const;

export type FigureKey = keyof typeof FIGURE_FILES;

export interface Figure {
  key: FigureKey;
  file: string;
  title: string;
  svg: string;
}

const SPECS: Record<FigureKey, { title: string; spec: (d: FigureData) => TopLevelSpec }> = {
  passRate: { title: 'Figure 1. Pass rate by model', spec: passRateSpec },
  costPerPass: { title: 'Figure 2. Cost per passed task (log scale)', spec: costPerPassSpec },
  retries: { title: 'Figure 3. Pass rate with and without retries', spec: retriesSpec },
  attemptCurve: { title: 'Figure 4. Pass rate vs cumulative cost, by attempt', spec: attemptCurveSpec },
  latency: { title: 'Figure 5. Latency per attempt', spec: latencySpec },
};

/** Renders a Vega-Lite spec to an SVG string server-side (no browser, no canvas, no network). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Every figure of a run, rendered from its results alone. */
export async function renderFigures(results: Results): Promise<Figure[]> {
  const data = figureData(results);
  const figures: Figure[] = [];
  for (const [key, { title, spec }] of Object.entries(SPECS) as [FigureKey, (typeof SPECS)[FigureKey]][]) {
    figures.push({ key, file: FIGURE_FILES[key], title, svg: await renderSvg(spec(data)) });
  }
  return figures;
}

/** Writes the figures into `outDir`; returns them (the HTML report inlines the same SVG). */
export async function writeFigures(results: Results, outDir: string): Promise<Figure[]> {
  const figures = await renderFigures(results);
  mkdirSync(outDir, { recursive: true });
  for (const f of figures) writeFileSync(path.join(outDir, f.file), f.svg);
  return figures;
}

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Results } from '../../results/schema.js';
import { figureData, type FigureData } from './data.js';
import { FIGURE_FILES, FIGURE_TITLES, type FigureKey } from './names.js';
import { attemptCurveSpec, costPerPassSpec, latencySpec, passRateSpec, retriesSpec } from './specs.js';

export interface Figure {
  key: FigureKey;
  file: string;
  title: string;
  svg: string;
}

const SPECS: Record<FigureKey, (d: FigureData) => TopLevelSpec> = {
  passRate: passRateSpec,
  costPerPass: costPerPassSpec,
  retries: retriesSpec,
  attemptCurve: attemptCurveSpec,
  latency: latencySpec,
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
  for (const [key, spec] of Object.entries(SPECS) as [FigureKey, (typeof SPECS)[FigureKey]][]) {
    figures.push({
      key,
      file: FIGURE_FILES[key],
      title: FIGURE_TITLES[key],
      svg: await renderSvg(spec(data)),
    });
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

import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../../results/schema.js';
import type { Task } from '../../tasks/loader.js';
import { HTML_REPORT_FILE } from '../figures/names.js';
import { renderHtmlReport } from './page.js';

/**
 * Writes the figures (SVG) and report.html beside results.json. `tasks` gives the starter files the
 * attempts are diffed against. Returns the files written, relative to `outDir`.
 */
export async function writeVisualReport(
  results: Results,
  outDir: string,
  tasks: Task[] = [],
  /** report.md of these results, when already rendered. */
  reportMd?: string,
): Promise<string[]> {
  // Loaded on use: the charting libraries are most of the bundle and only this step needs them.
  const { writeFigures } = await import('../figures/render.js');
  const figures = await writeFigures(results, outDir);
  const file = path.join(outDir, HTML_REPORT_FILE);
  const tmp = `${file}.tmp-${process.pid}`; // whole or not at all
  writeFileSync(tmp, renderHtmlReport(results, figures, tasks, reportMd));
  renameSync(tmp, file);
  return [...figures.map((f) => f.file), HTML_REPORT_FILE];
}

// Size and opening time of report.html for a paper-sized run: 7 models × 10 tasks × 3 trials × 3 attempts,
// every attempt a full reply (a mutant or the reference of the built-in task, so the diffs are real).
// Prints the file's size against its budget, and Chromium's time to open it beside its time to open a
// plain page of the same size (one <pre> of text): the ratio is what the report's script and figures
// cost, whatever the machine's load. Then the time to open one drill-down.
//   npx tsx scripts/bench-report-html.mts      (needs /usr/bin/chromium: scripts/setup.sh installs it)
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { formatFiles } from '../src/prompt/format-files.js';
import { renderFigures } from '../src/report/figures/render.js';
import { renderHtmlReport } from '../src/report/html/page.js';
import type { AttemptRecord, Results, TrialRecord } from '../src/results/schema.js';
import { builtinTasksRoot, loadTasks } from '../src/tasks/loader.js';

const BUDGET_BYTES = 5 * 1024 * 1024;
/** Opening the report may take at most this many times as long as a plain page of the same size. */
const BUDGET_OPEN_RATIO = 3;
const tasks = loadTasks([builtinTasksRoot()]);
const models = Array.from({ length: 7 }, (_, i) => `vendor-${i}/model-with-a-descriptive-name-${i}`);
const usage = {
  inputTokens: 4000,
  outputTokens: 2500,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
  reasoningTokens: 0,
};
const trials: TrialRecord[] = [];
for (const [mi, model] of models.entries())
  for (const [ti, task] of tasks.entries())
    for (let trial = 1; trial <= 3; trial++) {
      const attempts: AttemptRecord[] = [1, 2, 3].map((n) => {
        const last = n === 3 && (mi + ti + trial) % 2 === 0;
        const files = last ? task.reference : task.mutants[(mi + n + trial) % task.mutants.length]!.files;
        return {
          n,
          outcome: last ? 'pass' : 'test',
          reply: `Here you go.\n\n${formatFiles(files)}\n`,
          modelId: model,
          stopReason: 'end',
          files: [...files.keys()],
          rejected: [],
          steps: [
            {
              name: 'test',
              ok: last,
              status: last ? 'ok' : 'failed',
              durationMs: 4200,
              exitCode: last ? 0 : 1,
            },
          ],
          tests: {
            expected: task.expectedTests,
            passed: last ? task.expectedTests : 3,
            failed: last ? 0 : task.expectedTests - 3,
            skipped: 0,
          },
          failingTests: last ? [] : ['some_test', 'another_test'],
          feedback: last ? null : 'Result: FAILED (test)\n'.repeat(40),
          suspect: [],
          faults: [],
          usage,
          cost: 0.01 * (mi + 1),
          modelMs: 20_000 + 1000 * mi,
          gradeMs: 8000,
          startedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
        };
      });
      const passed = attempts.at(-1)!.outcome === 'pass';
      trials.push({
        model,
        task: task.key,
        trial,
        passed,
        outcome: passed ? 'pass' : 'test',
        passedAtAttempt: passed ? 3 : null,
        attempts,
        cost: 0.03 * (mi + 1),
        usage,
        modelMs: 60_000,
        gradeMs: 24_000,
        stoppedBy: null,
      });
    }
const results: Results = {
  schemaVersion: 1,
  runId: 'bench',
  status: 'complete',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T02:00:00Z',
  harness: { version: 'bench', commit: null },
  fingerprints: { tasks: 't', prompt: 'p', prices: 'p' },
  prices: { asOf: '2026-01-01', models: {} },
  toolchains: {},
  sandbox: { level: 'namespaces', features: [], missing: [] },
  config: { attempts: 3, trials: 3, concurrency: 4, maxTokens: 16000, feedbackChars: 4000, maxCost: null },
  models: models.map((name) => ({ name, spec: name, provider: 'vendor', model: name })),
  tasks: tasks.map((t) => ({
    key: t.key,
    suite: t.suite.name,
    id: t.id,
    level: t.level,
    title: t.title,
    hash: t.hash,
  })),
  trials,
  warnings: [],
};
let t0 = performance.now();
const html = renderHtmlReport(results, await renderFigures(results), tasks);
const renderMs = performance.now() - t0;
const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'aibench-bench-html-')), 'report.html');
writeFileSync(file, html);
const ctx = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'aibench-chromium-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const plain = path.join(path.dirname(file), 'plain.html');
writeFileSync(
  plain,
  `<!doctype html><meta charset="utf-8"><pre>${'x'
    .repeat(80)
    .concat('\n')
    .repeat(Math.ceil(html.length / 81))}</pre>`,
);
const page = await ctx.newPage();
const opened = async (url: string, ready: () => Promise<void>) => {
  const start = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  await ready();
  return performance.now() - start;
};
await opened(`file://${plain}`, async () => {}); // warm-up: the first navigation pays the browser's start
const plainMs = await opened(`file://${plain}`, async () => {});
const openMs = await opened(`file://${file}`, () =>
  page
    .locator('tr.trial')
    .nth(trials.length - 1)
    .waitFor(),
);
t0 = performance.now();
await page.locator('tr.trial').first().click();
await page.locator('.drill pre.diff').first().waitFor();
const drillMs = performance.now() - t0;
await ctx.close();
const size = statSync(file).size;
const row = (what: string, value: string, budget: string, ratio: number) =>
  console.log(
    `${what.padEnd(34)} ${value.padStart(10)}   budget ${budget.padStart(8)}   ratio ${ratio.toFixed(2)}`,
  );
console.log(
  `report.html for ${models.length} models × ${tasks.length} tasks × 3 trials × 3 attempts (${trials.length * 3} attempts): ${file}`,
);
row('size', `${(size / 1024 / 1024).toFixed(2)} MB`, '5 MB', size / BUDGET_BYTES);
console.log(
  `open: plain page of the same size ${plainMs.toFixed(0)} ms · report.html until every trial is listed ${openMs.toFixed(0)} ms`,
);
row(
  'open, report ÷ plain page',
  `${(openMs / plainMs).toFixed(2)}×`,
  `${BUDGET_OPEN_RATIO}×`,
  openMs / plainMs / BUDGET_OPEN_RATIO,
);
console.log(`open one drill-down (3 attempts, diffs): ${drillMs.toFixed(0)} ms`);
console.log(`(render in Node, figures included: ${renderMs.toFixed(0)} ms)`);

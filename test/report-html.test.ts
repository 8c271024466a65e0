import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { formatFiles } from '../src/prompt/format-files.js';
import { FIGURE_FILES, HTML_REPORT_FILE } from '../src/report/figures/names.js';
import type { Results } from '../src/results/schema.js';
import { hasChromium, launchChromium, screenshotSvg, CHROMIUM } from './support/browser.js';
import { MockLlmServer } from './support/mock-llm.js';
import { miniTask, replyWith, runMini, tempDir } from './support/run-helpers.js';

/** Model text is hostile: a reply that tries to end the data script and run its own. */
const HOSTILE = `</script><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
const SONNET = 'anthropic/claude-sonnet-4-6';
const MINI = 'openai/gpt-5-mini';

const servers: MockLlmServer[] = [];
let results: Results;
let outDir: string;

/**
 * Two models on the mini task through the real SDKs: Sonnet fails attempt 1 with a mutant carrying the
 * hostile text in its code and in its prose, then passes; gpt-5-mini fails all three attempts.
 */
beforeAll(async () => {
  const task = miniTask();
  const hostileFiles = new Map(task.mutants.find((m) => m.name === 'no-swap')!.files);
  hostileFiles.set('src/lib.rs', `${hostileFiles.get('src/lib.rs')}// ${HOSTILE}\n`);
  const anthropic = await new MockLlmServer('anthropic').start();
  const openai = await new MockLlmServer('openai').start();
  servers.push(anthropic, openai);
  anthropic.script(
    { text: `Done. ${HOSTILE}\n\n${formatFiles(hostileFiles)}\n`, usage: { input: 1000, output: 600 } },
    { text: replyWith(task, 'reference'), usage: { input: 2000, output: 400 } },
  );
  openai.script(
    ...[1, 2, 3].map(() => ({ text: replyWith(task, 'no-swap'), usage: { input: 900, output: 300 } })),
  );
  ({ results, outDir } = await runMini([SONNET, MINI], {
    ANTHROPIC_API_KEY: 'k',
    ANTHROPIC_BASE_URL: anthropic.baseURL,
    OPENAI_API_KEY: 'k',
    OPENAI_BASE_URL: openai.baseURL,
  }));
}, 240_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe('a two-model run writes the figures, report.html and the cascade', () => {
  it('has every figure, the HTML report and a cascade section in report.md', () => {
    expect(results.trials.map((t) => [t.model, t.passedAtAttempt])).toEqual(
      expect.arrayContaining([
        [SONNET, 2],
        [MINI, null],
      ]),
    );
    for (const f of [...Object.values(FIGURE_FILES), HTML_REPORT_FILE])
      expect(existsSync(path.join(outDir, f)), f).toBe(true);
    const md = readFileSync(path.join(outDir, 'report.md'), 'utf8');
    expect(md).toContain('## Cascade: cheapest model first, failures escalated');
    expect(md).toContain(`| ${MINI} → ${SONNET}`);
    expect(md).toContain('## Latency');
  });

  it('report.html embeds the hostile reply only in escaped form: no closing script tag, no raw markup', () => {
    const html = readFileSync(path.join(outDir, HTML_REPORT_FILE), 'utf8');
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the data element's and the page script's own
    expect(html).not.toContain('onerror="window.__pwned');
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // nothing to fetch
    expect(statSync(path.join(outDir, HTML_REPORT_FILE)).size).toBeLessThan(1024 * 1024);
  });

  it('`aibench cascade` gives the same escalation from the results file', async () => {
    const out: string[] = [];
    const code = await main(
      ['cascade', path.join(outDir, 'results.json'), '--first', MINI, '--then', SONNET],
      { out: (l) => out.push(l), err: () => {}, tty: false },
    );
    expect(code).toBe(0);
    const mini = results.trials.find((t) => t.model === MINI)!.cost!;
    const sonnet = results.trials.find((t) => t.model === SONNET)!.cost!;
    expect(out.join('\n')).toContain(
      `${MINI} → ${SONNET}: 1/1 passed at $${(mini + sonnet).toFixed(4)}`.slice(0, 40),
    );
    expect(out.join('\n')).toContain('escalating 1 of 1 task(s)');
  });
});

describe.skipIf(!hasChromium())(`report.html in a real browser (${CHROMIUM})`, () => {
  it('opens with tables and figures, expands an attempt, runs no injected script, logs no error', async () => {
    const shots = tempDir('aibench-report-shots-');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('request', (r) => {
        if (!r.url().startsWith('file://')) problems.push(`network request: ${r.url()}`);
      });
      await page.goto(`file://${path.join(outDir, HTML_REPORT_FILE)}`);

      expect(await page.locator('#tables table').count()).toBeGreaterThanOrEqual(6);
      expect(await page.locator('#tables').innerText()).toContain('Summary (Table III)');
      expect(await page.locator('#figures figure svg').count()).toBe(Object.keys(FIGURE_FILES).length);
      expect(await page.locator('#figures').innerText()).toContain('Figure 2. Cost per passed task');
      expect(await page.locator('tr.trial').count()).toBe(2);

      // Filter to failures: only gpt-5-mini's trial is left.
      await page.selectOption('#filter-outcome', 'fail');
      expect(await page.locator('tr.trial').count()).toBe(1);
      await page.selectOption('#filter-outcome', '');
      await page.selectOption('#filter-model', SONNET);
      const row = page.locator('tr.trial');
      expect(await row.count()).toBe(1);
      await row.click();
      const drill = page.locator('.drill');
      await drill.waitFor();
      expect(await drill.locator('section.attempt').count()).toBe(2);
      const first = drill.locator('section.attempt[data-attempt="1"]');
      const text = await first.innerText();
      expect(text).toContain('failed: test');
      expect(text).toContain('bounds_in_either_order'); // failing test
      expect(text).toContain('Grader feedback sent for the next attempt');
      expect(text).toMatch(/Tokens\s+in 1000 · out 600/);
      expect(text).toMatch(/Isolation\s+\S+/);
      // The diff against the starter shows the hostile comment as text, in an added line.
      const added = await first.locator('pre.diff span.add').allInnerTexts();
      expect(added.join('')).toContain(HOSTILE);
      expect(await page.locator('#trials img').count()).toBe(0);
      // Evaluated in the page (this file's lib has no DOM types): the hostile script never set it.
      expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
      expect(problems).toEqual([]);

      const report = path.join(shots, 'report-html.png');
      await page.screenshot({ path: report, fullPage: true });
      const figure2 = path.join(shots, 'figure-2-cost-per-pass.png');
      await screenshotSvg(browser, path.join(outDir, FIGURE_FILES.costPerPass), figure2);
      expect(statSync(report).size).toBeGreaterThan(10_000);
      expect(statSync(figure2).size).toBeGreaterThan(2_000);
      console.info(`report.html screenshot: ${report}\nFigure 2 screenshot: ${figure2}`);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

if (!hasChromium())
  console.warn(`report-html browser test skipped: ${CHROMIUM} is absent (scripts/setup.sh installs it)`);

import { describe, expect, it } from 'vitest';
import { renderComment } from '../src/report/comment.js';
import { renderHtmlReport } from '../src/report/html/page.js';
import { latencyLine, latencyTable } from '../src/report/latency-section.js';
import { mermaidLabel, passRateMermaid, retryCurveMermaid } from '../src/report/mermaid.js';
import { renderSummary, type PublishView } from '../src/report/summary.js';
import { percentiles, trialWallMs } from '../src/results/latency.js';
import { syntheticResults } from './support/synthetic-results.js';

const view: PublishView = {
  gate: null,
  comparison: null,
  baselineNote: null,
  notes: [],
  links: { run: null, artifact: null, repo: null },
};

function run() {
  return syntheticResults([
    {
      model: 'a/cheap',
      task: 'react/x',
      outcomes: ['test', 'pass'],
      cost: 0.001,
      modelMs: [1000, 3000],
      gradeMs: [2000, 4000],
      outputTokens: 500,
    },
    {
      model: 'a/cheap',
      task: 'rust/y',
      outcomes: ['test', 'test', 'test'],
      cost: 0.001,
      modelMs: [2000, 2000, 2000],
    },
    { model: 'b/"strong"`x', task: 'react/x', outcomes: ['pass'], cost: 0.05, modelMs: [8000] },
    { model: 'b/"strong"`x', task: 'rust/y', outcomes: ['pass'], cost: 0.05, modelMs: [6000] },
  ]);
}

describe('latency', () => {
  it('p50 / p95 interpolate between values; nothing measured is null, not 0', () => {
    const p = percentiles([4, 1, 3, 2]);
    expect([p.p50, p.n]).toEqual([2.5, 4]);
    expect(p.p95).toBeCloseTo(3.85, 12);
    expect(percentiles([])).toEqual({ p50: null, p95: null, n: 0 });
  });

  it("a trial's wall time runs from its first request to its last verdict", () => {
    const [trial] = run().trials;
    // Attempt 2 starts 10 s after attempt 1, then takes 3 s of model time and 4 s of grading.
    expect(trialWallMs(trial!)).toBe(10_000 + 3000 + 4000);
  });

  it('table and summary line carry each model’s p50 / p95 and tokens per second', () => {
    const table = latencyTable(run());
    // a/cheap model times 1, 3, 2, 2, 2 s → p50 2 s, p95 2.8 s; 500 tokens over 1..3 s.
    expect(table).toMatch(/\| a\/cheap +\| +2\.00 s \/ 2\.80 s \|/);
    expect(table).toMatch(/\| +250 \/ 450 \|/);
    expect(latencyLine(run())).toContain('a/cheap 2.00 s model + 3.00 s grading');
  });
});

describe('mermaid charts for the job summary and PR comment', () => {
  it('Figure 1: a horizontal bar per model with its pass rate in %', () => {
    const chart = passRateMermaid(run());
    expect(chart).toMatch(/^```mermaid\n/);
    expect(chart).toContain('xychart-beta horizontal');
    expect(chart).toContain(`x-axis ["a/cheap", "b/'strong''x"]`);
    expect(chart).toContain('bar [50, 100]');
  });

  it('the retry curve: each model’s pass rate by attempt, with a caption naming line colours', () => {
    const chart = retryCurveMermaid(run());
    expect(chart).toContain('x-axis ["attempt 1", "attempt 2", "attempt 3"]');
    expect(chart).toContain('line [0, 50, 50]');
    expect(chart).toContain('line [100, 100, 100]');
    expect(chart).toContain('blue = a/cheap · orange = b/"strong"`x');
  });

  it('labels cannot end the string or the fence', () => {
    expect(mermaidLabel('x"y`z\n```')).toBe("x'y'z '''");
  });

  it('the summary shows both charts, the latency line, the cascade and names the artifact files; the comment the charts', () => {
    const results = run();
    const summary = renderSummary(results, view);
    expect(summary.match(/```mermaid/g)).toHaveLength(2);
    expect(summary).toContain('**Latency per attempt (p50):**');
    expect(summary).toContain('### Cascade: cheapest model first, failures escalated');
    expect(summary).toContain('`report.html`');
    expect(summary).toContain('`figure-2-cost-per-pass.svg`');
    const comment = renderComment(results, view, { marker: '<!-- m -->' });
    expect(comment.match(/```mermaid/g)).toHaveLength(2);
  });
});

describe('report.html tables from report.md', () => {
  it('text that reached the markdown from a model or an API stays text: no raw HTML, no script links, no images fetched', () => {
    const results = run();
    results.trials[0]!.attempts[0]!.suspect = [
      '[click](javascript:alert(1)) <b>bold</b> ![pixel](http://tracker.invalid/x.png)',
    ];
    const page = renderHtmlReport(results, []);
    // The markup part of the page (the embedded JSON holds the text too, as data for textContent).
    const html = page.slice(page.indexOf('<section id="tables">'), page.indexOf('<script'));
    const row = html.split('\n').find((l) => l.includes('click'))!;
    expect(row).toContain('click &lt;b&gt;bold&lt;/b&gt; pixel');
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('tracker.invalid');
    expect(page).toContain("script-src 'nonce-");
  });
});

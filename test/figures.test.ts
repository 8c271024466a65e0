import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { figureData } from '../src/report/figures/data.js';
import { wilsonInterval } from '../src/report/figures/interval.js';
import { FIGURE_FILES } from '../src/report/figures/names.js';
import { renderFigures, renderSvg, type Figure } from '../src/report/figures/render.js';
import { passRateSpec } from '../src/report/figures/specs.js';
import { latencyByModel } from '../src/results/latency.js';
import type { Results } from '../src/results/schema.js';
import { tempDir } from './support/run-helpers.js';
import { syntheticResults } from './support/synthetic-results.js';

/** An element of a parsed SVG: tag, attributes, children (text nodes as '#text'). */
interface Node {
  tag: string;
  attrs: Record<string, string>;
  children: Node[];
  text?: string;
}

function parseSvg(svg: string): Node {
  const raw = new XMLParser({ ignoreAttributes: false, preserveOrder: true, attributeNamePrefix: '' }).parse(
    svg,
  );
  const convert = (n: Record<string, unknown>): Node => {
    if ('#text' in n) return { tag: '#text', attrs: {}, children: [], text: String(n['#text']) };
    const tag = Object.keys(n).find((k) => k !== ':@')!;
    return {
      tag,
      attrs: (n[':@'] as Record<string, string>) ?? {},
      children: (n[tag] as Record<string, unknown>[]).map(convert),
    };
  };
  return { tag: 'root', attrs: {}, children: (raw as Record<string, unknown>[]).map(convert) };
}

function all(node: Node, match: (n: Node) => boolean, out: Node[] = []): Node[] {
  if (match(node)) out.push(node);
  for (const c of node.children) all(c, match, out);
  return out;
}
const textOf = (n: Node): string => (n.text ?? '') + n.children.map(textOf).join('');
const texts = (svg: Node): string[] => all(svg, (n) => n.tag === 'text').map(textOf);
const role = (svg: Node, r: string): Node[] => all(svg, (n) => n.attrs['aria-roledescription'] === r);
/** The width of a vega bar path `M x,y h W v H h -W Z`. */
const barWidth = (n: Node): number => Number(/h(-?[\d.]+)/.exec(n.attrs.d!)![1]);

const CHEAP = 'deepseek/deepseek-v4-flash-with-a-rather-long-model-name';
const STRONG = 'anthropic/claude-opus-4-5';

/**
 * Cheap: pass@1, pass@2, fail×3, pass@1 at $0.001 an attempt (7 attempts, $0.007, 3 passes).
 * Strong: pass@1, pass@1, pass@3, pass@1 at $0.05 an attempt (6 attempts, $0.30, 4 passes).
 */
function run(): Results {
  const f = 'test' as const;
  return syntheticResults([
    { model: CHEAP, task: 'react/a', outcomes: ['pass'], cost: 0.001, modelMs: [1000] },
    { model: CHEAP, task: 'react/b', outcomes: [f, 'pass'], cost: 0.001, modelMs: [1200, 1400] },
    { model: CHEAP, task: 'rust/c', outcomes: [f, f, f], cost: 0.001, modelMs: [900, 1100, 1300] },
    { model: CHEAP, task: 'rust/d', outcomes: ['pass'], cost: 0.001, modelMs: [800] },
    { model: STRONG, task: 'react/a', outcomes: ['pass'], cost: 0.05, modelMs: [9000] },
    { model: STRONG, task: 'react/b', outcomes: ['pass'], cost: 0.05, modelMs: [8000] },
    { model: STRONG, task: 'rust/c', outcomes: [f, f, 'pass'], cost: 0.05, modelMs: [7000, 7500, 9500] },
    { model: STRONG, task: 'rust/d', outcomes: ['pass'], cost: 0.05, modelMs: [8500] },
  ]);
}

let figures: Record<string, { fig: Figure; svg: Node }>;
beforeAll(async () => {
  const rendered = await renderFigures(run());
  figures = Object.fromEntries(rendered.map((f) => [f.key, { fig: f, svg: parseSvg(f.svg) }]));
}, 60_000);

describe('figures rendered from results.json (Vega-Lite, server-side SVG)', () => {
  it('Figure 1: one bar per model with its pass rate, label, whiskers at the interval, full model names', () => {
    const { svg } = figures.passRate!;
    const t = texts(svg);
    expect(t).toContain('Figure 1. Pass rate by model');
    expect(t).toContain('Pass rate (% of graded trials)');
    expect(t).toEqual(expect.arrayContaining([CHEAP, STRONG, '75% (3/4)', '100% (4/4)']));
    expect(t.some((s) => s.includes('…'))).toBe(false);
    const bars = role(svg, 'bar');
    expect(bars.map((b) => b.attrs['aria-label'])).toEqual([
      `rate: 75%; model: ${CHEAP}`,
      `rate: 100%; model: ${STRONG}`,
    ]);
    const [cheap, strong] = bars.map(barWidth);
    expect(cheap! / strong!).toBeCloseTo(0.75, 6);
    // Whiskers drawn at the interval: x from lo to hi, on the same scale as the bars.
    const whiskers = role(svg, 'errorbar');
    expect(whiskers).toHaveLength(2);
    const perUnit = strong!; // the 100% bar's width
    const lo = Number(/translate\(([\d.]+)/.exec(whiskers[0]!.attrs.transform!)![1]) / perUnit;
    const hi = lo + Number(whiskers[0]!.attrs.x2) / perUnit;
    const expected = wilsonInterval(3, 4)!;
    expect(lo).toBeCloseTo(expected.lo, 4);
    expect(hi).toBeCloseTo(expected.hi, 4);
  });

  it('Figure 1 without intervals draws no whiskers (the statistics module may supply none)', async () => {
    const data = figureData(run());
    data.passRate = data.passRate.map(({ lo: _lo, hi: _hi, ...p }) => p);
    const svg = parseSvg(await renderSvg(passRateSpec(data)));
    expect(role(svg, 'errorbar')).toHaveLength(0);
    expect(role(svg, 'bar')).toHaveLength(2);
    expect(texts(svg).join(' ')).not.toContain('Whiskers');
  });

  it('Figure 2: cost per pass on a log axis, cheapest first, values from the run', () => {
    const { svg } = figures.costPerPass!;
    const t = texts(svg);
    expect(t).toContain('Figure 2. Cost per passed task');
    expect(t).toContain('Cost per passed task (USD, log scale)');
    const axis = role(svg, 'axis').find((a) => a.attrs['aria-label']!.startsWith('X-axis'))!;
    expect(axis.attrs['aria-label']).toContain('log scale');
    // $0.007 ÷ 3 and $0.30 ÷ 4, failed attempts included.
    expect(t).toEqual(expect.arrayContaining(['$0.0023 ($0.0070 ÷ 3)', '$0.075 ($0.300 ÷ 4)']));
    const bars = role(svg, 'bar');
    expect(bars.map((b) => b.attrs['aria-label']!.split('model: ')[1])).toEqual([CHEAP, STRONG]);
    // Bars start at the axis' left end ($0.001): widths are proportional to log10(value / 0.001).
    const [a, b] = bars.map(barWidth);
    expect(a! / b!).toBeCloseTo(Math.log10(0.007 / 3 / 0.001) / Math.log10(0.3 / 4 / 0.001), 4);
  });

  it('Figure 3: single attempt vs within 3 attempts per model, in shades that stay apart in greyscale', () => {
    const { svg } = figures.retries!;
    const t = texts(svg);
    expect(t).toEqual(
      expect.arrayContaining(['Single attempt', 'Within 3 attempts', '50% (2/4)', '75% (3/4)', '100% (4/4)']),
    );
    const bars = role(svg, 'bar');
    expect(bars).toHaveLength(4);
    const width = Object.fromEntries(bars.map((b) => [b.attrs['aria-label'], barWidth(b)]));
    const key = (model: string, condition: string) =>
      Object.keys(width).find((k) => k.includes(model) && k.includes(condition))!;
    expect(width[key(CHEAP, 'Single')]! / width[key(STRONG, 'Within')]!).toBeCloseTo(0.5, 6);
    expect(width[key(STRONG, 'Single')]! / width[key(STRONG, 'Within')]!).toBeCloseTo(0.75, 6);
    const fills = [...new Set(bars.map((b) => b.attrs.fill!))];
    expect(fills).toHaveLength(2);
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    expect(Math.abs(luminance(fills[0]!) - luminance(fills[1]!))).toBeGreaterThan(0.25);
    expect(role(svg, 'errorbar')).toHaveLength(4);
  });

  it('Figure 4: each model a line through attempts 1..3 at its cumulative cost per trial', () => {
    const { svg } = figures.attemptCurve!;
    expect(role(svg, 'line mark')).toHaveLength(2);
    const points = role(svg, 'point').map((p) => p.attrs['aria-label']!);
    expect(points).toHaveLength(6);
    // Cheap: by attempt 1, 2 of 4 passed at $0.001 per trial; by attempt 2, 3 of 4 at $0.0015; by 3, $0.00175.
    expect(points).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`cumulativeCost: \\$0\\.001; rate: 50%; model: ${CHEAP}`)),
        expect.stringMatching(new RegExp(`cumulativeCost: \\$0\\.0015; rate: 75%; model: ${CHEAP}`)),
        expect.stringMatching(new RegExp(`cumulativeCost: \\$0\\.00175; rate: 75%; model: ${CHEAP}`)),
        expect.stringMatching(new RegExp(`cumulativeCost: \\$0\\.075; rate: 100%; model: ${STRONG}`)),
      ]),
    );
    const dashes = new Set(role(svg, 'line mark').map((l) => l.attrs['stroke-dasharray']));
    expect(dashes.size).toBe(2); // lines differ by dash as well as colour
    expect(texts(svg)).toContain('Cumulative cost per trial (USD, log scale)');
  });

  it('Figure 5: p50/p95 of model and grading time per model, and every graded attempt', () => {
    const { svg } = figures.latency!;
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['Model time (s)', 'Grading time (s)', 'Seconds (p50 → p95)']));
    const results = run();
    expect(
      role(svg, 'point').filter((p) => p.attrs['aria-label']!.startsWith('Model time (s)')),
    ).toHaveLength(13);
    const [cheap] = latencyByModel(results);
    expect(cheap!.modelMs.p50).toBe(1100); // median of 1000, 1200, 1400, 900, 1100, 1300, 800
    const p50Dots = role(svg, 'point').filter((p) => p.attrs['aria-label']!.startsWith('p50'));
    expect(p50Dots.map((p) => p.attrs['aria-label'])).toContain(
      `p50: 1.1; model: ${CHEAP}; phase: model; Time per attempt: model`,
    );
  });

  it('`aibench report <results.json>` regenerates the same figures and report.html beside it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'results.json');
    writeFileSync(file, JSON.stringify(run()));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['report', file], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      tty: false,
    });
    expect(code).toBe(0);
    expect(out.join('\n')).toContain(
      '![Figure 2. Cost per passed task (log scale)](figure-2-cost-per-pass.svg)',
    );
    for (const f of Object.values(FIGURE_FILES)) expect(existsSync(path.join(dir, f))).toBe(true);
    expect(readFileSync(path.join(dir, FIGURE_FILES.passRate), 'utf8')).toBe(figures.passRate!.fig.svg);
    expect(existsSync(path.join(dir, 'report.html'))).toBe(true);
  });
});

import type { TopLevelSpec } from 'vega-lite';
import { usd } from '../format.js';
import type { FigureData } from './data.js';

/**
 * Okabe–Ito colours (safe for the common colour-vision deficiencies). Figures never rely on hue alone:
 * bars are labelled on the axis, conditions differ in lightness, and lines differ in shape and dash too.
 */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#000000',
  '#F0E442',
];
const DARK = '#0072B2';
const LIGHT = '#9BCBEB';
const SHAPES = [
  'circle',
  'square',
  'triangle-up',
  'diamond',
  'cross',
  'triangle-down',
  'triangle-right',
  'wedge',
];
const DASHES = [
  [1, 0],
  [6, 3],
  [2, 2],
  [8, 3, 2, 3],
  [4, 4],
  [1, 3],
  [10, 2],
  [3, 6],
];
const WIDTH = 440;

const config = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  background: 'white',
  padding: 12,
  title: { anchor: 'start', fontSize: 15, subtitleFontSize: 11, subtitleColor: '#333', offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0, titleColor: '#111', labelColor: '#111' },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 0, orient: 'top' },
} as const;

function subtitle(lines: (string | false)[], omitted: string[]): string[] {
  const out = lines.filter((l): l is string => !!l);
  if (omitted.length) out.push(`Not shown: ${omitted.join(', ')}`);
  return out;
}

const pct = (r: number): string => `${Math.round(r * 100)}%`;

/** Bars by model with optional interval whiskers and a value label past the bar's end. */
function rateLayers(yField: string, extra: Record<string, unknown> = {}, barColor?: unknown) {
  const y = { field: yField, type: 'nominal', sort: null, title: null };
  return [
    {
      mark: { type: 'bar', ...(typeof barColor === 'string' ? { color: barColor } : {}) },
      encoding: { y, ...extra, ...(typeof barColor === 'object' ? { color: barColor } : {}) },
    },
    {
      transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
      mark: { type: 'errorbar', ticks: { size: 6 }, color: '#000', thickness: 1.2 },
      encoding: {
        y,
        ...extra,
        x: { field: 'lo', type: 'quantitative' },
        x2: { field: 'hi' },
      },
    },
    {
      mark: { type: 'text', align: 'left', dx: 5, fontSize: 11, color: '#111' },
      encoding: {
        y,
        ...extra,
        x: { field: 'labelAt', type: 'quantitative' },
        text: { field: 'label' },
      },
    },
  ];
}

const rateAxis = {
  field: 'rate',
  type: 'quantitative',
  scale: { domain: [0, 1.25], clamp: true },
  axis: { format: '.0%', title: 'Pass rate (% of graded trials)', values: [0, 0.25, 0.5, 0.75, 1] },
} as const;

/** Figure 1: pass rate by model, in run order. */
export function passRateSpec(d: FigureData): TopLevelSpec {
  const values = d.passRate.map((p) => ({
    ...p,
    label: `${pct(p.rate)} (${p.passes}/${p.graded})`,
    labelAt: Math.max(p.rate, p.hi ?? 0),
  }));
  return {
    config,
    title: {
      text: 'Figure 1. Pass rate by model',
      subtitle: subtitle(
        [
          `Trials passed within ${d.attempts} attempt(s) ÷ graded trials`,
          values.some((v) => v.lo !== undefined) && 'Whiskers: 95% interval',
        ],
        d.omitted.passRate,
      ),
    },
    width: WIDTH,
    height: { step: 30 },
    data: { values },
    encoding: { x: rateAxis },
    layer: rateLayers('model', {}, DARK),
  } as TopLevelSpec;
}

/** Figure 2: cost per passed task, cheapest first, on a log axis. */
export function costPerPassSpec(d: FigureData): TopLevelSpec {
  const values = [...d.costPerPass]
    .sort((a, b) => a.costPerPass - b.costPerPass)
    .map((p) => ({ ...p, label: `${usd(p.costPerPass)} (${usd(p.cost)} ÷ ${p.passes})` }));
  const min = Math.min(...values.map((v) => v.costPerPass));
  const max = Math.max(...values.map((v) => v.costPerPass));
  const domain = values.length
    ? [10 ** Math.floor(Math.log10(min)), 10 ** Math.ceil(Math.log10(max) + 0.6)]
    : [0.001, 1];
  return {
    config,
    title: {
      text: 'Figure 2. Cost per passed task',
      subtitle: subtitle(
        ['Total cost (failed attempts included) ÷ tasks passed; log scale'],
        d.omitted.costPerPass,
      ),
    },
    width: WIDTH,
    height: { step: 30 },
    data: { values },
    encoding: {
      y: { field: 'model', type: 'nominal', sort: null, title: null },
      x: {
        field: 'costPerPass',
        type: 'quantitative',
        scale: { type: 'log', domain },
        axis: { title: 'Cost per passed task (USD, log scale)', format: '$~g', tickCount: 6 },
      },
    },
    layer: [
      // On a log axis a bar has no zero to start from: it starts at the axis' left end.
      { mark: { type: 'bar', color: DARK }, encoding: { x2: { datum: domain[0] } } },
      {
        mark: { type: 'text', align: 'left', dx: 5, fontSize: 11, color: '#111' },
        encoding: { text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
}

/** Figure 3: single-attempt pass rate against the pass rate within N attempts, per model. */
export function retriesSpec(d: FigureData): TopLevelSpec {
  const values = d.retries.map((p) => ({
    ...p,
    label: `${pct(p.rate)} (${p.passes}/${p.graded})`,
    labelAt: Math.max(p.rate, p.hi ?? 0),
  }));
  const conditions = [...new Set(values.map((v) => v.condition))];
  const yOffset = { yOffset: { field: 'condition', type: 'nominal', sort: conditions } };
  return {
    config,
    title: {
      text: 'Figure 3. Pass rate with and without retries',
      subtitle: subtitle(
        [
          'Same run: passed on attempt 1 vs passed after grader feedback',
          values.some((v) => v.lo !== undefined) && 'Whiskers: 95% interval',
        ],
        d.omitted.passRate,
      ),
    },
    width: WIDTH,
    height: { step: 22 },
    data: { values },
    encoding: { x: rateAxis },
    layer: rateLayers('model', yOffset, {
      field: 'condition',
      type: 'nominal',
      sort: conditions,
      scale: { domain: conditions, range: [LIGHT, DARK] },
      legend: { title: null },
    }),
  } as TopLevelSpec;
}

function modelStyle(models: string[], orient = 'top') {
  const scale = (range: unknown[]) => ({ domain: models, range: range.slice(0, Math.max(1, models.length)) });
  const legend = { orient, direction: 'vertical' };
  return {
    color: { field: 'model', type: 'nominal', title: null, scale: scale(PALETTE), legend },
    shape: { field: 'model', type: 'nominal', title: null, scale: scale(SHAPES), legend },
  };
}

/** Figure 4: each model's pass rate against its mean cumulative cost per task, through attempts 1..N. */
export function attemptCurveSpec(d: FigureData): TopLevelSpec {
  const models = [...new Set(d.attemptCurve.map((p) => p.model))];
  const values = d.attemptCurve.map((p) => ({ ...p, label: `#${p.attempt}` }));
  const positive = values.length > 0 && values.every((v) => v.cumulativeCost > 0);
  const style = modelStyle(models);
  return {
    config,
    title: {
      text: 'Figure 4. Pass rate vs cumulative cost, by attempt',
      subtitle: subtitle(
        [
          'Each point #k: share of trials passed by attempt k, and mean spend per trial on attempts 1..k',
          positive ? 'Cost axis: log scale' : 'Cost axis: linear (a model cost $0)',
        ],
        d.omitted.attemptCurve,
      ),
    },
    width: WIDTH,
    height: 260,
    data: { values },
    encoding: {
      x: {
        field: 'cumulativeCost',
        type: 'quantitative',
        scale: positive ? { type: 'log' } : { zero: true },
        axis: { title: `Cumulative cost per trial (USD${positive ? ', log scale' : ''})`, format: '$~g' },
      },
      y: {
        field: 'rate',
        type: 'quantitative',
        scale: { domain: [0, 1] },
        axis: { format: '.0%', title: 'Pass rate (% of graded trials)' },
      },
    },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          color: style.color,
          strokeDash: {
            field: 'model',
            type: 'nominal',
            title: null,
            scale: { domain: models, range: DASHES.slice(0, Math.max(1, models.length)) },
            legend: { orient: 'top', direction: 'vertical' },
          },
          order: { field: 'attempt' },
        },
      },
      { mark: { type: 'point', filled: true, size: 70, opacity: 1 }, encoding: style },
      {
        mark: { type: 'text', dx: 8, dy: -8, fontSize: 10, color: '#111' },
        encoding: { text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
}

/** Figure 5: p50 and p95 of model and grading time per attempt, per model; and every attempt's pair. */
export function latencySpec(d: FigureData): TopLevelSpec {
  const phases = ['model', 'grading'];
  const phaseColor = {
    field: 'phase',
    type: 'nominal',
    title: 'Time per attempt',
    sort: phases,
    scale: { domain: phases, range: [DARK, PALETTE[5]] },
  };
  const y = { field: 'model', type: 'nominal', sort: null, title: null };
  const ranges = d.latency
    .filter((l) => l.stat === 'p50')
    .map((l) => ({
      model: l.model,
      phase: l.phase,
      p50: l.seconds,
      p95: d.latency.find((x) => x.model === l.model && x.phase === l.phase && x.stat === 'p95')!.seconds,
    }));
  const models = [...new Set(d.timings.map((t) => t.model))];
  return {
    config,
    title: {
      text: 'Figure 5. Latency per attempt',
      subtitle: subtitle(
        ['Left: p50 (dot) to p95 (bar end) per model · Right: every graded attempt'],
        d.omitted.latency,
      ),
    },
    hconcat: [
      {
        width: 300,
        height: { step: 22 },
        data: { values: ranges },
        encoding: { y, yOffset: { field: 'phase', type: 'nominal', sort: phases } },
        layer: [
          {
            mark: { type: 'bar', height: 6, opacity: 0.45 },
            encoding: {
              x: { field: 'p50', type: 'quantitative', title: 'Seconds (p50 → p95)', scale: { zero: true } },
              x2: { field: 'p95' },
              color: phaseColor,
            },
          },
          {
            mark: { type: 'point', filled: true, size: 60, opacity: 1 },
            encoding: {
              x: { field: 'p50', type: 'quantitative' },
              color: phaseColor,
              shape: { value: 'circle' },
            },
          },
          {
            mark: { type: 'tick', thickness: 2, size: 12 },
            encoding: { x: { field: 'p95', type: 'quantitative' }, color: phaseColor },
          },
        ],
      },
      {
        width: 240,
        height: 200,
        data: { values: d.timings },
        mark: { type: 'point', filled: true, opacity: 0.8, size: 40 },
        encoding: {
          x: { field: 'modelSeconds', type: 'quantitative', title: 'Model time (s)' },
          y: { field: 'gradeSeconds', type: 'quantitative', title: 'Grading time (s)' },
          ...modelStyle(models, 'right'),
        },
      },
    ],
    resolve: { scale: { color: 'independent', shape: 'independent' }, legend: { color: 'independent' } },
  } as TopLevelSpec;
}

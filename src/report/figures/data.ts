import { summarizeModels } from '../../results/aggregate.js';
import { gradedAttempts, latencyByModel } from '../../results/latency.js';
import type { Results, TrialRecord } from '../../results/schema.js';
import { wilsonInterval, type Interval } from './interval.js';

/** A pass rate with its counts and, when known, an interval (whiskers are drawn only when present). */
export interface RatePoint extends Partial<Interval> {
  model: string;
  rate: number;
  passes: number;
  graded: number;
}

export interface RetryPoint extends RatePoint {
  condition: string;
}

export interface CostPoint {
  model: string;
  costPerPass: number;
  passes: number;
  cost: number;
}

export interface AttemptCurvePoint {
  model: string;
  attempt: number;
  /** Share of graded trials passed at or before this attempt. */
  rate: number;
  /** Mean USD per graded trial spent on attempts up to and including this one. */
  cumulativeCost: number;
}

export interface LatencyPoint {
  model: string;
  phase: 'model' | 'grading';
  stat: 'p50' | 'p95';
  seconds: number;
}

export interface AttemptTiming {
  model: string;
  modelSeconds: number;
  gradeSeconds: number;
}

/** Everything the figures draw, derived from results.json alone, plus what had to be left out and why. */
export interface FigureData {
  attempts: number;
  passRate: RatePoint[];
  costPerPass: CostPoint[];
  retries: RetryPoint[];
  attemptCurve: AttemptCurvePoint[];
  latency: LatencyPoint[];
  timings: AttemptTiming[];
  /** Per figure, the models not drawn and why (no graded trial, no pass, unknown price, $0). */
  omitted: { passRate: string[]; costPerPass: string[]; attemptCurve: string[]; latency: string[] };
}

function isGraded(t: TrialRecord): boolean {
  return t.outcome !== 'infra' && !(t.stoppedBy && !t.passed);
}

function withInterval<T extends { passes: number; graded: number }>(p: T): T & Partial<Interval> {
  const i = wilsonInterval(p.passes, p.graded);
  return i ? { ...p, ...i } : p;
}

function attemptCurve(results: Results, model: string): AttemptCurvePoint[] | null {
  const trials = results.trials.filter((t) => t.model === model && isGraded(t));
  if (!trials.length) return null;
  const points: AttemptCurvePoint[] = [];
  for (let k = 1; k <= results.config.attempts; k++) {
    const costs = trials.flatMap((t) => t.attempts.filter((a) => a.n <= k).map((a) => a.cost));
    if (costs.some((c) => c === null)) return null;
    const spent = (costs as number[]).reduce((s, c) => s + c, 0);
    points.push({
      model,
      attempt: k,
      rate: trials.filter((t) => t.passedAtAttempt !== null && t.passedAtAttempt <= k).length / trials.length,
      cumulativeCost: spent / trials.length,
    });
  }
  return points;
}

/** The figures' data from one run's results. */
export function figureData(results: Results): FigureData {
  const models = summarizeModels(results);
  const attempts = results.config.attempts;
  const omitted: FigureData['omitted'] = { passRate: [], costPerPass: [], attemptCurve: [], latency: [] };
  const rated = models.filter((m) => m.graded > 0);
  for (const m of models) if (!m.graded) omitted.passRate.push(`${m.model} (no graded trial)`);

  const costPerPass: CostPoint[] = [];
  for (const m of models) {
    if (m.cost === null) omitted.costPerPass.push(`${m.model} (no known price)`);
    else if (!m.passes) omitted.costPerPass.push(`${m.model} (no pass)`);
    // A log axis cannot show $0 (the reference solutions, a free local model): say so instead.
    else if (m.cost === 0) omitted.costPerPass.push(`${m.model} ($0)`);
    else costPerPass.push({ model: m.model, costPerPass: m.cost / m.passes, passes: m.passes, cost: m.cost });
  }

  const curve: AttemptCurvePoint[] = [];
  for (const m of rated) {
    const points = attemptCurve(results, m.model);
    if (points) curve.push(...points);
    else omitted.attemptCurve.push(`${m.model} (no known price)`);
  }

  const latency: LatencyPoint[] = [];
  for (const l of latencyByModel(results)) {
    if (!l.modelMs.n) {
      omitted.latency.push(`${l.model} (no graded attempt)`);
      continue;
    }
    for (const [phase, p] of [
      ['model', l.modelMs],
      ['grading', l.gradeMs],
    ] as const) {
      latency.push({ model: l.model, phase, stat: 'p50', seconds: p.p50! / 1000 });
      latency.push({ model: l.model, phase, stat: 'p95', seconds: p.p95! / 1000 });
    }
  }

  return {
    attempts,
    passRate: rated.map((m) =>
      withInterval({ model: m.model, rate: m.passes / m.graded, passes: m.passes, graded: m.graded }),
    ),
    costPerPass,
    retries: rated.flatMap((m) => [
      withInterval({
        model: m.model,
        condition: 'Single attempt',
        rate: m.passesAtFirstAttempt / m.graded,
        passes: m.passesAtFirstAttempt,
        graded: m.graded,
      }),
      withInterval({
        model: m.model,
        condition: `Within ${attempts} attempts`,
        rate: m.passes / m.graded,
        passes: m.passes,
        graded: m.graded,
      }),
    ]),
    attemptCurve: curve,
    latency,
    timings: results.trials.flatMap((t) =>
      gradedAttempts(t).map((a) => ({
        model: t.model,
        modelSeconds: a.modelMs / 1000,
        gradeSeconds: a.gradeMs / 1000,
      })),
    ),
    omitted,
  };
}

import { UsageError } from '../errors.js';
import { runTotals } from '../results/aggregate.js';
import type { Comparison } from '../results/baseline.js';
import type { Results } from '../results/schema.js';
import { runPassRate } from '../results/stats/model-stats.js';
import { percent, pointsChange, differenceCi, usd } from '../report/format.js';
import type { GateView } from '../report/summary.js';
import { INPUT } from './names.js';

/**
 * `fail-on-regression` modes. `any-flip`: any task that passed in the baseline passes less often now
 * (noisy: with one trial per task a model that changed nothing flips tasks). `significant`: a model's
 * paired interval lies wholly below zero (McNemar's exact test must agree with one trial). `non-inferior`:
 * fails unless every model's interval lies above −margin, i.e. the run shows no drop bigger than the margin.
 * `true` means `significant`.
 */
export type RegressionMode =
  { kind: 'off' } | { kind: 'any-flip' } | { kind: 'significant' } | { kind: 'non-inferior'; margin: number };

/** `min-pass-rate`: the threshold, and whether the point estimate or the interval's lower bound must reach it. */
export interface MinPassRate {
  rate: number;
  on: 'estimate' | 'lower-bound';
}

export interface GateSettings {
  minPassRate: MinPassRate | null;
  failOnRegression: RegressionMode;
  maxCost: number | null;
}

const MODES =
  'false, true (= significant), any-flip, significant, or non-inferior:<margin> (e.g. non-inferior:5%)';

/** `0.8` or `80%` → 0.8; null when it is not a rate. */
function rateFrom(text: string): number | null {
  const pct = text.endsWith('%');
  const n = Number(pct ? text.slice(0, -1) : text);
  const rate = pct ? n / 100 : n;
  return text && Number.isFinite(n) && rate >= 0 && rate <= 1 ? rate : null;
}

/** Parses `fail-on-regression` (or the CLI's `--regression-mode`: `label`); errors name it and list the modes. */
export function parseRegressionMode(
  value: string,
  label = `input "${INPUT.failOnRegression}"`,
): RegressionMode {
  const v = value.trim();
  if (['false', 'False', 'FALSE', ''].includes(v)) return { kind: 'off' };
  if (['true', 'True', 'TRUE', 'significant'].includes(v)) return { kind: 'significant' };
  if (v === 'any-flip') return { kind: 'any-flip' };
  const m = /^non-inferior:\s*(.+)$/.exec(v);
  if (m) {
    const margin = rateFrom(m[1]!.trim());
    if (margin !== null && margin > 0 && margin < 1) return { kind: 'non-inferior', margin };
    throw new UsageError(
      `${label}: "${value}" has no usable margin; write it as a drop in pass rate, e.g. non-inferior:5% or non-inferior:0.05`,
    );
  }
  throw new UsageError(`${label}: "${value}" is not one of ${MODES}`);
}

/** Parses `min-pass-rate`: `80%`, `0.8`, or either followed by `lower-bound`; empty → null. */
export function parseMinPassRate(value: string): MinPassRate | null {
  const [rateText = '', on = 'estimate', ...rest] = value.trim().split(/\s+/);
  if (!rateText) return null;
  const rate = rateFrom(rateText);
  if (rate === null)
    throw new UsageError(
      `input "${INPUT.minPassRate}": "${value}" is not a pass rate; write a fraction from 0 to 1 (0.8) or a percentage (80%), optionally followed by lower-bound`,
    );
  if (rest.length || (on !== 'estimate' && on !== 'lower-bound'))
    throw new UsageError(
      `input "${INPUT.minPassRate}": "${value}": after the rate write nothing or lower-bound (gate on the 95% interval's lower end)`,
    );
  return { rate, on };
}

/** The human name of a mode, as the gate's messages use it. */
export function describeMode(mode: RegressionMode): string {
  return mode.kind === 'non-inferior' ? `non-inferior:${Math.round(mode.margin * 1000) / 10}%` : mode.kind;
}

/** The `fail-on-regression` check for a mode (also what `aibench compare --fail-on-regression` exits on). */
export function regressionCheck(
  comparison: Comparison | null,
  mode: RegressionMode,
): GateView['checks'][number] {
  const name = INPUT.failOnRegression;
  if (!comparison) return { name, ok: true, detail: 'no baseline to compare with yet' };
  const stats = comparison.statistics;
  const mde =
    stats.minDetectableDrop === null
      ? ''
      : ` (a comparison of this size detects drops from about ${Math.ceil(stats.minDetectableDrop * 100)} points)`;
  const compared = stats.models.filter((m) => m.paired);
  if (mode.kind === 'any-flip') {
    const n = comparison.regressions.length;
    const which = comparison.regressions
      .slice(0, 5)
      .map((r) => `${r.model} ${r.task}`)
      .join(', ');
    return {
      name,
      ok: n === 0,
      detail: n
        ? `${n} task(s) regressed vs the baseline: ${which}${n > 5 ? ', …' : ''}`
        : 'no regression vs the baseline',
    };
  }
  if (!compared.length)
    return { name, ok: true, detail: 'no task was graded in both runs: nothing to compare' };
  if (mode.kind === 'significant') {
    const bad = compared.filter((m) => m.paired!.verdict === 'regressed');
    if (bad.length)
      return {
        name,
        ok: false,
        detail: `${bad.map((m) => `${m.model} regressed: pass rate ${differenceCi(m.paired!.difference)} over ${m.paired!.tasks} task(s)`).join('; ')}`,
      };
    const worst = [...compared].sort(
      (a, b) => a.paired!.difference.estimate - b.paired!.difference.estimate,
    )[0]!;
    return {
      name,
      ok: true,
      detail: `no detectable regression (largest change: ${worst.model} ${differenceCi(worst.paired!.difference)})${mde}`,
    };
  }
  if (mode.kind === 'off') return { name, ok: true, detail: 'off' };
  const margin = mode.margin;
  const bad = compared.filter((m) => !(m.paired!.difference.low > -margin));
  if (bad.length)
    return {
      name,
      ok: false,
      detail: `a drop of more than ${pointsChange(-margin).slice(1)} is not ruled out for ${bad.map((m) => `${m.model} (${differenceCi(m.paired!.difference)})`).join(', ')}${mde}`,
    };
  return { name, ok: true, detail: `every model within ${pointsChange(-margin).slice(1)} of the baseline` };
}

/**
 * Decides whether the step fails. Computed before publishing, so the summary and the comment say why,
 * and applied after. Trials ended by API faults never count as failures; but when they dominate the run
 * the pass rate would mislead, so the gate refuses to pass on it.
 */
export function evaluateGate(
  results: Results,
  comparison: Comparison | null,
  gate: GateSettings,
  fatal?: string,
): GateView {
  const t = runTotals(results);
  const checks: GateView['checks'] = [];
  if (fatal || results.status === 'aborted') {
    checks.push({ name: 'run', ok: false, detail: `the run was aborted: ${fatal ?? 'see the warnings'}` });
  }
  if (t.infraDominated) {
    checks.push({
      name: 'infra',
      ok: false,
      detail: `API faults ended ${t.infra} of ${t.trials} trials (not counted as model failures); re-run when the provider recovers`,
    });
  }
  if (gate.minPassRate !== null) {
    const { rate: min, on } = gate.minPassRate;
    const iv = runPassRate(results);
    const value = on === 'lower-bound' ? (iv?.low ?? null) : t.passRate;
    const ok = value !== null && value >= min;
    const what =
      on === 'lower-bound' && iv
        ? `the pass rate's 95% lower bound ${percent(iv.low)} (pass rate ${percent(t.passRate)}, ${t.passes}/${t.graded})`
        : `pass rate ${percent(t.passRate)} (${t.passes}/${t.graded})`;
    checks.push({
      name: INPUT.minPassRate,
      ok,
      detail:
        value === null
          ? 'no trial was graded'
          : `${what} ${ok ? '≥' : 'is below'} ${INPUT.minPassRate} ${percent(min)}`,
    });
  }
  if (gate.failOnRegression.kind !== 'off') checks.push(regressionCheck(comparison, gate.failOnRegression));
  const cap = gate.maxCost ?? results.config.maxCost;
  if (cap !== null || results.status === 'budget-exhausted') {
    // The budget stops new requests once spend reaches the cap, cutting attempts or whole trials: either way
    // the run did not measure everything it was asked to, so the gate fails.
    const reached =
      results.status === 'budget-exhausted' || (cap !== null && t.cost !== null && t.cost >= cap);
    checks.push({
      name: INPUT.maxCost,
      ok: !reached,
      detail: reached
        ? `${INPUT.maxCost} ${usd(cap)} was reached (spent ${usd(t.cost)}): attempts or trials were cut short`
        : `spent ${usd(t.cost)} of ${usd(cap)}`,
    });
  }
  return { failed: checks.some((c) => !c.ok), checks };
}

/**
 * Why this run must not become the baseline, or null when it may. Only a complete run of every requested
 * model whose gate passed may: a baseline that failed its own gate (a regression, a pass rate below the
 * bar, a cut budget, API faults) would make the next PR look good against a bad reference.
 */
export function baselineSaveBlocker(
  results: Pick<Results, 'status'>,
  gate: GateView,
  partial: boolean,
): string | null {
  if (partial) return 'models: some models were skipped for want of an API key';
  const failed = gate.checks.find((c) => !c.ok);
  if (failed) return `the gate failed (${failed.name}: ${failed.detail})`;
  if (results.status !== 'complete') return `the run ended ${results.status}`;
  return null;
}

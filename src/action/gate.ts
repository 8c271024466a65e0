import { runTotals } from '../results/aggregate.js';
import type { Comparison } from '../results/baseline.js';
import type { Results } from '../results/schema.js';
import { percent, usd } from '../report/format.js';
import type { GateView } from '../report/summary.js';
import { INPUT } from './names.js';

export interface GateSettings {
  minPassRate: number | null;
  failOnRegression: boolean;
  maxCost: number | null;
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
    const ok = t.passRate !== null && t.passRate >= gate.minPassRate;
    const detail =
      t.passRate === null
        ? 'no trial was graded'
        : `pass rate ${percent(t.passRate)} (${t.passes}/${t.graded})`;
    checks.push({
      name: INPUT.minPassRate,
      ok,
      detail: `${detail} ${ok ? '≥' : 'is below'} ${INPUT.minPassRate} ${percent(gate.minPassRate)}`,
    });
  }
  if (gate.failOnRegression) {
    const n = comparison?.regressions.length ?? 0;
    const which = comparison?.regressions
      .slice(0, 5)
      .map((r) => `${r.model} ${r.task}`)
      .join(', ');
    checks.push({
      name: INPUT.failOnRegression,
      ok: n === 0,
      detail: !comparison
        ? 'no baseline to compare with yet'
        : n
          ? `${n} task(s) regressed vs the baseline: ${which}${n > 5 ? ', …' : ''}`
          : 'no regression vs the baseline',
    });
  }
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

import { sumCosts } from '../models/prices.js';
import type { Outcome, Results, TrialRecord } from './schema.js';
import { compareRunsStatistically, type RunVerdict } from './stats/run-comparison.js';

/** Where a baseline came from: stored beside the baseline's results.json by the run that saved it. */
export interface BaselineMeta {
  /** The commit the baseline run benchmarked (GITHUB_SHA), when known. */
  commit: string | null;
  ref: string | null;
  runUrl: string | null;
  savedAt: string;
}

/** One side of a (model, task) pair: its graded trials (infra-ended ones excluded) and what they cost. */
export interface PairSide {
  passes: number;
  graded: number;
  /** The last trial's outcome: what a one-trial run shows in its detail table. */
  outcome: Outcome;
  cost: number | null;
}

/** A (model, task) whose result changed between the baseline and this run. */
export interface TaskFlip {
  model: string;
  task: string;
  base: PairSide;
  head: PairSide;
  /** The task's files changed since the baseline: the flip may come from the task edit, not the model. */
  taskChanged: boolean;
}

export interface Delta {
  base: number | null;
  head: number | null;
  /** head − base; null when either side is unknown. */
  delta: number | null;
}

export interface ModelComparison {
  model: string;
  /** (model, task) pairs graded in both runs. */
  compared: number;
  passRate: Delta;
  cost: Delta;
  regressions: number;
  fixes: number;
}

export interface Comparison {
  baseline: {
    runId: string;
    commit: string | null;
    ref: string | null;
    runUrl: string | null;
    startedAt: string;
    /** Days between the baseline run and `now` (fractional); null when its date cannot be read. */
    ageDays: number | null;
  };
  /** (model, task) pairs graded in both runs: the only ones deltas and flips are computed over. */
  compared: number;
  regressions: TaskFlip[];
  fixes: TaskFlip[];
  /** Pairs present in one run only (`model task`). */
  onlyInHead: string[];
  onlyInBase: string[];
  /** Pairs present in both but ended by API faults on one side: not comparable, never a regression. */
  notComparable: string[];
  passRate: Delta & { basePasses: number; headPasses: number; baseGraded: number; headGraded: number };
  cost: Delta;
  models: ModelComparison[];
  stale: boolean;
  /**
   * Rows whose prompt (system prompt + templates) differs from the baseline's: the change under test in a
   * prompt PR, stated at the top of the comparison, never a warning.
   */
  promptChanges: PromptChange[];
  /** Reasons the comparison may mislead: stale baseline, changed tasks, prices, prompt, settings. */
  warnings: string[];
  /** Paired per-model verdicts with intervals (what the verdict line and the gate read). */
  statistics: RunVerdict;
}

export interface PromptChange {
  model: string;
  base: string;
  head: string;
}

/** The prompt hash of each row; results written before per-row hashes fall back to the run's own. */
function promptHashes(results: Results): Map<string, string> {
  return new Map(results.models.map((m) => [m.name, m.prompt?.hash ?? results.fingerprints.prompt]));
}

/** Rows present in both runs whose prompt hash differs. */
export function promptChanges(head: Results, base: Results): PromptChange[] {
  const before = promptHashes(base);
  return [...promptHashes(head)]
    .filter(([model, hash]) => before.has(model) && before.get(model) !== hash)
    .map(([model, hash]) => ({ model, base: before.get(model)!, head: hash }));
}

export interface CompareOptions {
  meta?: BaselineMeta | null;
  now?: Date;
  /** A baseline older than this is flagged stale (default 7 days). */
  staleAfterDays?: number;
}

const DAY_MS = 86_400_000;

function side(trials: TrialRecord[]): PairSide {
  const graded = trials.filter((t) => t.outcome !== 'infra');
  return {
    passes: graded.filter((t) => t.passed).length,
    graded: graded.length,
    outcome: trials.at(-1)!.outcome,
    cost: sumCosts(trials.map((t) => t.cost)),
  };
}

function pairs(results: Results): Map<string, { model: string; task: string; side: PairSide }> {
  const groups = new Map<string, TrialRecord[]>();
  for (const t of results.trials) {
    const key = `${t.model}\u0000${t.task}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return new Map(
    [...groups].map(([key, trials]) => [
      key,
      { model: trials[0]!.model, task: trials[0]!.task, side: side(trials) },
    ]),
  );
}

function delta(base: number | null, head: number | null): Delta {
  return { base, head, delta: base === null || head === null ? null : head - base };
}

function rate(passes: number, graded: number): number | null {
  return graded > 0 ? passes / graded : null;
}

function list(items: string[], max = 5): string {
  return items.length > max
    ? `${items.slice(0, max).join(', ')} and ${items.length - max} more`
    : items.join(', ');
}

function fingerprintWarnings(
  head: Results,
  base: Results,
): { warnings: string[]; changedTasks: Set<string> } {
  const warnings: string[] = [];
  const baseHashes = new Map(base.tasks.map((t) => [t.key, t.hash]));
  const changed = head.tasks
    .filter((t) => baseHashes.has(t.key) && baseHashes.get(t.key) !== t.hash)
    .map((t) => t.key);
  if (head.fingerprints.tasks !== base.fingerprints.tasks && changed.length) {
    warnings.push(
      `tasks changed since the baseline (${list(changed)}): flips on those may come from the task edit, not the model`,
    );
  }
  if (head.fingerprints.prices !== base.fingerprints.prices) {
    const asOf =
      head.prices.asOf === base.prices.asOf ? '' : ` (as of ${base.prices.asOf} → ${head.prices.asOf})`;
    warnings.push(
      `prices differ from the baseline's${asOf}: cost deltas mix price changes with usage changes`,
    );
  }
  // A prompt change (built-in or a team's) is stated per row as the change under test: see promptChanges.
  if (head.harness.version !== base.harness.version) {
    warnings.push(`the baseline ran aibench ${base.harness.version}, this run ${head.harness.version}`);
  }
  for (const k of ['attempts', 'trials', 'maxTokens'] as const) {
    if (head.config[k] !== base.config[k])
      warnings.push(
        `${k} differs from the baseline's (${base.config[k]} → ${head.config[k]}): pass rates are not like for like`,
      );
  }
  if (base.status !== 'complete')
    warnings.push(`the baseline run ended ${base.status}: tasks it did not finish are not compared`);
  const scope = (kind: string, a: string[], b: string[]) => {
    const onlyBase = b.filter((x) => !a.includes(x));
    const onlyHead = a.filter((x) => !b.includes(x));
    if (onlyBase.length || onlyHead.length)
      warnings.push(
        `the runs cover different ${kind}: compared where they overlap${onlyBase.length ? `; only in the baseline: ${list(onlyBase)}` : ''}${onlyHead.length ? `; only in this run: ${list(onlyHead)}` : ''}`,
      );
  };
  scope('suites', [...new Set(head.tasks.map((t) => t.suite))], [...new Set(base.tasks.map((t) => t.suite))]);
  scope(
    'models',
    head.models.map((m) => m.name),
    base.models.map((m) => m.name),
  );
  return { warnings, changedTasks: new Set(changed) };
}

/**
 * Compares this run (`head`) with a baseline run, per (model, task): regressions are pairs whose pass
 * rate fell (pass → fail with one trial), fixes the reverse. Trials ended by API faults are excluded on
 * both sides, so a 429 storm is never reported as a regression. Deltas cover only pairs both runs graded.
 */
export function compareResults(head: Results, base: Results, opts: CompareOptions = {}): Comparison {
  const now = opts.now ?? new Date();
  const staleAfter = opts.staleAfterDays ?? 7;
  const headPairs = pairs(head);
  const basePairs = pairs(base);
  const { warnings, changedTasks } = fingerprintWarnings(head, base);
  const regressions: TaskFlip[] = [];
  const fixes: TaskFlip[] = [];
  const notComparable: string[] = [];
  const perModel = new Map<
    string,
    {
      compared: number;
      hp: number;
      hg: number;
      bp: number;
      bg: number;
      hc: (number | null)[];
      bc: (number | null)[];
      reg: number;
      fix: number;
    }
  >();
  let compared = 0;
  for (const [key, h] of headPairs) {
    const b = basePairs.get(key);
    if (!b) continue;
    if (!h.side.graded || !b.side.graded) {
      notComparable.push(`${h.model} ${h.task}`);
      continue;
    }
    compared++;
    const m = perModel.get(h.model) ?? {
      compared: 0,
      hp: 0,
      hg: 0,
      bp: 0,
      bg: 0,
      hc: [],
      bc: [],
      reg: 0,
      fix: 0,
    };
    m.compared++;
    m.hp += h.side.passes;
    m.hg += h.side.graded;
    m.bp += b.side.passes;
    m.bg += b.side.graded;
    m.hc.push(h.side.cost);
    m.bc.push(b.side.cost);
    const hr = h.side.passes / h.side.graded;
    const br = b.side.passes / b.side.graded;
    const flip: TaskFlip = {
      model: h.model,
      task: h.task,
      base: b.side,
      head: h.side,
      taskChanged: changedTasks.has(h.task),
    };
    if (hr < br) {
      regressions.push(flip);
      m.reg++;
    } else if (hr > br) {
      fixes.push(flip);
      m.fix++;
    }
    perModel.set(h.model, m);
  }
  const models: ModelComparison[] = [...perModel].map(([model, m]) => ({
    model,
    compared: m.compared,
    passRate: delta(rate(m.bp, m.bg), rate(m.hp, m.hg)),
    cost: delta(sumCosts(m.bc), sumCosts(m.hc)),
    regressions: m.reg,
    fixes: m.fix,
  }));
  const sum = (k: 'hp' | 'hg' | 'bp' | 'bg') => [...perModel.values()].reduce((s, m) => s + m[k], 0);
  const [hp, hg, bp, bg] = [sum('hp'), sum('hg'), sum('bp'), sum('bg')];
  const baseDate = Date.parse(base.finishedAt ?? base.startedAt);
  const ageDays = Number.isFinite(baseDate) ? Math.max(0, (now.getTime() - baseDate) / DAY_MS) : null;
  const stale = ageDays !== null && ageDays > staleAfter;
  const commit = opts.meta?.commit ?? null;
  if (stale) {
    warnings.unshift(
      `the baseline is ${Math.floor(ageDays!)} days old${commit ? ` (${commit.slice(0, 7)})` : ''}: it may not reflect the default branch any more`,
    );
  }
  if (!compared) warnings.push('no (model, task) pair was graded in both runs: nothing to compare');
  const onlyInHead = [...headPairs].filter(([k]) => !basePairs.has(k)).map(([, p]) => `${p.model} ${p.task}`);
  const onlyInBase = [...basePairs].filter(([k]) => !headPairs.has(k)).map(([, p]) => `${p.model} ${p.task}`);
  return {
    baseline: {
      runId: base.runId,
      commit,
      ref: opts.meta?.ref ?? null,
      runUrl: opts.meta?.runUrl ?? null,
      startedAt: base.startedAt,
      ageDays,
    },
    compared,
    regressions,
    fixes,
    onlyInHead,
    onlyInBase,
    notComparable,
    passRate: {
      ...delta(rate(bp, bg), rate(hp, hg)),
      basePasses: bp,
      headPasses: hp,
      baseGraded: bg,
      headGraded: hg,
    },
    cost: delta(sumCosts(models.map((m) => m.cost.base)), sumCosts(models.map((m) => m.cost.head))),
    models,
    stale,
    promptChanges: promptChanges(head, base),
    warnings,
    statistics: compareRunsStatistically(head, base),
  };
}

import type { Results, TrialRecord } from '../schema.js';
import { taskCells } from './cells.js';
import { pairByTask } from './model-stats.js';
import { comparePaired, type PairedComparison, type Verdict } from './paired.js';
import { minDetectableDrop } from './power.js';
import { seededRng } from './random.js';

/** One model's paired comparison between two runs, on the tasks both graded. */
export interface ModelVerdict {
  model: string;
  paired: PairedComparison | null;
}

export interface RunVerdict {
  /** `regressed` when any model regressed; `improved` when any improved and none regressed. */
  verdict: Verdict;
  /** Confidence of each model's interval: 95% family-wise, split over the models (Bonferroni). */
  confidence: number;
  familyConfidence: number;
  models: ModelVerdict[];
  /** Smallest drop a comparison of this size would detect (pooled rate of the baseline, 80% power). */
  minDetectableDrop: number | null;
  /** (model, task, trial) recorded more than once in a run: counted once, listed here. */
  duplicates: { run: 'baseline' | 'this run'; key: string }[];
  /** What the rates are computed over, in one sentence. */
  policy: string;
}

/** Keeps the first record of each (model, task, trial); returns the rest as duplicates. */
export function dedupeTrials(trials: TrialRecord[]): { kept: TrialRecord[]; duplicates: string[] } {
  const seen = new Set<string>();
  const kept: TrialRecord[] = [];
  const duplicates: string[] = [];
  for (const t of trials) {
    const key = `${t.model} ${t.task} #${t.trial}`;
    if (seen.has(key)) duplicates.push(key);
    else {
      seen.add(key);
      kept.push(t);
    }
  }
  return { kept, duplicates };
}

export const DENOMINATOR_POLICY =
  'Compared per model over the tasks graded in both runs (each task weighs the same; its rate is passes ÷ graded trials); trials ended by API faults or the budget are left out on both sides, tasks in one run only are listed, not counted.';

/**
 * Paired, per-model comparison of two runs for the verdict line and the gate: head − base pass rate per
 * task, bootstrap interval over tasks, exact sign test (McNemar with one trial). With several models the
 * 95% is family-wise (each model at 1 − 0.05/M), so a nightly over many models does not alarm more often.
 */
export function compareRunsStatistically(
  head: Pick<Results, 'models' | 'trials'>,
  base: Pick<Results, 'models' | 'trials'>,
  opts: { familyConfidence?: number; resamples?: number; seed?: number } = {},
): RunVerdict {
  const familyConfidence = opts.familyConfidence ?? 0.95;
  const h = dedupeTrials(head.trials);
  const b = dedupeTrials(base.trials);
  const baseModels = new Set(base.models.map((m) => m.name));
  const models = head.models.map((m) => m.name).filter((m) => baseModels.has(m));
  const confidence = 1 - (1 - familyConfidence) / Math.max(1, models.length);
  const verdicts = models.map((model) => ({
    model,
    paired: comparePaired(
      pairByTask(
        taskCells(b.kept.filter((t) => t.model === model)),
        taskCells(h.kept.filter((t) => t.model === model)),
      ),
      seededRng(`baseline ${model}`, opts.seed),
      { confidence, resamples: opts.resamples },
    ),
  }));
  const any = (v: Verdict) => verdicts.some((m) => m.paired?.verdict === v);
  const tasks = verdicts.reduce((s, m) => s + (m.paired?.tasks ?? 0), 0);
  const baseRate =
    tasks > 0
      ? verdicts.reduce((s, m) => s + (m.paired ? m.paired.baseRate * m.paired.tasks : 0), 0) / tasks
      : null;
  const trials = Math.max(1, ...b.kept.map((t) => t.trial), ...h.kept.map((t) => t.trial));
  const perModelTasks = verdicts.length ? tasks / verdicts.length : 0;
  return {
    verdict: any('regressed') ? 'regressed' : any('improved') ? 'improved' : 'no detectable change',
    confidence,
    familyConfidence,
    models: verdicts,
    minDetectableDrop:
      baseRate === null
        ? null
        : minDetectableDrop(baseRate, Math.round(perModelTasks), trials, { confidence }),
    duplicates: [
      ...b.duplicates.map((key) => ({ run: 'baseline' as const, key })),
      ...h.duplicates.map((key) => ({ run: 'this run' as const, key })),
    ],
    policy: DENOMINATOR_POLICY,
  };
}

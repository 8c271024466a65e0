import path from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import { runTotals } from '../results/aggregate.js';
import { compareResults } from '../results/baseline.js';
import { readResults } from '../results/io.js';
import { findResultsFiles, mergeRunFiles } from '../results/merge.js';
import { percent, usd } from '../report/format.js';
import { comparisonSection } from '../report/summary.js';
import { describeMode, parseRegressionMode, regressionCheck } from '../action/gate.js';
import { writeReportFiles } from './commands-visual.js';
import type { CompareFlags } from './program.js';

type Out = { out: (line: string) => void; err: (line: string) => void; tty: boolean };

/**
 * `compare --fail-on-regression` exits with this when the comparison fails `--regression-mode`
 * (`significant` by default; `any-flip`, `non-inferior:<margin>`), distinct from every run exit code.
 */
export const REGRESSION_EXIT = 6;

/** `aibench merge <results.json|folder>... [--out DIR]`: shards of one run → one results.json, report.md, transcripts. */
export async function cmdMerge(positionals: string[], values: { out: string }, io: Out): Promise<number> {
  const missing = positionals.find((p) => !findResultsFiles([p]).length);
  if (missing) throw new UsageError(`merge: no results.json at ${missing}`);
  const files = findResultsFiles(positionals);
  const { results, outDir } = mergeRunFiles(files, values.out);
  await writeReportFiles(results, outDir, [], io);
  const t = runTotals(results);
  io.err(
    `merged ${files.length} shard(s): ${results.models.length} model(s) × ${results.tasks.length} task(s)`,
  );
  io.out(
    `${t.passes}/${t.graded} passed (${percent(t.passRate)}), total cost ${usd(t.cost)}${t.infra ? `, ${t.infra} infra` : ''}`,
  );
  io.out(`results: ${path.join(outDir, 'results.json')}\nreport:  ${path.join(outDir, 'report.md')}`);
  return results.status === 'budget-exhausted' ? ExitCode.budgetExhausted : ExitCode.ok;
}

/**
 * `aibench compare <baseline.json> <results.json> [--fail-on-regression] [--regression-mode M] [--json]`:
 * the paired verdict per model with its interval, per-task flips, pass-rate, cost and time deltas, and
 * why the comparison may mislead (stale, tasks, suites or prices changed).
 */
export async function cmdCompare(
  baseFile: string,
  headFile: string,
  values: CompareFlags,
  io: Out,
): Promise<number> {
  const mode = parseRegressionMode(values.regressionMode, '--regression-mode');
  const stale = values.staleDays === undefined ? undefined : Number(values.staleDays);
  if (stale !== undefined && !(stale >= 0))
    throw new UsageError(`--stale-days: "${values.staleDays}" is not a number of days`);
  const [base, head] = [readResults(baseFile), readResults(headFile)];
  const cmp = compareResults(head, base, stale === undefined ? {} : { staleAfterDays: stale });
  if (values.json) io.out(JSON.stringify(cmp, null, 2));
  else io.out(comparisonSection(cmp, { trials: head.config.trials, maxFlips: Number.POSITIVE_INFINITY }));
  if (!values.failOnRegression) return ExitCode.ok;
  const check = regressionCheck(cmp, mode);
  io.err(`${describeMode(mode)}: ${check.ok ? 'ok' : 'failed'}: ${check.detail}`);
  return check.ok ? ExitCode.ok : REGRESSION_EXIT;
}

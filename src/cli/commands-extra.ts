import path from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import { runTotals } from '../results/aggregate.js';
import { compareResults } from '../results/baseline.js';
import { readResults } from '../results/io.js';
import { findResultsFiles, mergeRunFiles } from '../results/merge.js';
import { percent, usd } from '../report/format.js';
import { comparisonSection } from '../report/summary.js';
import { describeMode, parseRegressionMode, regressionCheck } from '../action/gate.js';
import { parse } from './args.js';

type Out = { out: (line: string) => void; err: (line: string) => void; tty: boolean };

/**
 * `compare --fail-on-regression` exits with this when the comparison fails `--regression-mode`
 * (`significant` by default; `any-flip`, `non-inferior:<margin>`), distinct from every run exit code.
 */
export const REGRESSION_EXIT = 6;

/** `aibench merge <results.json|folder>... [--out DIR]`: shards of one run → one results.json, report.md, transcripts. */
export async function cmdMerge(argv: string[], io: Out): Promise<number> {
  const { values, positionals } = parse(argv, { out: { type: 'string', default: 'aibench-out' } });
  if (!positionals.length)
    throw new UsageError(
      "merge: name the shards' results.json files or folders holding them, e.g. aibench merge shards/ --out merged",
    );
  const missing = positionals.find((p) => !findResultsFiles([p]).length);
  if (missing) throw new UsageError(`merge: no results.json at ${missing}`);
  const files = findResultsFiles(positionals);
  const { results, outDir } = mergeRunFiles(files, values.out!);
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
export async function cmdCompare(argv: string[], io: Out): Promise<number> {
  const { values, positionals } = parse(argv, {
    'fail-on-regression': { type: 'boolean', default: false },
    'regression-mode': { type: 'string', default: 'significant' },
    json: { type: 'boolean', default: false },
    'stale-days': { type: 'string' },
  });
  const mode = parseRegressionMode(values['regression-mode']!, '--regression-mode');
  if (positionals.length !== 2)
    throw new UsageError(
      'compare: name two results files, the baseline first: aibench compare base/results.json head/results.json',
    );
  const stale = values['stale-days'] === undefined ? undefined : Number(values['stale-days']);
  if (stale !== undefined && !(stale >= 0))
    throw new UsageError(`--stale-days: "${values['stale-days']}" is not a number of days`);
  const [base, head] = positionals.map(readResults) as [
    ReturnType<typeof readResults>,
    ReturnType<typeof readResults>,
  ];
  const cmp = compareResults(head, base, stale === undefined ? {} : { staleAfterDays: stale });
  if (values.json) io.out(JSON.stringify(cmp, null, 2));
  else io.out(comparisonSection(cmp, { trials: head.config.trials, maxFlips: Number.POSITIVE_INFINITY }));
  if (!values['fail-on-regression']) return ExitCode.ok;
  const check = regressionCheck(cmp, mode);
  io.err(`${describeMode(mode)}: ${check.ok ? 'ok' : 'failed'}: ${check.detail}`);
  return check.ok ? ExitCode.ok : REGRESSION_EXIT;
}

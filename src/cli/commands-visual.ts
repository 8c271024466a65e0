import path from 'node:path';
import { ExitCode, UsageError, oneLine } from '../errors.js';
import { splitList } from '../models/spec.js';
import { cascade } from '../results/cascade.js';
import { readResults } from '../results/io.js';
import type { Results } from '../results/schema.js';
import { cascadeTable } from '../report/cascade-section.js';
import { writeVisualReport } from '../report/html/write.js';
import { builtinTasksRoot, loadTasks, type Task } from '../tasks/loader.js';
import type { CascadeFlags } from './program.js';

type Out = { out: (line: string) => void; err: (line: string) => void; tty: boolean };

/** The tasks the HTML report diffs attempts against: the built-in suites plus any extra roots. */
function tasksForDiffs(extraRoots: string[], io: Out): Task[] {
  try {
    return loadTasks([builtinTasksRoot(), ...extraRoots.map((p) => path.resolve(p))]);
  } catch (err) {
    io.err(`aibench: tasks not loaded (${oneLine(err)}); report.html shows replies instead of diffs`);
    return [];
  }
}

/**
 * Writes the figures and report.html for `results` into `outDir`, telling where; a drawing failure is
 * a warning (results.json and report.md stand on their own).
 */
export async function writeReportFiles(
  results: Results,
  outDir: string,
  extraRoots: string[],
  io: Out,
): Promise<void> {
  try {
    const files = await writeVisualReport(results, outDir, tasksForDiffs(extraRoots, io));
    io.err(`figures and report.html: ${files.map((f) => path.join(outDir, f)).join(', ')}`);
  } catch (err) {
    io.err(`aibench: warning: could not write the figures and report.html (${oneLine(err)})`);
  }
}

/** `aibench cascade` arguments: the chain, first model first, each model once. */
export function cascadeChain(flags: CascadeFlags): string[] {
  const usage = 'aibench cascade <results.json> --first <model> --then <model>[,<model>…]';
  const then = splitList(flags.then);
  if (!flags.first || !then.length) throw new UsageError(`cascade: name --first and --then models: ${usage}`);
  const chain = [flags.first, ...then];
  if (new Set(chain).size !== chain.length)
    throw new UsageError('cascade: a model appears twice in the chain');
  return chain;
}

/**
 * `aibench cascade <results.json> --first cheap --then strong[,…]`: from one run's per-task results,
 * the pass rate and expected cost of sending every task to the first model and escalating only its
 * failures, against each model alone.
 */
export async function cmdCascade(file: string, flags: CascadeFlags, io: Out): Promise<number> {
  const chain = cascadeChain(flags);
  const results = readResults(file);
  const known = results.models.map((m) => m.name);
  const unknown = chain.find((m) => !known.includes(m));
  if (unknown) throw new UsageError(`cascade: ${unknown} is not in ${file} (models: ${known.join(', ')})`);
  const c = cascade(results, chain);
  if (!c.tasks.length)
    throw new UsageError(`cascade: no task has a graded trial for every model of the chain in ${file}`);
  io.out(cascadeTable(c));
  return ExitCode.ok;
}

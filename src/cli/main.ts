import { CommanderError } from 'commander';
import path from 'node:path';
import { loadConfigFile, numberFrom, resolveSettings } from '../config/load.js';
import { ExitCode, UsageError, oneLine } from '../errors.js';
import { splitList } from '../models/spec.js';
import { runTotals } from '../results/aggregate.js';
import { readResults } from '../results/io.js';
import { percent, usd } from '../report/format.js';
import { renderReport } from '../report/markdown.js';
import { harnessIdentity } from '../run/environment.js';
import { killAllGroups } from '../grade/exec.js';
import { runBenchmark } from '../run/run.js';
import { checkRequirementMaps, validateTasks } from '../run/validate.js';
import { cmdCache } from './commands-cache.js';
import { builtinTasksRoot, loadTasks, selectTasks } from '../tasks/loader.js';
import { liveProgress } from './live-display.js';
import { plainProgress, type RunProgress } from './progress.js';
import { cmdCompare, cmdMerge } from './commands-extra.js';
import { cmdCascade, writeReportFiles } from './commands-visual.js';
import {
  buildProgram,
  type ReportFlags,
  type RunFlags,
  type SelectionFlags,
  type ValidateFlags,
} from './program.js';

type Out = {
  out: (line: string) => void;
  err: (line: string) => void;
  tty: boolean;
  /** A terminal to draw the live progress display on (cli.ts decides); without it progress is plain lines. */
  live?: { stream: NodeJS.WriteStream; others: NodeJS.WriteStream[] };
};

function selection(values: SelectionFlags) {
  const { config, path: configPath } = loadConfigFile(values.config);
  const fromConfig = (config.tasksPath ?? []).map((p) => path.resolve(path.dirname(configPath ?? '.'), p));
  const roots = [builtinTasksRoot(), ...fromConfig, ...values.tasksPath.map((p) => path.resolve(p))];
  const tasks = selectTasks(loadTasks(roots), splitList(values.suites), splitList(values.tasks));
  return { config, tasks, extraRoots: roots.slice(1) };
}

/**
 * Ctrl-C and SIGTERM end a run cleanly: the run is marked `interrupted` (results.json and the journal),
 * every running grading step is killed, one line says how to continue, and the process exits 130 (143
 * for SIGTERM). A second Ctrl-C while that happens exits at once.
 */
function stopOnSignals(
  io: Out,
  out: string,
  progress: RunProgress,
): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(sig === 'SIGINT' ? 130 : 143);
    controller.abort(sig);
    killAllGroups();
    // The live display leaves its last frame and gives the cursor back before the closing line.
    progress.finish();
    io.err(
      `aibench: interrupted by ${sig === 'SIGINT' ? 'Ctrl-C' : sig}; paid attempts are kept — continue with: aibench run --resume ${out}`,
    );
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

async function cmdRun(values: RunFlags, io: Out): Promise<number> {
  if (values.rerunInfra && values.resume === undefined)
    throw new UsageError(
      "--rerun-infra: name the run folder with --resume DIR (it re-runs that run's infra-ended trials)",
    );
  const { config, extraRoots } = selection(values);
  const settings = resolveSettings(config.run, {
    attempts: numberFrom(values.attempts, '--attempts'),
    trials: numberFrom(values.trials, '--trials'),
    concurrency: numberFrom(values.concurrency, '--concurrency'),
    gradeConcurrency: numberFrom(values.gradeConcurrency, '--grade-concurrency'),
    maxTokens: numberFrom(values.maxTokens, '--max-tokens'),
    feedbackChars: numberFrom(values.feedbackChars, '--feedback-chars'),
    maxCost: numberFrom(values.maxCost, '--max-cost'),
  });
  const models = splitList(values.models);
  const out = values.resume ?? values.out;
  const progress = io.live
    ? liveProgress(io.live.stream, { others: io.live.others })
    : plainProgress(io.err, io.tty);
  const stop = stopOnSignals(io, out, progress);
  const outcome = await runBenchmark({
    signal: stop.signal,
    models,
    suites: splitList(values.suites),
    tasks: splitList(values.tasks),
    tasksPaths: extraRoots,
    settings,
    config,
    out,
    resume: values.resume !== undefined,
    rerunInfra: values.rerunInfra,
    cacheLimit: values.cacheLimit,
    log: (line) => progress.log(line),
    onPlan: (plan) => progress.onPlan(plan),
    onPhase: (info) => progress.onPhase(info),
    onAttempt: (info) => progress.onAttempt(info),
  }).finally(() => {
    progress.finish();
    stop.dispose();
  });
  const totals = runTotals(outcome.results);
  io.out(
    `${totals.passes}/${totals.graded} passed (${percent(totals.passRate)}), total cost ${usd(totals.cost)}${totals.infra ? `, ${totals.infra} infra` : ''}`,
  );
  io.out(
    `results: ${path.join(outcome.outDir, 'results.json')}\nreport:  ${path.join(outcome.outDir, 'report.md')}`,
  );
  if (outcome.fatal) io.err(`aibench: ${outcome.fatal}`);
  if (outcome.exitCode === ExitCode.infraDominated)
    io.err('aibench: API faults ended most trials; the pass rate above would mislead');
  if (outcome.exitCode === ExitCode.budgetExhausted)
    io.err('aibench: --max-cost reached; the report covers what was paid for');
  return outcome.exitCode;
}

async function cmdValidate(values: ValidateFlags, io: Out): Promise<number> {
  const { tasks } = selection(values);
  const items = await validateTasks(tasks, {
    feedbackChars: numberFrom(values.feedbackChars, '--feedback-chars') ?? 4000,
    cacheLimit: values.cacheLimit,
    log: io.err,
    onItem: (i) =>
      io.err(
        `${i.ok ? 'ok  ' : 'FAIL'} ${i.task} ${i.subject}: ${i.detail} (${(i.gradeMs / 1000).toFixed(1)} s)`,
      ),
  });
  const bad = items.filter((i) => !i.ok);
  const refs = items.filter((i) => i.subject === 'reference');
  const mutants = items.filter((i) => i.subject.startsWith('mutant:'));
  const probes = items.filter((i) => i.subject.startsWith('probe:'));
  io.out(
    `${refs.filter((i) => i.ok).length}/${refs.length} references pass, ${mutants.filter((i) => i.ok).length}/${mutants.length} mutants fail as expected, ${probes.filter((i) => i.ok).length}/${probes.length} allow-list probes refused`,
  );
  for (const b of bad) io.out(`offender: ${b.task} ${b.subject}: ${b.detail}`);
  const coverage = checkRequirementMaps(tasks, items);
  for (const c of coverage) {
    if (c.requirements === null) io.out(`requirements: ${c.task}: no REQUIREMENTS.md, not checked`);
    else
      io.out(
        `requirements: ${c.task}: ${c.requirements - new Set(c.problems.map((p) => p.split(/[ :]/)[0])).size}/${c.requirements} tested and proven by a mutant${c.unobservable ? ` (${c.unobservable} unobservable)` : ''}`,
      );
    for (const p of c.problems) io.out(`offender: ${c.task} requirements: ${p}`);
  }
  const unmapped = coverage.some((c) => c.problems.length);
  return bad.length || unmapped ? ExitCode.validateFailed : ExitCode.ok;
}

async function cmdTasks(values: SelectionFlags, io: Out): Promise<number> {
  for (const t of selection(values).tasks) {
    io.out(
      `${t.key.padEnd(28)} L${t.level}  ${String(t.expectedTests).padStart(3)} tests  ${String(t.mutants.length).padStart(2)} mutants  ${t.title}`,
    );
  }
  return ExitCode.ok;
}

async function cmdReport(file: string, flags: ReportFlags, io: Out): Promise<number> {
  const results = readResults(file);
  io.out(renderReport(results));
  await writeReportFiles(results, flags.out ?? path.dirname(file), flags.tasksPath, io);
  return ExitCode.ok;
}

/** The CLI: returns the exit code; bad input becomes one line on stderr. */
export async function main(argv: string[], io: Out): Promise<number> {
  const result = { code: ExitCode.ok as number };
  const program = buildProgram(
    {
      run: (f) => cmdRun(f, io),
      validate: (f) => cmdValidate(f, io),
      tasks: (f) => cmdTasks(f, io),
      report: (file, f) => cmdReport(file, f, io),
      cascade: (file, f) => cmdCascade(file, f, io),
      merge: (paths, f) => cmdMerge(paths, f, io),
      compare: (base, head, f) => cmdCompare(base, head, f, io),
      cache: (f) => cmdCache(f, io),
    },
    io,
    result,
  );
  try {
    if (argv[0] === '--version' || argv[0] === '-V') {
      io.out((await harnessIdentity(process.env)).version);
      return ExitCode.ok;
    }
    if (!argv.length) {
      program.outputHelp();
      return ExitCode.ok;
    }
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (err) {
    if (err instanceof CommanderError)
      // --help and -h are answers, not errors; every parsing error was printed as one line.
      return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(err.code)
        ? ExitCode.ok
        : ExitCode.usage;
    if (err instanceof UsageError) {
      io.err(`aibench: ${err.message}`);
      return err.code;
    }
    io.err(`aibench: internal error: ${oneLine(err)}`);
    if (process.env.AIBENCH_DEBUG) io.err(String((err as Error).stack));
    return ExitCode.internal;
  }
}

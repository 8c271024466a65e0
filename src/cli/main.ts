import path from 'node:path';
import { loadConfigFile, numberFrom, resolveSettings } from '../config/load.js';
import { ExitCode, UsageError, oneLine } from '../errors.js';
import { splitList } from '../models/spec.js';
import { runTotals } from '../results/aggregate.js';
import { readResults } from '../results/io.js';
import { percent, usd } from '../report/format.js';
import { renderReport } from '../report/markdown.js';
import { harnessIdentity } from '../run/environment.js';
import { runBenchmark } from '../run/run.js';
import { validateTasks } from '../run/validate.js';
import { builtinTasksRoot, loadTasks, selectTasks } from '../tasks/loader.js';
import { attemptLine } from './progress.js';
import { cmdCompare, cmdMerge } from './commands-extra.js';
import { HELP, parse, selectionOptions } from './args.js';

type Out = { out: (line: string) => void; err: (line: string) => void; tty: boolean };

function selection(values: { suites?: string; tasks?: string; 'tasks-path'?: string[]; config?: string }) {
  const { config, path: configPath } = loadConfigFile(values.config);
  const fromConfig = (config.tasksPath ?? []).map((p) => path.resolve(path.dirname(configPath ?? '.'), p));
  const roots = [
    builtinTasksRoot(),
    ...fromConfig,
    ...(values['tasks-path'] ?? []).map((p) => path.resolve(p)),
  ];
  const tasks = selectTasks(loadTasks(roots), splitList(values.suites), splitList(values.tasks));
  return { config, tasks, extraRoots: roots.slice(1) };
}

async function cmdRun(argv: string[], io: Out): Promise<number> {
  const { values } = parse(argv, {
    ...selectionOptions,
    models: { type: 'string' },
    attempts: { type: 'string' },
    trials: { type: 'string' },
    concurrency: { type: 'string' },
    'grade-concurrency': { type: 'string' },
    'max-tokens': { type: 'string' },
    'feedback-chars': { type: 'string' },
    'max-cost': { type: 'string' },
    out: { type: 'string', default: 'aibench-out' },
    resume: { type: 'string' },
    'system-prompt': { type: 'string' },
  });
  const { config, extraRoots } = selection(values);
  const settings = resolveSettings(config.run, {
    attempts: numberFrom(values.attempts, '--attempts'),
    trials: numberFrom(values.trials, '--trials'),
    concurrency: numberFrom(values.concurrency, '--concurrency'),
    gradeConcurrency: numberFrom(values['grade-concurrency'], '--grade-concurrency'),
    maxTokens: numberFrom(values['max-tokens'], '--max-tokens'),
    feedbackChars: numberFrom(values['feedback-chars'], '--feedback-chars'),
    maxCost: numberFrom(values['max-cost'], '--max-cost'),
  });
  let done = 0;
  const models = splitList(values.models);
  const outcome = await runBenchmark({
    models,
    suites: splitList(values.suites),
    tasks: splitList(values.tasks),
    tasksPaths: extraRoots,
    settings,
    config,
    systemPrompt: values['system-prompt'] && path.resolve(values['system-prompt']),
    out: values.resume ?? values.out!,
    resume: values.resume !== undefined,
    log: io.err,
    onAttempt: (info) => io.err(attemptLine(info, ++done, 0, io.tty)),
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

async function cmdValidate(argv: string[], io: Out): Promise<number> {
  const { values } = parse(argv, { ...selectionOptions, 'feedback-chars': { type: 'string' } });
  const { tasks } = selection(values);
  const items = await validateTasks(tasks, {
    feedbackChars: numberFrom(values['feedback-chars'], '--feedback-chars') ?? 4000,
    log: io.err,
    onItem: (i) =>
      io.err(
        `${i.ok ? 'ok  ' : 'FAIL'} ${i.task} ${i.subject}: ${i.detail} (${(i.gradeMs / 1000).toFixed(1)} s)`,
      ),
  });
  const bad = items.filter((i) => !i.ok);
  const refs = items.filter((i) => i.subject === 'reference');
  const mutants = items.filter((i) => i.subject !== 'reference');
  io.out(
    `${refs.filter((i) => i.ok).length}/${refs.length} references pass, ${mutants.filter((i) => i.ok).length}/${mutants.length} mutants fail as expected`,
  );
  for (const b of bad) io.out(`offender: ${b.task} ${b.subject}: ${b.detail}`);
  return bad.length ? ExitCode.validateFailed : ExitCode.ok;
}

async function cmdTasks(argv: string[], io: Out): Promise<number> {
  const { values } = parse(argv, selectionOptions);
  for (const t of selection(values).tasks) {
    io.out(
      `${t.key.padEnd(28)} L${t.level}  ${String(t.expectedTests).padStart(3)} tests  ${String(t.mutants.length).padStart(2)} mutants  ${t.title}`,
    );
  }
  return ExitCode.ok;
}

async function cmdReport(argv: string[], io: Out): Promise<number> {
  const { positionals } = parse(argv, {});
  if (!positionals[0])
    throw new UsageError('report: name a results.json, e.g. aibench report aibench-out/results.json');
  io.out(renderReport(readResults(positionals[0])));
  return ExitCode.ok;
}

/** The CLI: returns the exit code; bad input becomes one line on stderr. */
export async function main(argv: string[], io: Out): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await cmdRun(rest, io);
      case 'validate':
        return await cmdValidate(rest, io);
      case 'tasks':
        return await cmdTasks(rest, io);
      case 'report':
        return await cmdReport(rest, io);
      case 'merge':
        return await cmdMerge(rest, io);
      case 'compare':
        return await cmdCompare(rest, io);
      case '--version':
        io.out((await harnessIdentity(process.env)).version);
        return ExitCode.ok;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(HELP);
        return command ? ExitCode.ok : ExitCode.usage;
      default:
        throw new UsageError(
          `unknown command "${command}" (commands: run, validate, tasks, report, merge, compare; see aibench --help)`,
        );
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`aibench: ${err.message}`);
      return err.code;
    }
    io.err(`aibench: internal error: ${oneLine(err)}`);
    if (process.env.AIBENCH_DEBUG) io.err(String((err as Error).stack));
    return ExitCode.internal;
  }
}

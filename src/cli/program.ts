import { Command, Option } from 'commander';

/** Options every command that selects tasks takes. */
export interface SelectionFlags {
  suites?: string;
  tasks?: string;
  tasksPath: string[];
  config?: string;
}

export interface RunFlags extends SelectionFlags {
  models?: string;
  attempts?: string;
  trials?: string;
  concurrency?: string;
  gradeConcurrency?: string;
  maxTokens?: string;
  feedbackChars?: string;
  maxCost?: string;
  out: string;
  resume?: string;
  rerunInfra: boolean;
  systemPrompt?: string;
  cacheLimit?: string;
}

export interface ValidateFlags extends SelectionFlags {
  feedbackChars?: string;
  cacheLimit?: string;
}

export interface CacheFlags {
  prune: boolean;
  cacheLimit?: string;
}

export interface CompareFlags {
  failOnRegression: boolean;
  regressionMode: string;
  json: boolean;
  staleDays?: string;
}

export interface ReportFlags {
  out?: string;
  tasksPath: string[];
}

export interface CascadeFlags {
  first?: string;
  then?: string;
}

/** What each command does once its flags are parsed; each resolves to the exit code. */
export interface Handlers {
  run(flags: RunFlags): Promise<number>;
  validate(flags: ValidateFlags): Promise<number>;
  tasks(flags: SelectionFlags): Promise<number>;
  report(file: string, flags: ReportFlags): Promise<number>;
  cascade(file: string, flags: CascadeFlags): Promise<number>;
  merge(paths: string[], flags: { out: string }): Promise<number>;
  compare(baseline: string, results: string, flags: CompareFlags): Promise<number>;
  cache(flags: CacheFlags): Promise<number>;
}

const CACHE_LIMIT_HELP =
  'prune the cache (fixtures, Go build cache) to this size at the end, least recently used first (default: AIBENCH_CACHE_LIMIT, else 4GB)';

const MODELS_HELP = `
Models (comma-separated): provider/model[@label]
  anthropic/<model>  openai/<model>  deepseek/<model>  tencent/<model>  openrouter/<vendor>/<model>
  ollama/<model>  <provider declared in aibench.yml>/<model>
  <model>@<variant>   a variant declared under variants: in aibench.yml (its prompts and settings)
  agent:<name>        an agent declared under agents: in aibench.yml, run in each attempt's workspace
  agent:claude-code/<model>  agent:codex/<model>   the claude / codex CLIs (on PATH), non-interactive;
                      agents' model calls go through the harness's metering proxy (cost metered, not reported)
  reference           the tasks' reference solutions (no key, $0): the harness's self-check
  replay:<file>       re-grade the replies recorded in an earlier results.json (no API calls)`;

const EXIT_HELP = `
Exit codes: 0 ok · 1 internal error · 2 bad input or missing key · 3 validate failed
            4 --max-cost reached · 5 API faults dominate the run · 6 compare: --fail-on-regression failed
            130 interrupted by Ctrl-C (143: SIGTERM); continue with aibench run --resume <out>`;

/** Commander's "error: …\n(Did you mean …?)" as one line: "aibench: … (did you mean …?) (see …)". */
function oneLineError(text: string, help: string): string {
  const line = text
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean/, ' (did you mean')
    .replace(/\n+/g, ' ')
    .trim();
  return `aibench: ${line} (see ${help})\n`;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function selection(cmd: Command): Command {
  return cmd
    .option('--suites <list>', 'suites to select, e.g. react,rust')
    .option('--tasks <list>', 'tasks to select, e.g. react/L1-statcard,rust/L1-merge-intervals')
    .option('--tasks-path <dir>', 'extra task suites in the same format (repeatable)', collect, [])
    .option('--config <file>', 'providers, prices and run defaults (default: ./aibench.yml if present)');
}

/**
 * The CLI's grammar (commander): every command with its flags, `--help`/`-h` on each, "did you mean"
 * for unknown commands and flags. Parsing errors reach `onError` as one line; the handlers run the
 * commands and set `result` to their exit code.
 */
export function buildProgram(
  handlers: Handlers,
  io: { out: (text: string) => void; err: (text: string) => void },
  result: { code: number },
): Command {
  const program = new Command('aibench')
    .description('benchmark LLMs on machine-verified React/TypeScript and Rust tasks')
    .usage('<command> [options]')
    .helpOption('-h, --help', 'show help (aibench <command> --help for a command)')
    .option('-V, --version', "print the harness's version")
    .addHelpText('after', `${MODELS_HELP}\n${EXIT_HELP}`)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      outputError: (s, write) => write(oneLineError(s, 'aibench --help')),
    });

  const inherit = (cmd: Command) =>
    cmd
      .exitOverride()
      .showSuggestionAfterError(true)
      .configureOutput({
        ...program.configureOutput(),
        outputError: (s, write) => write(oneLineError(s, `aibench ${cmd.name()} --help`)),
      })
      .helpOption('-h, --help', 'show this help');

  inherit(
    selection(
      program
        .command('run')
        .description('run models on tasks; write results.json, transcripts.jsonl, report.md')
        .option('--models <list>', 'models to run, comma-separated (see Models below)'),
    ),
  )
    .option('--attempts <n>', 'attempts per trial, each failure fed back (default 3)')
    .option('--trials <n>', 'trials per task and model (default 1)')
    .option('--concurrency <n>', 'model calls in flight at once (default 4)')
    .option('--grade-concurrency <n>', 'gradings at once (default: twice the cores, at most 4)')
    .option('--max-tokens <n>', 'output token limit per reply (default 16000)')
    .option('--feedback-chars <n>', 'bound on grader output sent back (default 4000)')
    .option('--max-cost <usd>', 'budget: no new request once it is spent (exit 4)')
    .option('--out <dir>', 'output folder', 'aibench-out')
    .option('--resume <dir>', 'continue an interrupted run: paid attempts are kept, never re-requested')
    .option('--cache-limit <size>', CACHE_LIMIT_HELP)
    .option(
      '--rerun-infra',
      'with --resume: also re-run the trials API faults ended, keeping what they paid for',
      false,
    )
    .addHelpText('after', `${MODELS_HELP}\n${EXIT_HELP}`)
    .action(async (flags: RunFlags) => {
      result.code = await handlers.run(flags);
    });

  inherit(
    selection(
      program
        .command('validate')
        .description(
          'every reference must pass, every mutant must fail as its why.md says (exit 3 otherwise)',
        ),
    ),
  )
    .option('--feedback-chars <n>', 'bound on grader output checked against why.md (default 4000)')
    .option('--cache-limit <size>', CACHE_LIMIT_HELP)
    .action(async (flags: ValidateFlags) => {
      result.code = await handlers.validate(flags);
    });

  inherit(selection(program.command('tasks').description('list the tasks (test count, mutants)'))).action(
    async (flags: SelectionFlags) => {
      result.code = await handlers.tasks(flags);
    },
  );

  inherit(
    program
      .command('report')
      .description('re-render report.md (to stdout), the figures (SVG) and report.html from a results file')
      .argument('<results.json>', 'a results file')
      .option('--out <dir>', 'where the figures and report.html go (default: beside the results file)')
      .option(
        '--tasks-path <dir>',
        'extra task suites, for diffs against their starters (repeatable)',
        collect,
        [],
      ),
  ).action(async (file: string, flags: ReportFlags) => {
    result.code = await handlers.report(file, flags);
  });

  inherit(
    program
      .command('cascade')
      .description('pass rate and expected cost of a cheap model escalating its failures to stronger ones')
      .argument('<results.json>', 'a results file with every model of the chain')
      .option('--first <model>', 'the model every task goes to first')
      .option('--then <models>', 'the models failures escalate to, in order (comma-separated)'),
  ).action(async (file: string, flags: CascadeFlags) => {
    result.code = await handlers.cascade(file, flags);
  });

  inherit(
    program
      .command('merge')
      .description('merge shards of one run (e.g. a CI matrix) into one results.json + report.md')
      .argument('<paths...>', 'results.json files or folders holding them')
      .option('--out <dir>', 'output folder', 'aibench-out'),
  ).action(async (paths: string[], flags: { out: string }) => {
    result.code = await handlers.merge(paths, flags);
  });

  inherit(
    program
      .command('compare')
      .description(
        'paired verdict per model (interval, exact test), per-task flips, pass-rate, cost and time deltas vs a baseline run',
      )
      .argument('<baseline.json>', 'the baseline run')
      .argument('<results.json>', 'this run')
      .option('--fail-on-regression', 'exit 6 when the comparison fails --regression-mode', false)
      .option(
        '--regression-mode <mode>',
        'significant (paired interval wholly below zero), any-flip, or non-inferior:<margin> (e.g. non-inferior:5%)',
        'significant',
      )
      .option('--json', 'print the comparison as JSON', false)
      .addOption(new Option('--stale-days <n>', 'warn when the baseline is older (default 7)')),
  ).action(async (baseline: string, results: string, flags: CompareFlags) => {
    result.code = await handlers.compare(baseline, results, flags);
  });

  inherit(
    program
      .command('cache')
      .description(
        "list the harness's cache (AIBENCH_CACHE), least recently used first; --prune brings it within its limit",
      )
      .option(
        '--prune',
        'remove least recently used entries no running benchmark uses until the cache fits',
        false,
      )
      .option(
        '--cache-limit <size>',
        'the limit, e.g. 4GB or 500MB (default: AIBENCH_CACHE_LIMIT, else 4GB)',
      ),
  ).action(async (flags: CacheFlags) => {
    result.code = await handlers.cache(flags);
  });

  return program;
}

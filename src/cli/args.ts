import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

/** node:util parseArgs, with its errors turned into one-line usage errors. */
export function parse<const O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>({
      args: argv,
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    const message = (err as Error).message.split('\n')[0]!;
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    if (ambiguous)
      throw new UsageError(
        `${ambiguous[1]}: a value starting with "-" must be written ${ambiguous[1]}=<value>`,
      );
    throw new UsageError(`${message.replace(/\. To specify a positional.*$/, '')} (see aibench --help)`);
  }
}

export const selectionOptions = {
  suites: { type: 'string' },
  tasks: { type: 'string' },
  'tasks-path': { type: 'string', multiple: true },
  config: { type: 'string' },
} as const;

export const HELP = `aibench — benchmark LLMs on machine-verified React/TypeScript and Rust tasks

Usage:
  aibench run --models <list> [options]   run models on tasks; write results.json, transcripts.jsonl, report.md
  aibench validate [selection]            every reference must pass, every mutant must fail as its why.md says
  aibench tasks [selection]               list the tasks
  aibench report <results.json>           re-render report.md from a results file (to stdout)
  aibench merge <results.json|dir>... [--out DIR]
                                          merge shards of one run (e.g. a CI matrix) into one results.json + report.md
  aibench compare <baseline.json> <results.json> [--fail-on-regression] [--json] [--stale-days N]
                                          per-task flips, pass-rate and cost deltas vs a baseline run

Models (comma-separated): provider/model[@label]
  anthropic/<model>  openai/<model>  deepseek/<model>  tencent/<model>  openrouter/<vendor>/<model>
  ollama/<model>  <provider declared in aibench.yml>/<model>
  agent:<name>        an agent declared under agents: in aibench.yml, run in each attempt's workspace
  agent:claude-code/<model>  agent:codex/<model>   the claude / codex CLIs (on PATH), non-interactive
                      agents' model calls go through the harness's metering proxy (cost metered, not reported)
  reference           the tasks' reference solutions (no key, $0): the harness's self-check
  replay:<file>       re-grade the replies recorded in an earlier results.json (no API calls)

Selection:
  --suites react,rust       --tasks react/L1-statcard,rust/L1-merge-intervals
  --tasks-path <dir>        extra task suites in the same format (repeatable)
  --config <aibench.yml>    providers, prices and run defaults (default: ./aibench.yml if present)

Run options:
  --attempts N (3)  --trials N (1)  --concurrency N (4: model calls)  --grade-concurrency N
  --max-tokens N (16000)  --feedback-chars N (4000)  --max-cost USD  --out DIR (aibench-out)
  --resume DIR              continue an interrupted run: paid attempts are kept, never re-requested
  --system-prompt FILE      replace the built-in system prompt (output contract appended) for every model
                            without a variant; per-model prompts and settings: variants: in aibench.yml,
                            used as provider/model@<variant>

Exit codes: 0 ok · 1 internal error · 2 bad input or missing key · 3 validate failed
            4 --max-cost reached · 5 API faults dominate the run · 6 compare: a task regressed`;

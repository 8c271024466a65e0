#!/usr/bin/env node
import { createRequire as __aibenchCreateRequire } from 'node:module'; const require = __aibenchCreateRequire(import.meta.url);
import {
  ExitCode,
  Pool,
  UsageError,
  attemptLine,
  builtinTasksRoot,
  compareResults,
  comparisonSection,
  findResultsFiles,
  gradeFiles,
  harnessIdentity,
  loadConfigFile,
  loadTasks,
  mergeRunFiles,
  numberFrom,
  oneLine,
  percent,
  prepareGrading,
  readResults,
  renderReport,
  resolveSettings,
  runBenchmark,
  runTotals,
  selectTasks,
  splitList,
  usd
} from "./chunks/chunk-KIFDJLCZ.js";
import "./chunks/chunk-7LF3CAPK.js";
import "./chunks/chunk-JM7FHWGO.js";

// src/cli/main.ts
import path2 from "node:path";

// src/run/validate.ts
import os from "node:os";
function mutantVerdict(result, expect) {
  if (result.outcome === "pass")
    return { ok: false, detail: "PASSED \u2014 the hidden tests do not catch this mistake" };
  if (result.outcome !== expect.class)
    return { ok: false, detail: `failed as ${result.outcome}, expected ${expect.class}` };
  const failing = [...result.failingTests, ...result.steps.filter((s) => !s.ok).map((s) => s.name)];
  const missing = (expect.fails ?? []).filter((f) => !failing.some((name) => name.includes(f)));
  if (missing.length) {
    return {
      ok: false,
      detail: `failed as ${result.outcome}, but not in: ${missing.join("; ")} (failing: ${failing.join("; ") || "none"})`
    };
  }
  return {
    ok: true,
    detail: `fails as ${result.outcome}${expect.fails?.length ? ` in ${expect.fails.join(", ").slice(0, 120)}` : ""}`
  };
}
async function validateTasks(tasks, opts) {
  const log = opts.log ?? (() => {
  });
  const { env } = await prepareGrading(tasks, opts.env ?? process.env, log);
  const pool = new Pool(opts.concurrency ?? Math.max(1, Math.min(4, os.availableParallelism())));
  const jobs = tasks.flatMap((task) => [
    {
      task,
      subject: "reference",
      files: task.reference,
      expect: null
    },
    ...task.mutants.map((m) => ({ task, subject: `mutant:${m.name}`, files: m.files, expect: m.expect }))
  ]);
  const items = await Promise.all(
    jobs.map(
      (job) => pool.use(async (slot) => {
        const result = await gradeFiles(job.task, job.files, {
          env,
          slot,
          feedbackChars: opts.feedbackChars
        });
        const verdict = job.expect ? mutantVerdict(result, job.expect) : result.outcome === "pass" ? { ok: true, detail: `passes (${result.tests?.passed ?? 0} tests)` } : {
          ok: false,
          detail: `FAILED as ${result.outcome}: ${(result.feedback ?? "").split("\n").slice(0, 6).join(" ").slice(0, 400)}`
        };
        const item = {
          task: job.task.key,
          subject: job.subject,
          ...verdict,
          gradeMs: result.gradeMs,
          result
        };
        opts.onItem?.(item);
        return item;
      })
    )
  );
  return items;
}

// src/cli/commands-extra.ts
import path from "node:path";

// src/cli/args.ts
import { parseArgs } from "node:util";
function parse(argv, options) {
  try {
    return parseArgs({
      args: argv,
      options,
      allowPositionals: true,
      strict: true
    });
  } catch (err) {
    const message = err.message.split("\n")[0];
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    if (ambiguous)
      throw new UsageError(
        `${ambiguous[1]}: a value starting with "-" must be written ${ambiguous[1]}=<value>`
      );
    throw new UsageError(`${message.replace(/\. To specify a positional.*$/, "")} (see aibench --help)`);
  }
}
var selectionOptions = {
  suites: { type: "string" },
  tasks: { type: "string" },
  "tasks-path": { type: "string", multiple: true },
  config: { type: "string" }
};
var HELP = `aibench \u2014 benchmark LLMs on machine-verified React/TypeScript and Rust tasks

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

Exit codes: 0 ok \xB7 1 internal error \xB7 2 bad input or missing key \xB7 3 validate failed
            4 --max-cost reached \xB7 5 API faults dominate the run \xB7 6 compare: a task regressed`;

// src/cli/commands-extra.ts
var REGRESSION_EXIT = 6;
async function cmdMerge(argv, io) {
  const { values, positionals } = parse(argv, { out: { type: "string", default: "aibench-out" } });
  if (!positionals.length)
    throw new UsageError(
      "merge: name the shards' results.json files or folders holding them, e.g. aibench merge shards/ --out merged"
    );
  const missing = positionals.find((p) => !findResultsFiles([p]).length);
  if (missing) throw new UsageError(`merge: no results.json at ${missing}`);
  const files = findResultsFiles(positionals);
  const { results, outDir } = mergeRunFiles(files, values.out);
  const t = runTotals(results);
  io.err(
    `merged ${files.length} shard(s): ${results.models.length} model(s) \xD7 ${results.tasks.length} task(s)`
  );
  io.out(
    `${t.passes}/${t.graded} passed (${percent(t.passRate)}), total cost ${usd(t.cost)}${t.infra ? `, ${t.infra} infra` : ""}`
  );
  io.out(`results: ${path.join(outDir, "results.json")}
report:  ${path.join(outDir, "report.md")}`);
  return results.status === "budget-exhausted" ? ExitCode.budgetExhausted : ExitCode.ok;
}
async function cmdCompare(argv, io) {
  const { values, positionals } = parse(argv, {
    "fail-on-regression": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    "stale-days": { type: "string" }
  });
  if (positionals.length !== 2)
    throw new UsageError(
      "compare: name two results files, the baseline first: aibench compare base/results.json head/results.json"
    );
  const stale = values["stale-days"] === void 0 ? void 0 : Number(values["stale-days"]);
  if (stale !== void 0 && !(stale >= 0))
    throw new UsageError(`--stale-days: "${values["stale-days"]}" is not a number of days`);
  const [base, head] = positionals.map(readResults);
  const cmp = compareResults(head, base, stale === void 0 ? {} : { staleAfterDays: stale });
  if (values.json) io.out(JSON.stringify(cmp, null, 2));
  else io.out(comparisonSection(cmp, { trials: head.config.trials, maxFlips: Number.POSITIVE_INFINITY }));
  return values["fail-on-regression"] && cmp.regressions.length ? REGRESSION_EXIT : ExitCode.ok;
}

// src/cli/main.ts
function selection(values) {
  const { config, path: configPath } = loadConfigFile(values.config);
  const fromConfig = (config.tasksPath ?? []).map((p) => path2.resolve(path2.dirname(configPath ?? "."), p));
  const roots = [
    builtinTasksRoot(),
    ...fromConfig,
    ...(values["tasks-path"] ?? []).map((p) => path2.resolve(p))
  ];
  const tasks = selectTasks(loadTasks(roots), splitList(values.suites), splitList(values.tasks));
  return { config, tasks, extraRoots: roots.slice(1) };
}
async function cmdRun(argv, io) {
  const { values } = parse(argv, {
    ...selectionOptions,
    models: { type: "string" },
    attempts: { type: "string" },
    trials: { type: "string" },
    concurrency: { type: "string" },
    "grade-concurrency": { type: "string" },
    "max-tokens": { type: "string" },
    "feedback-chars": { type: "string" },
    "max-cost": { type: "string" },
    out: { type: "string", default: "aibench-out" },
    resume: { type: "string" }
  });
  const { config, extraRoots } = selection(values);
  const settings = resolveSettings(config.run, {
    attempts: numberFrom(values.attempts, "--attempts"),
    trials: numberFrom(values.trials, "--trials"),
    concurrency: numberFrom(values.concurrency, "--concurrency"),
    gradeConcurrency: numberFrom(values["grade-concurrency"], "--grade-concurrency"),
    maxTokens: numberFrom(values["max-tokens"], "--max-tokens"),
    feedbackChars: numberFrom(values["feedback-chars"], "--feedback-chars"),
    maxCost: numberFrom(values["max-cost"], "--max-cost")
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
    out: values.resume ?? values.out,
    resume: values.resume !== void 0,
    log: io.err,
    onAttempt: (info) => io.err(attemptLine(info, ++done, 0, io.tty))
  });
  const totals = runTotals(outcome.results);
  io.out(
    `${totals.passes}/${totals.graded} passed (${percent(totals.passRate)}), total cost ${usd(totals.cost)}${totals.infra ? `, ${totals.infra} infra` : ""}`
  );
  io.out(
    `results: ${path2.join(outcome.outDir, "results.json")}
report:  ${path2.join(outcome.outDir, "report.md")}`
  );
  if (outcome.fatal) io.err(`aibench: ${outcome.fatal}`);
  if (outcome.exitCode === ExitCode.infraDominated)
    io.err("aibench: API faults ended most trials; the pass rate above would mislead");
  if (outcome.exitCode === ExitCode.budgetExhausted)
    io.err("aibench: --max-cost reached; the report covers what was paid for");
  return outcome.exitCode;
}
async function cmdValidate(argv, io) {
  const { values } = parse(argv, { ...selectionOptions, "feedback-chars": { type: "string" } });
  const { tasks } = selection(values);
  const items = await validateTasks(tasks, {
    feedbackChars: numberFrom(values["feedback-chars"], "--feedback-chars") ?? 4e3,
    log: io.err,
    onItem: (i) => io.err(
      `${i.ok ? "ok  " : "FAIL"} ${i.task} ${i.subject}: ${i.detail} (${(i.gradeMs / 1e3).toFixed(1)} s)`
    )
  });
  const bad = items.filter((i) => !i.ok);
  const refs = items.filter((i) => i.subject === "reference");
  const mutants = items.filter((i) => i.subject !== "reference");
  io.out(
    `${refs.filter((i) => i.ok).length}/${refs.length} references pass, ${mutants.filter((i) => i.ok).length}/${mutants.length} mutants fail as expected`
  );
  for (const b of bad) io.out(`offender: ${b.task} ${b.subject}: ${b.detail}`);
  return bad.length ? ExitCode.validateFailed : ExitCode.ok;
}
async function cmdTasks(argv, io) {
  const { values } = parse(argv, selectionOptions);
  for (const t of selection(values).tasks) {
    io.out(
      `${t.key.padEnd(28)} L${t.level}  ${String(t.expectedTests).padStart(3)} tests  ${String(t.mutants.length).padStart(2)} mutants  ${t.title}`
    );
  }
  return ExitCode.ok;
}
async function cmdReport(argv, io) {
  const { positionals } = parse(argv, {});
  if (!positionals[0])
    throw new UsageError("report: name a results.json, e.g. aibench report aibench-out/results.json");
  io.out(renderReport(readResults(positionals[0])));
  return ExitCode.ok;
}
async function main(argv, io) {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run":
        return await cmdRun(rest, io);
      case "validate":
        return await cmdValidate(rest, io);
      case "tasks":
        return await cmdTasks(rest, io);
      case "report":
        return await cmdReport(rest, io);
      case "merge":
        return await cmdMerge(rest, io);
      case "compare":
        return await cmdCompare(rest, io);
      case "--version":
        io.out((await harnessIdentity(process.env)).version);
        return ExitCode.ok;
      case void 0:
      case "--help":
      case "-h":
      case "help":
        io.out(HELP);
        return command ? ExitCode.ok : ExitCode.usage;
      default:
        throw new UsageError(
          `unknown command "${command}" (commands: run, validate, tasks, report, merge, compare; see aibench --help)`
        );
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`aibench: ${err.message}`);
      return err.code;
    }
    io.err(`aibench: internal error: ${oneLine(err)}`);
    if (process.env.AIBENCH_DEBUG) io.err(String(err.stack));
    return ExitCode.internal;
  }
}

// src/cli.ts
var code = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}
`),
  err: (line) => process.stderr.write(`${line}
`),
  tty: Boolean(process.stderr.isTTY)
});
process.exitCode = code;

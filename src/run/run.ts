import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { RunSettings, ConfigFile } from '../config/schema.js';
import { ExitCode, UsageError, oneLine } from '../errors.js';
import { FatalApiError } from '../models/faults.js';
import { lookupPrice, priceTable } from '../models/prices.js';
import { createProviders } from '../models/registry.js';
import { parseModelSpec } from '../models/spec.js';
import type { Provider } from '../models/types.js';
import { PROMPT_HASH } from '../prompt/build.js';
import { runTotals } from '../results/aggregate.js';
import type { AttemptRecord, Results, TrialRecord } from '../results/schema.js';
import { renderReport } from '../report/markdown.js';
import { hashFiles, sha256 } from '../tasks/files.js';
import { builtinTasksRoot, loadTasks, selectTasks, type Task } from '../tasks/loader.js';
import { Budget } from './budget.js';
import { harnessIdentity, prepareGrading } from './environment.js';
import { Journal, OUTPUT_FILES } from './journal.js';
import { Pool } from './pool.js';
import { runTrial } from './trial.js';

export interface RunOptions {
  models: string[];
  suites?: string[];
  tasks?: string[];
  /** Extra task roots (a user's own suites). */
  tasksPaths?: string[];
  /** Include the shipped suites (default true; the harness's own tests turn it off). */
  builtinTasks?: boolean;
  settings: RunSettings;
  config: ConfigFile;
  out: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  onAttempt?: (info: { model: string; task: string; trial: number; attempt: AttemptRecord }) => void;
}

export interface RunOutcome {
  results: Results;
  exitCode: ExitCode;
  outDir: string;
  /** Set when the run was aborted by a fatal API error (bad model id, refused key). */
  fatal?: string;
}

function ensureWritableOut(out: string): void {
  try {
    mkdirSync(out, { recursive: true });
    accessSync(out, constants.W_OK);
  } catch {
    throw new UsageError(`--out: ${out} is not a writable folder; choose another --out`);
  }
  const journal = path.join(out, OUTPUT_FILES.journal);
  if (existsSync(journal) && !existsSync(path.join(out, OUTPUT_FILES.results))) {
    throw new UsageError(`--out: ${out} holds an unfinished run's journal; choose another --out (nothing there was touched)`);
  }
  for (const f of Object.values(OUTPUT_FILES)) rmSync(path.join(out, f), { force: true });
}

/** Everything checked before anything is spent or written: tasks, models, keys, prices, output folder. */
export function planRun(opts: RunOptions): { tasks: Task[]; providers: Provider[]; all: Task[] } {
  const env = opts.env ?? process.env;
  if (!opts.models.length) throw new UsageError('--models: name at least one model, e.g. --models reference');
  const specs = opts.models.map(parseModelSpec);
  const dup = specs.find((s, i) => specs.findIndex((o) => o.name === s.name) !== i);
  if (dup) throw new UsageError(`--models: "${dup.name}" is listed twice; give one an @label`);
  const all = loadTasks([...(opts.builtinTasks === false ? [] : [builtinTasksRoot()]), ...(opts.tasksPaths ?? [])]);
  const tasks = selectTasks(all, opts.suites, opts.tasks);
  const providers = createProviders(specs, {
    env,
    configProviders: opts.config.providers,
    tasks: new Map(tasks.map((t) => [t.key, t])),
    timeoutMs: opts.settings.requestTimeoutSec * 1000,
    retry: { maxRetries: opts.settings.retries, baseDelayMs: Number(env.AIBENCH_RETRY_BASE_MS ?? 1000), maxDelayMs: 60_000 },
  });
  if (opts.settings.maxCost !== null) {
    const table = priceTable(opts.config.prices);
    const unpriced = specs.find((s) => !lookupPrice(table, s.provider, s.model));
    if (unpriced) throw new UsageError(`--max-cost: no price for ${unpriced.provider}/${unpriced.model}, so the cap cannot be enforced; add it under prices: in aibench.yml`);
  }
  return { tasks, providers, all };
}

/** Runs every (model × task × trial), journaling as it goes; writes results.json, transcripts.jsonl, report.md. */
export async function runBenchmark(opts: RunOptions): Promise<RunOutcome> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => {});
  const { tasks, providers } = planRun(opts);
  const out = path.resolve(opts.out);
  ensureWritableOut(out);
  const journal = new Journal(out);
  const table = priceTable(opts.config.prices);
  const prices = Object.fromEntries(providers.map((p) => [p.spec.name, lookupPrice(table, p.spec.provider, p.spec.model)]));
  const warnings: string[] = [];
  for (const [model, price] of Object.entries(prices)) {
    if (!price) warnings.push(`no price for ${model}: its cost is reported as n/a, never as $0; add it under prices: in aibench.yml`);
  }
  warnings.forEach((w) => log(`warning: ${w}`));

  const { env: gradeEnv, toolchains } = await prepareGrading(tasks, env, log, [out]);
  const results: Results = {
    schemaVersion: 1,
    runId: randomUUID(),
    status: 'running',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    harness: await harnessIdentity(env),
    fingerprints: {
      tasks: hashFiles(new Map(tasks.map((t) => [t.key, t.hash]))),
      prompt: PROMPT_HASH,
      prices: sha256(JSON.stringify(prices)),
    },
    prices: { asOf: table.asOf, models: prices },
    toolchains,
    sandbox: { level: gradeEnv.sandbox.level, features: gradeEnv.sandbox.features, missing: gradeEnv.sandbox.missing },
    config: {
      attempts: opts.settings.attempts,
      trials: opts.settings.trials,
      concurrency: opts.settings.concurrency,
      maxTokens: opts.settings.maxTokens,
      feedbackChars: opts.settings.feedbackChars,
      maxCost: opts.settings.maxCost,
    },
    models: providers.map((p) => ({ name: p.spec.name, spec: p.spec.raw, provider: p.spec.provider, model: p.spec.model })),
    tasks: tasks.map((t) => ({ key: t.key, suite: t.suite.name, id: t.id, level: t.level, title: t.title, hash: t.hash })),
    trials: [],
    warnings,
  };
  journal.results(results);

  const budget = new Budget(opts.settings.maxCost);
  const modelPool = new Pool(opts.settings.concurrency);
  const gradePool = new Pool(opts.settings.gradeConcurrency);
  const order = new Map<string, number>();
  const jobs: { provider: Provider; task: Task; trial: number }[] = [];
  for (let trial = 1; trial <= opts.settings.trials; trial++) {
    for (const task of tasks) for (const provider of providers) jobs.push({ provider, task, trial });
  }
  jobs.forEach((j, i) => order.set(`${j.provider.spec.name}|${j.task.key}|${j.trial}`, i));
  let fatal: string | undefined;
  const finished: TrialRecord[] = [];

  await Promise.all(
    jobs.map(async ({ provider, task, trial }) => {
      if (fatal) return;
      try {
        const record = await runTrial(provider, task, trial, {
          attempts: opts.settings.attempts,
          maxTokens: opts.settings.maxTokens,
          price: prices[provider.spec.name] ?? null,
          modelPool,
          gradePool,
          grade: { env: gradeEnv, feedbackChars: opts.settings.feedbackChars },
          budget,
          journal,
          onAttempt: (attempt) => opts.onAttempt?.({ model: provider.spec.name, task: task.key, trial, attempt }),
        });
        if (!record) return;
        finished.push(record);
        results.trials = [...finished].sort(
          (a, b) => order.get(`${a.model}|${a.task}|${a.trial}`)! - order.get(`${b.model}|${b.task}|${b.trial}`)!,
        );
        journal.results(results);
      } catch (err) {
        if (err instanceof FatalApiError) {
          fatal ??= oneLine(err);
          return;
        }
        throw err;
      }
    }),
  );

  results.finishedAt = new Date().toISOString();
  results.status = fatal ? 'aborted' : budget.exhausted && finished.length < jobs.length ? 'budget-exhausted' : 'complete';
  if (fatal) results.warnings.push(`run aborted: ${fatal}`);
  if (results.status === 'budget-exhausted') results.warnings.push(`--max-cost ${opts.settings.maxCost} reached after $${budget.total.toFixed(4)}: ${jobs.length - finished.length} trial(s) not started`);
  journal.results(results);
  journal.report(renderReport(results));
  const totals = runTotals(results);
  const exitCode = fatal
    ? ExitCode.usage
    : results.status === 'budget-exhausted'
      ? ExitCode.budgetExhausted
      : totals.infraDominated
        ? ExitCode.infraDominated
        : ExitCode.ok;
  return { results, exitCode, outDir: out, ...(fatal ? { fatal } : {}) };
}

import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { RunSettings, ConfigFile } from '../config/schema.js';
import { ExitCode, UsageError, oneLine } from '../errors.js';
import { FatalApiError } from '../models/faults.js';
import { lookupPrice, priceTable } from '../models/prices.js';
import { checkModelIds } from '../models/check-ids.js';
import { createProviders } from '../models/registry.js';
import { parseModelSpec } from '../models/spec.js';
import type { Provider } from '../models/types.js';
import { createAgent } from '../agents/registry.js';
import { agentIsolation, isAgent, runAgentTrial, type AgentProvider } from '../agents/trial.js';
import { PROMPT_HASH } from '../prompt/build.js';
import { profilesFor, type PromptProfile } from '../prompt/variants.js';
import { runTotals } from '../results/aggregate.js';
import type { AttemptRecord, Results, TrialRecord } from '../results/schema.js';
import { renderReport } from '../report/markdown.js';
import { writeVisualReport } from '../report/html/write.js';
import { hashFiles, sha256 } from '../tasks/files.js';
import { builtinTasksRoot, loadTasks, selectTasks, type Task } from '../tasks/loader.js';
import { Budget } from './budget.js';
import { Checkpoints } from './checkpoint.js';
import { ReplySpool } from './reply-spool.js';
import { cacheLimit } from '../cache/limit.js';
import { releaseAndPrune, releaseHolds } from '../cache/run-end.js';
import { harnessIdentity, startGradingPreparation } from './environment.js';
import { Journal, OUTPUT_FILES } from './journal.js';
import { Pool } from './pool.js';
import { readJournal, trialKey, type RunHeader } from './resume.js';
import { gradeEstimates, recordGradeTimes } from './schedule.js';
import { runTrial, type AttemptPhase } from './trial.js';

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
  /** `--system-prompt`: a file replacing the built-in system prompt for every model without a variant. */
  systemPrompt?: string;
  /** Continue the interrupted run in `out`: its journal decides models, tasks and settings; paid attempts are kept. */
  resume?: boolean;
  /**
   * With `resume`: trials that ended in an API or harness fault are run again in the same out folder,
   * continuing after their last graded attempt; every attempt already paid for is kept.
   */
  rerunInfra?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  onAttempt?: (info: { model: string; task: string; trial: number; attempt: AttemptRecord }) => void;
  /** An attempt entered a phase (model call, waiting for a grader, grading): the live progress display. */
  onPhase?: (info: {
    model: string;
    task: string;
    trial: number;
    attempt: number;
    phase: AttemptPhase;
  }) => void;
  /**
   * Aborting it (Ctrl-C, SIGTERM) stops the run: no new request or grading starts, and results.json and
   * the journal say `interrupted` at once, so the caller may exit right after.
   */
  signal?: AbortSignal;
  /** Called once before any model call: what the run will do and the isolation it obtained. */
  onPlan?: (plan: RunPlan) => void;
  /** `--cache-limit`: the cache is pruned to it at the end (default AIBENCH_CACHE_LIMIT, else 4GB). */
  cacheLimit?: string;
}

/** What a run is about to do, known once the models and tasks are resolved and the sandbox probed. */
export interface RunPlan {
  models: number;
  tasks: number;
  trials: number;
  attempts: number;
  /** The isolation level the grader obtained (`namespaces` or `process`). */
  isolation: string;
  /** Trials already finished by the interrupted run being resumed. */
  resumed: number;
}

export interface RunOutcome {
  results: Results;
  exitCode: ExitCode;
  outDir: string;
  /** Set when the run was aborted by a fatal API error (bad model id, refused key). */
  fatal?: string;
}

/** A suite's grading set-up (fixture install, toolchain check) failed: no grading of it can run. */
class PreparationFailed extends Error {}

function ensureWritableOut(out: string, resume: boolean): void {
  try {
    mkdirSync(out, { recursive: true });
    accessSync(out, constants.W_OK);
  } catch {
    throw new UsageError(`--out: ${out} is not a writable folder; choose another --out`);
  }
  if (resume) return;
  // Never throw away what an interrupted run paid for: it can be resumed.
  if (existsSync(path.join(out, OUTPUT_FILES.journal))) {
    let status = 'unknown';
    try {
      status =
        (JSON.parse(readFileSync(path.join(out, OUTPUT_FILES.results), 'utf8')) as { status?: string })
          .status ?? status;
    } catch {
      // No readable results: treat as unfinished.
    }
    if (status === 'running' || status === 'interrupted' || status === 'unknown') {
      throw new UsageError(
        `--out: ${out} holds an unfinished run; continue it with --resume ${out}, or choose another --out`,
      );
    }
  }
  for (const f of Object.values(OUTPUT_FILES)) rmSync(path.join(out, f), { force: true });
}

/** The model a row's tokens are priced as: its own, or for an agent the model it declared. */
function pricedAs(p: Provider | AgentProvider): { provider: string; model: string } {
  return isAgent(p) ? p.def.pricedAs : p.spec;
}

/** Everything checked before anything is spent or written: tasks, models, keys, prices, output folder. */
export function planRun(opts: RunOptions): {
  tasks: Task[];
  providers: (Provider | AgentProvider)[];
  all: Task[];
  profiles: Map<string, PromptProfile>;
} {
  const env = opts.env ?? process.env;
  if (!opts.models.length) throw new UsageError('--models: name at least one model, e.g. --models reference');
  const specs = opts.models.map(parseModelSpec);
  const dup = specs.find((s, i) => specs.findIndex((o) => o.name === s.name) !== i);
  if (dup) throw new UsageError(`--models: "${dup.name}" is listed twice; give one an @label`);
  const all = loadTasks([
    ...(opts.builtinTasks === false ? [] : [builtinTasksRoot()]),
    ...(opts.tasksPaths ?? []),
  ]);
  const tasks = selectTasks(all, opts.suites, opts.tasks);
  const profiles = profilesFor(specs, opts.config.variants, opts.systemPrompt);
  const chat = createProviders(
    specs.filter((s) => s.provider !== 'agent'),
    {
      env,
      configProviders: opts.config.providers,
      tasks: new Map(tasks.map((t) => [t.key, t])),
      timeoutMs: opts.settings.requestTimeoutSec * 1000,
      retry: {
        maxRetries: opts.settings.retries,
        baseDelayMs: Number(env.AIBENCH_RETRY_BASE_MS ?? 1000),
        maxDelayMs: 60_000,
      },
    },
  );
  const agentContext = {
    env,
    configProviders: opts.config.providers,
    agents: opts.config.agents,
    timeoutMs: opts.settings.requestTimeoutSec * 1000,
  };
  const providers = specs.map((s) =>
    s.provider === 'agent' ? createAgent(s, agentContext) : chat.find((p) => p.spec === s)!,
  );
  if (opts.settings.maxCost !== null) {
    const table = priceTable(opts.config.prices);
    const unpriced = providers.map(pricedAs).find((s) => !lookupPrice(table, s.provider, s.model));
    if (unpriced)
      throw new UsageError(
        `--max-cost: no price for ${unpriced.provider}/${unpriced.model}, so the cap cannot be enforced; add it under prices: in aibench.yml`,
      );
  }
  return { tasks, providers, all, profiles };
}

/** Runs every (model × task × trial), journaling as it goes; writes results.json, transcripts.jsonl, report.md. */
export async function runBenchmark(request: RunOptions): Promise<RunOutcome> {
  const env = request.env ?? process.env;
  const log = request.log ?? (() => {});
  const out = path.resolve(request.out);
  const prior = request.resume ? readJournal(out) : null;
  const opts: RunOptions = prior
    ? {
        ...request,
        models: prior.header.models,
        tasks: prior.header.tasks,
        suites: undefined,
        tasksPaths: prior.header.tasksPaths,
        builtinTasks: prior.header.builtinTasks,
        settings: prior.header.settings,
        systemPrompt: prior.header.systemPrompt,
      }
    : request;
  const { tasks, providers, profiles } = planRun(opts);
  // Before anything is written or spent: a model id its provider does not know ends here.
  if (!prior) await checkModelIds(providers, priceTable(opts.config.prices), log);
  ensureWritableOut(out, Boolean(prior));
  const journal = new Journal(out);
  const header: RunHeader = prior?.header ?? {
    type: 'run',
    runId: randomUUID(),
    startedAt: new Date().toISOString(),
    models: opts.models,
    tasks: tasks.map((t) => t.key),
    tasksPaths: opts.tasksPaths ?? [],
    builtinTasks: opts.builtinTasks !== false,
    settings: opts.settings,
    ...(opts.systemPrompt ? { systemPrompt: opts.systemPrompt } : {}),
  };
  if (prior && request.rerunInfra) {
    const rerun = [...prior.trials].filter(([, t]) => t.outcome === 'infra');
    for (const [key] of rerun) prior.trials.delete(key);
    log(`--rerun-infra: ${rerun.length} trial(s) ended by API faults run again; everything paid for is kept`);
  }
  if (!prior) journal.header(header);
  else
    log(
      `resuming run ${header.runId}: ${prior.trials.size} trial(s) done, ${[...prior.attempts.values()].flat().length} attempt(s) kept`,
    );
  const table = priceTable(opts.config.prices);
  const prices = Object.fromEntries(
    providers.map((p) => [p.spec.name, lookupPrice(table, pricedAs(p).provider, pricedAs(p).model)]),
  );
  const warnings: string[] = [];
  for (const [model, price] of Object.entries(prices)) {
    if (!price)
      warnings.push(
        `no price for ${model}: its cost is reported as n/a, never as $0; add it under prices: in aibench.yml`,
      );
  }
  warnings.forEach((w) => log(`warning: ${w}`));

  const cacheLimitBytes = cacheLimit(env, opts.cacheLimit);
  // Fixtures and toolchain checks run while the first model calls are made; gradings wait for them.
  // The plan (the CLI's header line) is announced as soon as the isolation is known, before set-up logs.
  const preparation = await startGradingPreparation(tasks, env, log, [out], (sandbox) =>
    opts.onPlan?.({
      models: providers.length,
      tasks: tasks.length,
      trials: opts.settings.trials,
      attempts: opts.settings.attempts,
      isolation: sandbox.level,
      resumed: prior?.trials.size ?? 0,
    }),
  );
  const { env: gradeEnv, toolchains } = preparation;
  const results: Results = {
    schemaVersion: 1,
    runId: header.runId,
    status: 'running',
    startedAt: header.startedAt,
    finishedAt: null,
    harness: await harnessIdentity(env),
    fingerprints: {
      tasks: hashFiles(new Map(tasks.map((t) => [t.key, t.hash]))),
      prompt: PROMPT_HASH,
      prices: sha256(JSON.stringify(prices)),
    },
    prices: { asOf: table.asOf, models: prices },
    toolchains,
    sandbox: {
      level: gradeEnv.sandbox.level,
      features: gradeEnv.sandbox.features,
      missing: gradeEnv.sandbox.missing,
    },
    config: {
      attempts: opts.settings.attempts,
      trials: opts.settings.trials,
      concurrency: opts.settings.concurrency,
      maxTokens: opts.settings.maxTokens,
      feedbackChars: opts.settings.feedbackChars,
      maxCost: opts.settings.maxCost,
    },
    models: providers.map((p) => {
      const profile = profiles.get(p.spec.name)!;
      if (isAgent(p))
        return {
          name: p.spec.name,
          spec: p.spec.raw,
          provider: p.spec.provider,
          model: p.spec.model,
          agent: {
            pricedAs: `${p.def.pricedAs.provider}/${p.def.pricedAs.model}`,
            isolation: agentIsolation(gradeEnv.sandbox.level),
          },
        };
      return {
        name: p.spec.name,
        spec: p.spec.raw,
        provider: p.spec.provider,
        model: p.spec.model,
        prompt: { hash: profile.hash, variant: profile.variant, ...profile.source },
        settings: { maxTokens: profile.maxTokens ?? opts.settings.maxTokens, ...profile.settings },
      };
    }),
    tasks: tasks.map((t) => ({
      key: t.key,
      suite: t.suite.name,
      id: t.id,
      level: t.level,
      title: t.title,
      hash: t.hash,
    })),
    trials: [],
    warnings,
  };
  journal.results(results);

  const budget = new Budget(opts.settings.maxCost);
  for (const attempt of [...(prior?.attempts.values() ?? [])].flat()) budget.add(attempt.cost);
  for (const pending of prior?.paid.values() ?? []) for (const p of pending.values()) budget.add(p.cost);
  for (const runs of prior?.agentRuns.values() ?? [])
    for (const r of runs) if (!r.graded) budget.add(r.paid.record.cost);
  for (const calls of prior?.agentUnbilled.values() ?? []) for (const c of calls) budget.add(c.cost);
  const modelPool = new Pool(opts.settings.concurrency);
  const gradePool = new Pool(opts.settings.gradeConcurrency);
  const expectedGradeMs = gradeEstimates(tasks, gradeEnv.cacheDir);
  const order = new Map<string, number>();
  // Listed trial-major (results.json's order); the pools' priorities decide what runs first.
  const jobs: { provider: Provider | AgentProvider; task: Task; trial: number }[] = [];
  for (let trial = 1; trial <= opts.settings.trials; trial++) {
    for (const task of tasks) for (const provider of providers) jobs.push({ provider, task, trial });
  }
  jobs.forEach((j, i) => order.set(trialKey(j.provider.spec.name, j.task.key, j.trial), i));
  let fatal: string | undefined;
  let interrupted = false;
  const finished: TrialRecord[] = [];
  /** results.json's trials, in plan order: computed only when results.json is written. */
  const materialise = (): void => {
    results.trials = [...finished].sort(
      (a, b) =>
        order.get(trialKey(a.model, a.task, a.trial))! - order.get(trialKey(b.model, b.task, b.trial))!,
    );
  };
  const checkpointSec = Number(env.AIBENCH_CHECKPOINT_SEC ?? 30);
  const checkpoints = new Checkpoints(
    () => {
      materialise();
      try {
        journal.checkpoint(results);
      } catch (err) {
        // The journal holds every attempt; a checkpoint that cannot be written is only a stale view.
        log(`warning: could not write a results.json checkpoint (${oneLine(err)}); the journal is intact`);
      }
    },
    {
      minIntervalMs: (Number.isFinite(checkpointSec) && checkpointSec > 0 ? checkpointSec : 30) * 1000,
      // A small part of the 2% of wall time the whole harness may take outside gradings.
      maxShare: 0.005,
    },
  );
  const onAbort = (): void => {
    if (interrupted || results.finishedAt) return;
    interrupted = true;
    checkpoints.stop();
    results.status = 'interrupted';
    results.finishedAt = new Date().toISOString();
    results.warnings.push(
      `run interrupted (${String(opts.signal?.reason ?? 'signal')}): continue it with aibench run --resume ${out}`,
    );
    journal.interrupted(String(opts.signal?.reason ?? 'signal'));
    materialise();
    journal.results(results);
    journal.report(renderReport(results));
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  // Finished trials keep their verdicts on the heap and their replies in a temp file until the end.
  const replies = new ReplySpool();
  const publish = (record: TrialRecord): void => {
    if (interrupted) return;
    replies.hold(record);
    finished.push(record);
    checkpoints.changed();
  };

  // Started longest expected grading first (stable: plan order among equals), so the first free slots
  // go to the heaviest tasks; from then on the pools' priorities (`schedule.ts`) keep that order.
  const launch = [...jobs].sort((a, b) => expectedGradeMs(b.task) - expectedGradeMs(a.task));
  await Promise.all(
    launch.map(async ({ provider, task, trial }) => {
      if (fatal || interrupted) return;
      const key = trialKey(provider.spec.name, task.key, trial);
      const done = prior?.trials.get(key);
      if (done) return publish(done);
      try {
        const runOne = (ctx: Parameters<typeof runTrial>[3]) =>
          isAgent(provider)
            ? runAgentTrial(provider, task, trial, ctx)
            : runTrial(provider, task, trial, ctx);
        const record = await runOne({
          prior: prior?.attempts.get(key),
          paid: prior?.paid.get(key),
          agentRuns: prior?.agentRuns.get(key),
          agentUnbilled: prior?.agentUnbilled.get(key),
          retryInfra: Boolean(request.rerunInfra),
          attempts: opts.settings.attempts,
          maxTokens: profiles.get(provider.spec.name)!.maxTokens ?? opts.settings.maxTokens,
          prompt: profiles.get(provider.spec.name)!,
          price: prices[provider.spec.name] ?? null,
          modelPool,
          gradePool,
          grade: { env: gradeEnv, feedbackChars: opts.settings.feedbackChars },
          ready: (t) =>
            preparation.ready(t.suite.name).catch((err: unknown) => {
              throw new PreparationFailed(
                `${oneLine(err)}; the replies already paid for are in the journal: fix this, then grade them with aibench run --resume ${out}`,
              );
            }),
          expectedGradeMs,
          budget,
          journal,
          onAttempt: (attempt) =>
            opts.onAttempt?.({ model: provider.spec.name, task: task.key, trial, attempt }),
          onPhase: (attempt, phase) =>
            opts.onPhase?.({ model: provider.spec.name, task: task.key, trial, attempt, phase }),
        });
        if (record) publish(record);
      } catch (err) {
        if (err instanceof FatalApiError || err instanceof PreparationFailed) {
          fatal ??= oneLine(err);
          return;
        }
        // A harness fault outside grading (gradings catch their own) costs this trial, not the run:
        // every other trial goes on and the report is written.
        const warning = `trial ${trial} of ${task.key} for ${provider.spec.name} was stopped by a harness error: ${oneLine(err)}`;
        results.warnings.push(warning);
        log(`warning: ${warning}`);
      }
    }),
  );

  opts.signal?.removeEventListener('abort', onAbort);
  checkpoints.stop();
  if (interrupted) {
    releaseHolds(gradeEnv);
    replies.release();
    journal.close();
    return { results, exitCode: ExitCode.interrupted, outDir: out };
  }
  // A set-up no grading waited for (every trial stopped by the budget or a fatal error) still ends
  // before the run does: no npm ci is left running and the toolchain versions are recorded.
  await preparation.settled;
  materialise();
  recordGradeTimes(gradeEnv.cacheDir, tasks, results.trials);
  results.finishedAt = new Date().toISOString();
  const cut = finished.length < jobs.length || finished.some((t) => t.stoppedBy === 'budget');
  results.status = fatal ? 'aborted' : budget.exhausted && cut ? 'budget-exhausted' : 'complete';
  if (fatal) results.warnings.push(`run aborted: ${fatal}`);
  if (results.status === 'budget-exhausted') {
    const stopped = finished.filter((t) => t.stoppedBy === 'budget').length;
    results.warnings.push(
      `--max-cost $${opts.settings.maxCost} reached after $${budget.total.toFixed(4)}: ${jobs.length - finished.length} trial(s) not started, ${stopped} stopped before using all attempts`,
    );
  }
  journal.results(results);
  const reportMd = renderReport(results);
  journal.report(reportMd);
  // Figures and report.html are a view of results.json: failing to draw them must not fail the run.
  await writeVisualReport(results, out, tasks, reportMd).catch((err: unknown) =>
    log(
      `warning: could not write the figures and report.html (${oneLine(err)}); results.json and report.md are complete`,
    ),
  );
  // Pruned after the gradings (whose fixtures and caches are now the most recently used), never during.
  await releaseAndPrune(gradeEnv, cacheLimitBytes, log);
  replies.release(); // the caller gets plain results: the spool's file closes with the run
  journal.close();
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

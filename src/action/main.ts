import * as core from '@actions/core';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { UsageError, oneLine } from '../errors.js';
import { missingKeys } from '../models/registry.js';
import { parseModelSpec } from '../models/spec.js';
import { runTotals } from '../results/aggregate.js';
import { compareResults } from '../results/baseline.js';
import { findResultsFiles, mergeRunFiles } from '../results/merge.js';
import type { Results } from '../results/schema.js';
import type { PublishView } from '../report/summary.js';
import { runBenchmark } from '../run/run.js';
import {
  baselineDir,
  readContextFile,
  restoreBaseline,
  saveBaseline,
  writeContextFile,
  type BaselineSelection,
  type StoredBaseline,
} from './baseline-store.js';
import {
  actionsCache,
  restoreToolCaches,
  saveToolCaches,
  toolCacheEntries,
  TolerantCache,
  type CacheBackend,
} from './cache.js';
import { readContext, type RunContext } from './context.js';
import { baselineSaveBlocker, evaluateGate } from './gate.js';
import { applyApiKeys } from './api-keys.js';
import { asInputMessage, readInputs, type ActionInputs } from './inputs.js';
import { INPUT, type InputName } from './names.js';
import { publishRun, publishSkip } from './publish.js';
import { groupedRunLog } from './run-log.js';
import { prepareSandbox, realHost } from './sandbox-setup.js';

const log = { info: (l: string) => core.info(l), warning: (l: string) => core.warning(l) };

/** Models whose key env var is unset: on fork PRs GitHub withholds every secret. */
function modelsWithoutKeys(inputs: ActionInputs, env: NodeJS.ProcessEnv): Map<string, string[]> {
  const ctx = {
    env,
    configProviders: inputs.config.providers,
    timeoutMs: 0,
    retry: { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0 },
  };
  const out = new Map<string, string[]>();
  for (const raw of inputs.models) {
    const missing = missingKeys([parseModelSpec(raw)], ctx);
    if (missing.length) out.set(raw, missing);
  }
  return out;
}

function skipReason(ctx: RunContext, missing: string[]): string {
  const why = ctx.pr?.fork
    ? 'This pull request comes from a fork, and GitHub does not pass secrets to workflows run for forks.'
    : 'Pass the keys to the step from secrets, e.g. `env: ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}`.';
  return `No API key is available to this run (${missing.join(', ')} unset): nothing was run and nothing was spent. ${why}`;
}

async function loadBaseline(
  inputs: ActionInputs,
  ctx: RunContext,
  store: TolerantCache,
  selection: BaselineSelection,
): Promise<{ stored: StoredBaseline | null; note: string | null }> {
  if (inputs.baseline.kind === 'none') return { stored: null, note: null };
  if (inputs.baseline.kind === 'file') {
    return {
      stored: {
        results: inputs.baseline.results,
        meta: readContextFile(inputs.baseline.path),
        source: inputs.baseline.path,
      },
      note: null,
    };
  }
  const stored = await restoreBaseline(store, selection, baselineDir(ctx.runnerTemp), log);
  if (stored)
    core.info(
      `baseline: ${stored.source}${stored.meta?.commit ? ` (commit ${stored.meta.commit.slice(0, 7)})` : ''}`,
    );
  return {
    stored,
    note: stored ? null : NO_BASELINE_NOTE,
  };
}

/** Said once, in the comment and the summary, while no default-branch run has saved a baseline. */
export const NO_BASELINE_NOTE =
  'No baseline yet for these models: a run of this workflow on the default branch saves one (add `push: branches: [main]`, a `schedule` or `workflow_dispatch` to its triggers, with `baseline: cache`); later pull requests compare with it.';

/** Runs the models (run mode) or merges shard results (merge mode); null when there is nothing to publish. */
async function produce(
  inputs: ActionInputs,
  ctx: RunContext,
  store: TolerantCache,
  notes: string[],
): Promise<{
  results: Results;
  outDir: string;
  fatal?: string;
  /** Model names the baseline is keyed by: those requested, even when some were skipped for want of a key. */
  models: string[];
  /** Some requested models did not run: the results must not become the baseline. */
  partial: boolean;
  save: () => Promise<void>;
} | null> {
  const outDir = mkdtempSync(path.join(ctx.runnerTemp, 'aibench-out-'));
  if (inputs.mode === 'merge') {
    const files = findResultsFiles(inputs.results);
    if (!files.length) {
      core.notice(
        `nothing to merge: no results.json under ${inputs.results.join(', ')} (did every shard skip for want of an API key?)`,
      );
      await publishSkip(
        `No shard results were found under \`${inputs.results.join(', ')}\`: nothing to publish.`,
      );
      return null;
    }
    core.info(`merging ${files.length} shard(s): ${files.join(', ')}`);
    const merged = mergeRunFiles(files, outDir);
    return {
      ...merged,
      models: merged.results.models.map((m) => m.name),
      partial: false,
      save: async () => {},
    };
  }
  const lacking = modelsWithoutKeys(inputs, process.env);
  const models = inputs.models.filter((m) => !lacking.has(m));
  const missingVars = [...new Set([...lacking.values()].flat())];
  if (!models.length) {
    const reason = skipReason(ctx, missingVars);
    core.notice(`aibench skipped: ${reason}`);
    await publishSkip(reason);
    return null;
  }
  if (lacking.size) {
    const note = `skipped ${[...lacking.keys()].join(', ')}: ${missingVars.join(', ')} unset (nothing spent on them)`;
    core.warning(note);
    notes.push(note);
  }
  const sandbox = await core.group('Sandbox', () => prepareSandbox(inputs.sandbox, realHost, log));
  core.info(`isolation: ${sandbox.level}${sandbox.detail ? ` (${sandbox.detail})` : ''}`);
  const entries = inputs.cache
    ? await core.group('Restoring caches', async () =>
        restoreToolCaches(store, await toolCacheEntries(inputs.selected, process.env), log),
      )
    : [];
  // No group around the run: GitHub cannot nest groups, and each model gets its own (run-log.ts).
  core.info(`Benchmark: ${models.length} model(s) × ${inputs.selected.length} task(s)`);
  const progress = groupedRunLog(core);
  const outcome = await runBenchmark({
    models,
    suites: inputs.suites,
    tasks: inputs.tasks,
    tasksPaths: inputs.tasksPaths,
    builtinTasks: inputs.builtinTasks,
    settings: inputs.settings,
    config: inputs.config,
    systemPrompt: inputs.systemPrompt,
    out: outDir,
    log: (l) => progress.log(l),
    onPlan: (plan) => progress.onPlan(plan),
    onAttempt: (info) => progress.onAttempt(info),
  }).finally(() => progress.finish());
  return {
    ...outcome,
    models: inputs.models.map((m) => parseModelSpec(m).name),
    partial: lacking.size > 0,
    save: () => core.group('Saving caches', () => saveToolCaches(store, entries, log)),
  };
}

/** inputs → run (or merge) → compare → publish → save baseline and caches → gate. */
export async function runAction(backend: CacheBackend = actionsCache): Promise<void> {
  let inputs: ActionInputs;
  try {
    inputs = readInputs((name: InputName) => core.getInput(name));
  } catch (err) {
    core.setFailed(err instanceof UsageError ? err.message : `reading inputs failed: ${oneLine(err)}`);
    return;
  }
  if (inputs.mode === 'merge' && inputs.models.length)
    core.warning(
      `input "${INPUT.models}" is ignored: input "${INPUT.results}" is set, so earlier shards are merged instead of running models`,
    );
  const forwarded = applyApiKeys(inputs.apiKeys, process.env, (v) => core.setSecret(v));
  if (forwarded.length) core.info(`api-keys: ${forwarded.join(', ')} set for this step (values masked)`);
  const ctx = readContext(process.env);
  const store = new TolerantCache(backend, log);
  const notes: string[] = [];
  const produced = await produce(inputs, ctx, store, notes);
  if (!produced) return;
  const { results, outDir, fatal } = produced;
  const meta = {
    commit: ctx.pr?.headSha ?? ctx.sha,
    ref: ctx.pr ? `refs/pull/${ctx.pr.number}` : ctx.ref,
    runUrl: ctx.runUrl,
    savedAt: new Date().toISOString(),
  };
  writeContextFile(outDir, meta);

  const selection: BaselineSelection = {
    models: produced.models,
    taskKeys: results.tasks.map((t) => t.key),
  };
  const { stored, note } = await loadBaseline(inputs, ctx, store, selection);
  const comparison = stored ? compareResults(results, stored.results, { meta: stored.meta }) : null;
  comparison?.warnings.forEach((w) => core.warning(`baseline: ${w}`));
  const gate = evaluateGate(
    results,
    comparison,
    {
      minPassRate: inputs.minPassRate,
      failOnRegression: inputs.failOnRegression,
      maxCost: inputs.settings.maxCost,
    },
    fatal,
  );
  const view: PublishView = {
    gate,
    comparison,
    baselineNote: note,
    notes,
    links: { run: ctx.runUrl, artifact: null, repo: ctx.repoUrl },
  };
  await publishRun(results, outDir, view, ctx, inputs);

  const totals = runTotals(results);
  if (inputs.baseline.kind === 'cache' && ctx.onDefaultBranch) {
    // Only a complete run whose gate passed may become the baseline: a cut, fault-ridden or failing one
    // would make the next PR's comparison misleading.
    const cut = baselineSaveBlocker(results, gate, produced.partial);
    if (!cut) {
      const keys = await saveBaseline(
        store,
        selection,
        baselineDir(ctx.runnerTemp),
        results,
        meta,
        `${ctx.runId ?? Date.now()}-${ctx.runAttempt ?? 1}-${ctx.job}`,
      );
      if (keys.length) core.info(`saved this run as the baseline (${keys.join(', ')})`);
    } else core.info(`not saving a baseline: ${cut}`);
  }
  await produced.save();

  if (gate.failed)
    core.setFailed(
      `aibench gate failed: ${gate.checks
        .filter((c) => !c.ok)
        .map((c) => `${c.name}: ${c.detail}`)
        .join('; ')}`,
    );
  else core.info(`aibench: ${totals.passes}/${totals.graded} passed`);
}

/** The action's entry: never throws; an unexpected fault fails the step with one line. */
export async function run(): Promise<void> {
  try {
    await runAction();
  } catch (err) {
    core.setFailed(
      err instanceof UsageError ? asInputMessage(err.message) : `aibench internal error: ${oneLine(err)}`,
    );
    if (process.env.AIBENCH_DEBUG) core.debug(String((err as Error).stack));
  }
}

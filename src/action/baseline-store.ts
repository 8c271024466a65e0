import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { oneLine } from '../errors.js';
import type { BaselineMeta } from '../results/baseline.js';
import { readResults, writeResults } from '../results/io.js';
import { mergeResults } from '../results/merge.js';
import type { Results } from '../results/schema.js';
import { sha256 } from '../tasks/files.js';
import type { Logger, TolerantCache } from './cache.js';

/** Written beside every run's results.json (and so into the artifact and the cached baseline): which commit it measured. */
export const CONTEXT_FILE = 'context.json';

/** Reads the context.json beside a results file, if any (a baseline given as a path may carry one). */
export function readContextFile(resultsFile: string): BaselineMeta | null {
  const file = path.join(path.dirname(resultsFile), CONTEXT_FILE);
  try {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BaselineMeta) : null;
  } catch {
    return null;
  }
}

/** Writes context.json beside a run's results.json. */
export function writeContextFile(dir: string, meta: BaselineMeta): void {
  writeFileSync(path.join(dir, CONTEXT_FILE), `${JSON.stringify(meta, null, 2)}\n`);
}

export interface StoredBaseline {
  results: Results;
  meta: BaselineMeta | null;
  /** Where it came from, for messages: the cache key or the file. */
  source: string;
}

/** Which runs a baseline is for: the model names and task keys the run selected. */
export interface BaselineSelection {
  models: string[];
  taskKeys: string[];
}

/**
 * Baselines are cached per selection — the models and task keys, not their contents — so a PR that edits
 * a task still finds the default branch's run and the comparison can say which tasks changed. Each save
 * gets a unique key (cache entries are immutable); restoring by prefix returns the newest.
 */
export function baselineKeyPrefix(models: string[], taskKeys: string[]): string {
  return `aibench-baseline-v1-${sha256(JSON.stringify({ models: [...models].sort(), tasks: [...taskKeys].sort() }))}-`;
}

/**
 * Every save is also stored per model (that model's trials only), so a selection that was never run
 * on the default branch — a PR adding a model or a task — still compares the (model, task) pairs it
 * shares with the newest default-branch run of each of its models.
 */
export function modelKeyPrefix(model: string): string {
  return `aibench-baseline-v1-model-${sha256(model)}-`;
}

/** The folder the baseline is restored into and saved from; the cache service versions entries by path, so it is fixed. */
export function baselineDir(runnerTemp: string): string {
  return path.join(runnerTemp, 'aibench-baseline');
}

function selectionDir(root: string): string {
  return path.join(root, 'selection');
}

function modelDir(root: string, model: string): string {
  return path.join(root, `model-${sha256(model).slice(0, 16)}`);
}

async function restoreOne(
  store: TolerantCache,
  prefix: string,
  dir: string,
  log: Logger,
): Promise<StoredBaseline | null> {
  rmSync(dir, { recursive: true, force: true });
  const hit = await store.restore([dir], prefix, [prefix]);
  if (!hit) return null;
  try {
    const file = path.join(dir, 'results.json');
    return { results: readResults(file), meta: readContextFile(file), source: `cache ${hit}` };
  } catch (err) {
    // An unreadable baseline (say, an older schema) is a missing baseline, not a failed run.
    log.warning(`ignoring the cached baseline ${hit}: ${oneLine(err)}`);
    return null;
  }
}

/** One model's part of a run: its trials only (for the per-model baseline entries). */
export function resultsOfModel(results: Results, model: string): Results {
  return {
    ...results,
    models: results.models.filter((m) => m.name === model),
    trials: results.trials.filter((t) => t.model === model),
  };
}

/**
 * Restores the newest baseline for this selection from the cache; when this exact selection was never
 * saved, the newest per-model baselines of its models, merged. Null when there is none (or no cache).
 */
export async function restoreBaseline(
  store: TolerantCache,
  selection: BaselineSelection,
  root: string,
  log: Logger,
): Promise<StoredBaseline | null> {
  const exact = await restoreOne(
    store,
    baselineKeyPrefix(selection.models, selection.taskKeys),
    selectionDir(root),
    log,
  );
  if (exact) return exact;
  const parts: StoredBaseline[] = [];
  for (const model of [...new Set(selection.models)]) {
    const part = await restoreOne(store, modelKeyPrefix(model), modelDir(root, model), log);
    if (part) parts.push({ ...part, results: resultsOfModel(part.results, model) });
  }
  if (!parts.length) return null;
  if (parts.length === 1) return parts[0]!;
  try {
    const results = mergeResults(parts.map((p) => ({ results: p.results, source: p.source })));
    // The oldest part decides how stale the comparison is.
    const oldest = [...parts].sort((a, b) =>
      (a.meta?.savedAt ?? '').localeCompare(b.meta?.savedAt ?? ''),
    )[0]!;
    return { results, meta: oldest.meta, source: parts.map((p) => p.source).join(', ') };
  } catch (err) {
    log.warning(
      `cannot combine the per-model baselines (${oneLine(err)}); comparing with ${parts[0]!.source} only`,
    );
    return parts[0]!;
  }
}

/**
 * Saves this run's results (with where they came from) as the newest baseline for its selection, and
 * each model's part as the newest baseline for that model. Returns the keys saved.
 */
export async function saveBaseline(
  store: TolerantCache,
  selection: BaselineSelection,
  root: string,
  results: Results,
  meta: BaselineMeta,
  uniqueId: string,
): Promise<string[]> {
  const entries: [dir: string, prefix: string, part: Results][] = [
    [selectionDir(root), baselineKeyPrefix(selection.models, selection.taskKeys), results],
    ...results.models.map((m): [string, string, Results] => [
      modelDir(root, m.name),
      modelKeyPrefix(m.name),
      resultsOfModel(results, m.name),
    ]),
  ];
  const saved: string[] = [];
  for (const [dir, prefix, part] of entries) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeResults(path.join(dir, 'results.json'), part);
    writeContextFile(dir, meta);
    const key = `${prefix}${uniqueId}`;
    if (await store.save([dir], key)) saved.push(key);
  }
  return saved;
}

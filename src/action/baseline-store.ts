import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { oneLine } from '../errors.js';
import type { BaselineMeta } from '../results/baseline.js';
import { readResults, serializeResults } from '../results/io.js';
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

/**
 * Baselines are cached per selection — the models and task keys, not their contents — so a PR that edits
 * a task still finds the default branch's run and the comparison can say which tasks changed. Each save
 * gets a unique key (cache entries are immutable); restoring by prefix returns the newest.
 */
export function baselineKeyPrefix(models: string[], taskKeys: string[]): string {
  return `aibench-baseline-v1-${sha256(JSON.stringify({ models: [...models].sort(), tasks: [...taskKeys].sort() }))}-`;
}

/** The folder the baseline is restored into and saved from; the cache service versions entries by path, so it is fixed. */
export function baselineDir(runnerTemp: string): string {
  return path.join(runnerTemp, 'aibench-baseline');
}

/** Restores the newest baseline for this selection from the cache; null when there is none (or no cache). */
export async function restoreBaseline(
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

/** Saves this run's results (with where they came from) as the newest baseline for its selection. */
export async function saveBaseline(
  store: TolerantCache,
  prefix: string,
  dir: string,
  results: Results,
  meta: BaselineMeta,
  uniqueId: string,
): Promise<string | null> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'results.json'), serializeResults(results));
  writeContextFile(dir, meta);
  const key = `${prefix}${uniqueId}`;
  return (await store.save([dir], key)) ? key : null;
}

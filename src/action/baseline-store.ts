import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { oneLine } from '../errors.js';
import type { BaselineMeta } from '../results/baseline.js';
import { readResults, serializeResults } from '../results/io.js';
import type { Results } from '../results/schema.js';
import { sha256 } from '../tasks/files.js';
import type { Logger, TolerantCache } from './cache.js';

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
export async function restoreBaseline(store: TolerantCache, prefix: string, dir: string, log: Logger): Promise<StoredBaseline | null> {
  rmSync(dir, { recursive: true, force: true });
  const hit = await store.restore([dir], prefix, [prefix]);
  if (!hit) return null;
  try {
    const results = readResults(path.join(dir, 'results.json'));
    const metaFile = path.join(dir, 'baseline.json');
    const meta = existsSync(metaFile) ? (JSON.parse(readFileSync(metaFile, 'utf8')) as BaselineMeta) : null;
    return { results, meta, source: `cache ${hit}` };
  } catch (err) {
    // An unreadable baseline (say, an older schema) is a missing baseline, not a failed run.
    log.warning(`ignoring the cached baseline ${hit}: ${oneLine(err)}`);
    return null;
  }
}

/** Saves this run's results (with where they came from) as the newest baseline for its selection. */
export async function saveBaseline(store: TolerantCache, prefix: string, dir: string, results: Results, meta: BaselineMeta, uniqueId: string): Promise<string | null> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'results.json'), serializeResults(results));
  writeFileSync(path.join(dir, 'baseline.json'), `${JSON.stringify(meta, null, 2)}\n`);
  const key = `${prefix}${uniqueId}`;
  return (await store.save([dir], key)) ? key : null;
}

import * as cache from '@actions/cache';
import { existsSync } from 'node:fs';
import { oneLine } from '../errors.js';
import { cacheRoot, fixtureDir, fixtureKey } from '../tasks/fixture.js';
import type { Task } from '../tasks/loader.js';

/** The cache service as the action uses it; tests substitute an in-memory one. */
export interface CacheBackend {
  available(): boolean;
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<void>;
}

export interface Logger {
  info(line: string): void;
  warning(line: string): void;
}

/** GitHub's cache service through @actions/cache. */
export const actionsCache: CacheBackend = {
  available: () => cache.isFeatureAvailable(),
  restore: (paths, key, restoreKeys) => cache.restoreCache(paths, key, restoreKeys),
  save: async (paths, key) => {
    await cache.saveCache(paths, key);
  },
};

export const UNAVAILABLE =
  'the GitHub Actions cache service is not available here (ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL unset, e.g. a local or self-hosted run): continuing without the fixture, Rust build and baseline caches';

/**
 * Wraps a backend so that an unavailable or failing cache service becomes one warning and a miss —
 * never a failed step: caching only ever saves time.
 */
export class TolerantCache {
  private warned = false;
  constructor(
    private readonly backend: CacheBackend,
    private readonly log: Logger,
  ) {}

  private usable(): boolean {
    if (this.backend.available()) return true;
    if (!this.warned) this.log.warning(UNAVAILABLE);
    this.warned = true;
    return false;
  }

  async restore(paths: string[], key: string, restoreKeys: string[] = []): Promise<string | undefined> {
    if (!this.usable()) return undefined;
    try {
      return await this.backend.restore(paths, key, restoreKeys);
    } catch (err) {
      this.log.warning(`cache restore of ${key} failed (${oneLine(err)}); continuing without it`);
      return undefined;
    }
  }

  async save(paths: string[], key: string): Promise<boolean> {
    if (!this.usable()) return false;
    if (!paths.every((p) => existsSync(p))) return false;
    try {
      await this.backend.save(paths, key);
      return true;
    } catch (err) {
      const text = oneLine(err);
      // Another job of the same run saved this key first: that is a success for us.
      if (/another job may be creating this cache|already exists/i.test(text))
        this.log.info(`cache ${key}: ${text}`);
      else this.log.warning(`cache save of ${key} failed (${text}); the next run will rebuild it`);
      return false;
    }
  }
}

interface ToolCacheEntry {
  what: string;
  paths: string[];
  key: string;
  restoreKeys: string[];
  hit?: string | undefined;
}

/**
 * The caches that make grading fast: each node suite's installed fixture (keyed by its lockfile, platform
 * and Node ABI). Rust gradings keep no build cache (each builds its std-only crate in a fresh folder:
 * a kept one saved nothing, see toolchains/rust.ts).
 */
export async function toolCacheEntries(tasks: Task[], env: NodeJS.ProcessEnv): Promise<ToolCacheEntry[]> {
  const root = cacheRoot(env);
  const entries: ToolCacheEntry[] = [];
  const suites = [...new Map(tasks.map((t) => [t.suite.name, t.suite])).values()];
  for (const suite of suites) {
    if (suite.toolchain === 'node' && suite.fixture) {
      const key = fixtureKey(suite);
      entries.push({
        what: `${suite.name} fixture`,
        paths: [fixtureDir(suite, root)],
        key: `aibench-fixture-${key}`,
        restoreKeys: [],
      });
    }
  }
  return entries;
}

/** Restores every entry; returns them with what was hit, for `saveToolCaches`. */
export async function restoreToolCaches(
  store: TolerantCache,
  entries: ToolCacheEntry[],
  log: Logger,
): Promise<ToolCacheEntry[]> {
  for (const e of entries) {
    e.hit = await store.restore(e.paths, e.key, e.restoreKeys);
    log.info(`${e.what}: ${e.hit ? `restored from ${e.hit}` : 'not cached yet'}`);
  }
  return entries;
}

/** Saves the entries whose exact key was not restored (cache keys are immutable). */
export async function saveToolCaches(
  store: TolerantCache,
  entries: ToolCacheEntry[],
  log: Logger,
): Promise<void> {
  for (const e of entries) {
    if (e.hit === e.key) continue;
    if (await store.save(e.paths, e.key)) log.info(`${e.what}: saved as ${e.key}`);
  }
}

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sha256 } from './files.js';
import type { Suite } from './loader.js';

const run = promisify(execFile);

/** Where the harness keeps installs and build caches between runs (`AIBENCH_CACHE`, else XDG cache). */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AIBENCH_CACHE) return path.resolve(env.AIBENCH_CACHE);
  const base = env.XDG_CACHE_HOME ?? path.join(env.HOME ?? '/tmp', '.cache');
  return path.join(base, 'aibench');
}

/** The key of a fixture install: its lockfile, plus platform and Node ABI (native optional deps differ). */
export function fixtureKey(suite: Suite): string {
  const lock = readFileSync(path.join(suite.fixture!.dir, 'package-lock.json'), 'utf8');
  return `${suite.name}-${sha256(lock + process.platform + process.arch + process.versions.modules)}`;
}

/** The cache folder of a node suite's fixture install (holding `node_modules` once complete). */
export function fixtureDir(suite: Suite, cache: string): string {
  return path.join(cache, 'fixtures', fixtureKey(suite));
}

/**
 * Installs a node suite's fixture once (npm ci from its lockfile) into the cache and returns the folder
 * holding `node_modules`. Concurrent runs race safely: each installs into its own temp folder and the
 * first rename wins. Never installs per attempt.
 */
export async function ensureFixture(suite: Suite, cache: string, log: (line: string) => void): Promise<string> {
  const target = fixtureDir(suite, cache);
  if (existsSync(path.join(target, '.complete'))) return target;
  const staging = `${target}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) writeFileSync(path.join(staging, f), readFileSync(path.join(suite.fixture!.dir, f)));
  log(`installing the ${suite.name} fixture (npm ci, once per lockfile) into ${target}`);
  try {
    await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(`installing the ${suite.name} fixture failed: ${(e.stderr || e.message).trim().split('\n').slice(-3).join(' | ')}`, { cause: err });
  }
  writeFileSync(path.join(staging, '.complete'), new Date().toISOString());
  // A folder left by an install that died half-way is never complete: replace it.
  if (existsSync(target) && !existsSync(path.join(target, '.complete'))) rmSync(target, { recursive: true, force: true });
  try {
    renameSync(staging, target);
  } catch {
    // Another run installed it first: use theirs.
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { resolveAgentPaths } from '../agents/config.js';
import { UsageError } from '../errors.js';
import { describeZodError } from '../tasks/schema.js';
import { configFileSchema, runSettingsSchema, type ConfigFile, type RunSettings } from './schema.js';

/**
 * Gradings at once by default: twice the cores, at most 4. A grading leaves cores idle in its serial
 * phases (cargo start-up, linking, sandbox set-up, single-threaded tests), so running more than one per
 * core finishes sooner at no extra CPU. Measured with scripts/bench-grade-concurrency.mts on 2 cores
 * (8 gradings: rust L1/L3 and react L1/L3 references, twice; one round, 2026-12-01), wall at 1/2/3/4 at
 * once 1.00× / 0.50× / 0.35× / 0.33× for CPU 1.00× / 0.94× / 0.96× / 0.99×. That machine was
 * saturated by other jobs (1.99 of 2 cores busy, load 13-20), which flatters concurrency (more
 * gradings take a larger share); on an idle 2-core machine 4 at once finished in 0.87× the wall of 2
 * for +7% CPU (issue #15). Past 4 nothing was measured, so nothing is claimed.
 */
export function defaultGradeConcurrency(cores = os.availableParallelism?.() ?? os.cpus().length): number {
  return Math.max(1, Math.min(4, 2 * cores));
}

export const DEFAULT_SETTINGS: RunSettings = {
  attempts: 3,
  trials: 1,
  concurrency: 4,
  gradeConcurrency: defaultGradeConcurrency(),
  maxTokens: 16_000,
  feedbackChars: 4000,
  requestTimeoutSec: 600,
  retries: 5,
  maxCost: null,
};

/** Reads `aibench.yml` (or returns an empty config when no file is given and none is found). */
export function loadConfigFile(
  file: string | undefined,
  cwd = process.cwd(),
): { config: ConfigFile; path: string | null } {
  const chosen =
    file ?? (existsSync(path.join(cwd, 'aibench.yml')) ? path.join(cwd, 'aibench.yml') : undefined);
  if (!chosen) return { config: configFileSchema.parse({}), path: null };
  if (!existsSync(chosen)) throw new UsageError(`--config: ${chosen} does not exist`);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(chosen, 'utf8')) ?? {};
  } catch (err) {
    throw new UsageError(`${chosen}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${chosen}: ${describeZodError(parsed.error)}`);
  // Prompt files are the user's, beside the config file: resolved once here, wherever the run starts.
  const dir = path.dirname(path.resolve(chosen));
  for (const variant of Object.values(parsed.data.variants)) {
    for (const key of ['system', 'task', 'retry'] as const) {
      const file = variant[key];
      if (file) variant[key] = path.resolve(dir, file);
    }
  }
  for (const agent of Object.values(parsed.data.agents)) resolveAgentPaths(agent, dir);
  return { config: parsed.data, path: path.resolve(chosen) };
}

/**
 * Merges defaults < config file `run:` < explicit flags/inputs, then validates the result once, naming
 * the flag (or input) to change. `names` maps a setting to how the user spelled it (e.g. `--attempts`).
 */
export function resolveSettings(
  fromFile: Partial<RunSettings>,
  explicit: Partial<Record<keyof RunSettings, unknown>>,
  names: Partial<Record<keyof RunSettings, string>> = {},
): RunSettings {
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS, ...fromFile };
  for (const [key, value] of Object.entries(explicit)) if (value !== undefined) merged[key] = value;
  const parsed = runSettingsSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]) as keyof RunSettings;
    const name = names[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UsageError(`${name}: ${issue.message} (got ${JSON.stringify(merged[key])})`);
  }
  return parsed.data;
}

/** Parses a number given as text (flag or action input) without accepting junk like "3x". */
export function numberFrom(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new UsageError(`${name}: "${text}" is not a number`);
  return n;
}

export { describeZodError };

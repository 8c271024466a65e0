import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { resolveAgentPaths } from '../agents/config.js';
import { UsageError } from '../errors.js';
import { describeZodError } from '../tasks/schema.js';
import { configFileSchema, runSettingsSchema, type ConfigFile, type RunSettings } from './schema.js';

export const DEFAULT_SETTINGS: RunSettings = {
  attempts: 3,
  trials: 1,
  concurrency: 4,
  gradeConcurrency: Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length)),
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

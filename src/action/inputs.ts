import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfigFile, numberFrom, resolveSettings } from '../config/load.js';
import type { ConfigFile, RunSettings } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { parseModelSpec, splitList } from '../models/spec.js';
import { readResults } from '../results/io.js';
import type { Results } from '../results/schema.js';
import { builtinTasksRoot, loadTasks, selectTasks, type Task } from '../tasks/loader.js';
import { parseMinPassRate, parseRegressionMode, type MinPassRate, type RegressionMode } from './gate.js';
import { INPUT, INPUT_DEFAULTS, type InputName } from './names.js';
import { parseApiKeys } from './api-keys.js';
import { SANDBOX_MODES, type SandboxMode } from './sandbox-setup.js';

export type CommentMode = 'always' | 'on-change' | 'never';
export type BaselineInput =
  { kind: 'cache' } | { kind: 'none' } | { kind: 'file'; path: string; results: Results };

/** Every input, parsed and validated once, before anything is spent. */
export interface ActionInputs {
  /** `merge`: publish (and gate) results of earlier shards instead of running models. */
  mode: 'run' | 'merge';
  models: string[];
  suites: string[];
  tasks: string[];
  /** Absolute task roots beyond the built-in suites (`tasks-path` and the config file's `tasksPath`). */
  tasksPaths: string[];
  /** False when the selection names only suites from `tasks-path`: the shipped suites are not loaded. */
  builtinTasks: boolean;
  /** The tasks the selection resolves to (run mode; empty when merging). */
  selected: Task[];
  config: ConfigFile;
  settings: RunSettings;
  minPassRate: MinPassRate | null;
  failOnRegression: RegressionMode;
  baseline: BaselineInput;
  comment: CommentMode;
  token: string;
  cache: boolean;
  /** Paths (files or folders) to look for shard results.json files in (merge mode). */
  results: string[];
  artifactName: string;
  /** How hard to try for namespace isolation of model-written code. */
  sandbox: SandboxMode;
  /** Names the sticky comment; empty: derived from workflow, job, step and matrix. */
  commentId: string;
  /** Keys from the `api-keys` input (NAME=value lines), for providers declared in aibench.yml. */
  apiKeys: Map<string, string>;
  /** `system-prompt`: absolute path, or undefined. */
  systemPrompt?: string;
}

const FLAG_TO_INPUT = new Map<string, InputName>(Object.values(INPUT).map((name) => [`--${name}`, name]));

/** Rewrites the core's `--flag` wording into the input's name, so the error says what to change in the workflow. */
export function asInputMessage(message: string): string {
  return message.replace(/--[a-z][a-z-]*/g, (flag) =>
    FLAG_TO_INPUT.has(flag) ? `input "${FLAG_TO_INPUT.get(flag)}"` : flag,
  );
}

function inputError(name: InputName, message: string): UsageError {
  return new UsageError(`input "${name}": ${message}`);
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(asInputMessage(err.message), err.code);
    throw err;
  }
}

/** The YAML 1.2 core-schema booleans, as @actions/core's getBooleanInput accepts them. */
function boolean(name: InputName, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw inputError(name, `"${value}" is not a boolean; write true or false`);
}

function oneOf<T extends string>(name: InputName, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw inputError(name, `"${value}" is not one of ${allowed.join(', ')}`);
}

function existing(name: InputName, p: string, cwd: string, kind: 'file' | 'folder' | 'any'): string {
  const abs = path.resolve(cwd, p);
  if (!existsSync(abs))
    throw inputError(
      name,
      `${p} does not exist (paths are relative to the workspace; check out the repository first)`,
    );
  const isDir = statSync(abs).isDirectory();
  if (kind === 'file' && isDir) throw inputError(name, `${p} is a folder; name a file`);
  if (kind === 'folder' && !isDir) throw inputError(name, `${p} is not a folder of task suites`);
  return abs;
}

/**
 * Reads and validates every input up front. `get` returns the raw input ('' when unset, as
 * @actions/core does). Errors name the input and say what to change; nothing has been spent yet.
 */
export function readInputs(get: (name: InputName) => string, cwd = process.cwd()): ActionInputs {
  const raw = (name: InputName): string =>
    get(name).trim() || (INPUT_DEFAULTS[name]?.startsWith('${{') ? '' : (INPUT_DEFAULTS[name] ?? ''));
  const results = splitList(raw(INPUT.results));
  const mode = results.length ? 'merge' : 'run';
  const models = splitList(raw(INPUT.models));
  if (mode === 'run' && !models.length) {
    throw inputError(
      INPUT.models,
      'name at least one model, e.g. models: anthropic/claude-sonnet-4-6 (or set results: to publish earlier shards)',
    );
  }
  wrap(() => models.forEach(parseModelSpec));

  const configInput = raw(INPUT.config);
  const { config, path: configPath } = wrap(() =>
    loadConfigFile(configInput ? existing(INPUT.config, configInput, cwd, 'file') : undefined, cwd),
  );
  const tasksPaths = [
    ...(config.tasksPath ?? []).map((p) => path.resolve(path.dirname(configPath ?? cwd), p)),
    ...splitList(raw(INPUT.tasksPath)).map((p) => existing(INPUT.tasksPath, p, cwd, 'folder')),
  ];
  const suites = splitList(raw(INPUT.suites));
  const tasks = splitList(raw(INPUT.tasks));
  // A selection of only the user's own suites does not need (or parse) the shipped ones.
  const own = mode === 'run' && tasksPaths.length && suites.length ? wrap(() => loadTasks(tasksPaths)) : [];
  const builtinTasks = !(suites.length && suites.every((s) => own.some((t) => t.suite.name === s)));
  const selected =
    mode === 'run'
      ? wrap(() =>
          selectTasks(
            loadTasks([...(builtinTasks ? [builtinTasksRoot()] : []), ...tasksPaths]),
            suites,
            tasks,
          ),
        )
      : [];

  const settings = wrap(() =>
    resolveSettings(
      config.run,
      {
        attempts: numberFrom(raw(INPUT.attempts), `--${INPUT.attempts}`),
        trials: numberFrom(raw(INPUT.trials), `--${INPUT.trials}`),
        concurrency: numberFrom(raw(INPUT.concurrency), `--${INPUT.concurrency}`),
        maxCost: numberFrom(raw(INPUT.maxCost), `--${INPUT.maxCost}`),
      },
      {
        attempts: `input "${INPUT.attempts}"`,
        trials: `input "${INPUT.trials}"`,
        concurrency: `input "${INPUT.concurrency}"`,
        maxCost: `input "${INPUT.maxCost}"`,
      },
    ),
  );

  const baselineText = raw(INPUT.baseline);
  let baseline: BaselineInput;
  if (baselineText === 'cache' || baselineText === 'none') baseline = { kind: baselineText };
  else {
    const file = existing(INPUT.baseline, baselineText, cwd, 'file');
    baseline = { kind: 'file', path: file, results: wrap(() => readResults(file)) };
  }
  const failOnRegression = parseRegressionMode(raw(INPUT.failOnRegression));
  if (failOnRegression.kind !== 'off' && baseline.kind === 'none') {
    throw inputError(
      INPUT.failOnRegression,
      'needs a baseline to find regressions against; set baseline: cache (or a results.json path), or fail-on-regression: false',
    );
  }
  const systemPromptText = raw(INPUT.systemPrompt);
  const systemPrompt = systemPromptText
    ? existing(INPUT.systemPrompt, systemPromptText, cwd, 'file')
    : undefined;
  const artifactName = raw(INPUT.artifactName);
  if (/[":<>|*?\r\n\\/]/.test(artifactName))
    throw inputError(
      INPUT.artifactName,
      `"${artifactName}" may not contain " : < > | * ? \\ / or line breaks`,
    );

  return {
    mode,
    models,
    suites,
    tasks,
    tasksPaths,
    builtinTasks,
    selected,
    config,
    settings,
    minPassRate: parseMinPassRate(raw(INPUT.minPassRate)),
    failOnRegression,
    baseline,
    comment: oneOf(INPUT.comment, raw(INPUT.comment), ['always', 'on-change', 'never'] as const),
    token: get(INPUT.githubToken).trim(),
    cache: boolean(INPUT.cache, raw(INPUT.cache)),
    results: results.map((p) => path.resolve(cwd, p)),
    artifactName,
    sandbox: oneOf(INPUT.sandbox, raw(INPUT.sandbox), SANDBOX_MODES),
    commentId: raw(INPUT.commentId),
    apiKeys: parseApiKeys(get(INPUT.apiKeys)),
    ...(systemPrompt ? { systemPrompt } : {}),
  };
}

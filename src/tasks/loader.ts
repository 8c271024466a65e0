import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { UsageError, didYouMean } from '../errors.js';
import { tamperRuleIds } from '../grade/tamper.js';
import { hashFiles, isDirectory, readTree, type FileMap } from './files.js';
import { hiddenTestNames } from './hidden-tests.js';
import { applyMutantPatch, MUTANT_PATCH } from './mutant-patch.js';
import { parseRequirements, type Requirement } from './requirements.js';
import {
  describeZodError,
  mutantExpectationSchema,
  suiteFileSchema,
  taskFileSchema,
  type Check,
  type MutantExpectation,
  type SuiteFile,
} from './schema.js';

export interface Suite {
  name: string;
  title: string;
  toolchain: SuiteFile['toolchain'];
  dir: string;
  /** node only: the fixture folder's files (package.json, lockfile, configs). */
  fixture?: { dir: string; files: FileMap };
}

export interface Mutant {
  name: string;
  files: FileMap;
  expect: MutantExpectation;
  why: string;
  /** `patch` when stored as `patch.diff` over the reference, `copy` when stored as full files. */
  stored: 'patch' | 'copy';
}

export interface Task {
  /** `<suite>/<id>`, e.g. `react/L1-statcard`. */
  key: string;
  id: string;
  suite: Suite;
  level: number;
  title: string;
  capability: string;
  dir: string;
  prompt: string;
  editable: string[];
  isEditable: (rel: string) => boolean;
  expectedTests: number;
  timeouts: { build: number; test: number };
  checks: Check[];
  /** Tamper-scan rules lifted for this task. */
  allow: string[];
  starter: FileMap;
  hidden: FileMap;
  reference: FileMap;
  mutants: Mutant[];
  /** The requirement map (`REQUIREMENTS.md`), or null when the task has none. */
  requirements: Requirement[] | null;
  /** Names of the hidden tests, as declared in `hidden/` (see hidden-tests.ts). */
  hiddenTests: string[];
  /** Content hash of everything that defines the task (prompt, starter, hidden, fixture). */
  hash: string;
}

/** The tasks shipped with the package: `<package root>/tasks`, found from this module's location. */
export function builtinTasksRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(path.join(dir, 'tasks', 'react', 'suite.yml'))) return path.join(dir, 'tasks');
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the built-in tasks/ folder next to the aibench package');
}

function readYaml<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${file}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

const FRONT_MATTER = /^---\n([\s\S]*?)\n---\n?/;

function loadMutant(dir: string, name: string, base: { reference: FileMap; starter: FileMap }): Mutant {
  const whyPath = path.join(dir, 'why.md');
  if (!existsSync(whyPath)) throw new UsageError(`${dir}: a mutant needs a why.md naming its failure mode`);
  const text = readFileSync(whyPath, 'utf8');
  const match = FRONT_MATTER.exec(text);
  if (!match?.[1]) throw new UsageError(`${whyPath}: missing front matter (---\\nclass: test\\n---)`);
  const parsed = mutantExpectationSchema.safeParse(parseYaml(match[1]));
  if (!parsed.success) throw new UsageError(`${whyPath}: ${describeZodError(parsed.error)}`);
  const why = text.slice(match[0].length).trim();
  const stored = readTree(dir, (rel) => rel === 'why.md');
  if (!stored.has(MUTANT_PATCH)) return { name, files: stored, expect: parsed.data, why, stored: 'copy' };
  // A patch over the reference: one bug visible at a glance, and it follows the reference when it changes.
  if (stored.size > 1) throw new UsageError(`${dir}: a mutant with ${MUTANT_PATCH} holds no other files besides why.md`);
  try {
    const files = applyMutantPatch(stored.get(MUTANT_PATCH)!, base.reference, base.starter);
    return { name, files, expect: parsed.data, why, stored: 'patch' };
  } catch (err) {
    throw new UsageError(`${path.join(dir, MUTANT_PATCH)}: ${(err as Error).message}`);
  }
}

const DEFAULT_TIMEOUTS = {
  node: { build: 60, test: 90 },
  rust: { build: 180, test: 90 },
  go: { build: 120, test: 60 },
  python: { build: 30, test: 60 },
} as const;

function loadTask(suite: Suite, dir: string): Task {
  const taskFile = path.join(dir, 'task.yml');
  const meta = readYaml(taskFile, taskFileSchema);
  const folder = path.basename(dir);
  if (meta.id !== folder) throw new UsageError(`${taskFile}: id: "${meta.id}" must equal the folder name "${folder}"`);
  const promptPath = path.join(dir, 'prompt.md');
  if (!existsSync(promptPath)) throw new UsageError(`${dir}: missing prompt.md`);
  const isEditable = picomatch(meta.editable, { dot: false });
  const knownRules = new Set(['*', ...tamperRuleIds(suite.toolchain)]);
  const unknownRule = meta.allow.find((r) => !knownRules.has(r));
  if (unknownRule) throw new UsageError(`${taskFile}: allow: unknown rule "${unknownRule}" (known: ${[...knownRules].join(', ')})`);
  const starter = readTree(path.join(dir, 'starter'));
  const hidden = readTree(path.join(dir, 'hidden'));
  const missingSupp = meta.checks.find((c) => c.kind === 'tsan' && c.suppressions && !hidden.has(c.suppressions));
  if (missingSupp?.kind === 'tsan')
    throw new UsageError(`${taskFile}: checks: ${missingSupp.name}: suppressions "${missingSupp.suppressions}" is not a file in hidden/`);
  const protectedPaths = [...hidden.keys(), ...(suite.fixture?.files.keys() ?? [])];
  const clash = protectedPaths.find((rel) => isEditable(rel));
  if (clash) throw new UsageError(`${taskFile}: editable: matches the protected file "${clash}"; narrow the globs`);
  const reference = readTree(path.join(dir, 'reference'));
  const mutantsDir = path.join(dir, 'mutants');
  const mutants = isDirectory(mutantsDir)
    ? readdirSync(mutantsDir)
        .filter((m) => isDirectory(path.join(mutantsDir, m)))
        .sort()
        .map((m) => loadMutant(path.join(mutantsDir, m), m, { reference, starter }))
    : [];
  const requirementsPath = path.join(dir, 'REQUIREMENTS.md');
  const requirements = existsSync(requirementsPath)
    ? parseRequirements(readFileSync(requirementsPath, 'utf8'), requirementsPath)
    : null;
  const prompt = readFileSync(promptPath, 'utf8');
  return {
    key: `${suite.name}/${meta.id}`,
    id: meta.id,
    suite,
    level: meta.level,
    title: meta.title,
    capability: meta.capability,
    dir,
    prompt,
    editable: meta.editable,
    isEditable,
    expectedTests: meta.tests,
    timeouts: { ...DEFAULT_TIMEOUTS[suite.toolchain], ...meta.timeouts },
    checks: meta.checks,
    allow: meta.allow,
    starter,
    hidden,
    reference,
    mutants,
    requirements,
    hiddenTests: hiddenTestNames(hidden),
    hash: hashFiles(new Map([['prompt.md', prompt], ['task.yml', readFileSync(taskFile, 'utf8')]]), starter, hidden, suite.fixture?.files ?? new Map()),
  };
}

function loadSuite(dir: string): Suite {
  const meta = readYaml(path.join(dir, 'suite.yml'), suiteFileSchema);
  const suite: Suite = { name: meta.name, title: meta.title ?? meta.name, toolchain: meta.toolchain, dir };
  if (meta.toolchain === 'node') {
    if (!meta.fixture) throw new UsageError(`${path.join(dir, 'suite.yml')}: fixture: a node suite needs a fixture folder`);
    const fixtureDir = path.join(dir, meta.fixture);
    for (const required of ['package.json', 'package-lock.json']) {
      if (!existsSync(path.join(fixtureDir, required))) throw new UsageError(`${fixtureDir}: missing ${required}`);
    }
    suite.fixture = { dir: fixtureDir, files: readTree(fixtureDir, (rel) => rel.includes('/') || rel === 'package-lock.json') };
  }
  return suite;
}

/** Loads every suite under each root (a folder of `<suite>/suite.yml`), with all their tasks. */
export function loadTasks(roots: string[]): Task[] {
  const tasks: Task[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    if (!isDirectory(root)) throw new UsageError(`tasks folder "${root}" does not exist`);
    for (const name of readdirSync(root).sort()) {
      const suiteDir = path.join(root, name);
      if (!existsSync(path.join(suiteDir, 'suite.yml'))) continue;
      const suite = loadSuite(suiteDir);
      for (const id of readdirSync(suiteDir).sort()) {
        const taskDir = path.join(suiteDir, id);
        if (!existsSync(path.join(taskDir, 'task.yml'))) continue;
        const task = loadTask(suite, taskDir);
        if (seen.has(task.key)) throw new UsageError(`${taskDir}: task "${task.key}" is defined twice`);
        seen.add(task.key);
        tasks.push(task);
      }
    }
  }
  return tasks;
}

/** Narrows tasks by `--suites` and `--tasks` (keys like react/L1-statcard, or a bare unique id). */
export function selectTasks(all: Task[], suites: string[] | undefined, keys: string[] | undefined): Task[] {
  let chosen = all;
  if (suites?.length) {
    const known = new Set(all.map((t) => t.suite.name));
    const unknown = suites.find((s) => !known.has(s));
    if (unknown)
      throw new UsageError(
        `--suites: unknown suite "${unknown}"${didYouMean(unknown, known)} (known: ${[...known].join(', ')})`,
      );
    chosen = chosen.filter((t) => suites.includes(t.suite.name));
  }
  if (keys?.length) {
    const picked = new Set<Task>();
    for (const key of keys) {
      const matches = chosen.filter((t) => t.key === key || t.id === key);
      if (matches.length !== 1) {
        const why = matches.length
          ? 'is ambiguous; use <suite>/<id>'
          : `is not a known task${didYouMean(key, key.includes('/') ? chosen.map((t) => t.key) : chosen.map((t) => t.id))}`;
        throw new UsageError(`--tasks: "${key}" ${why} (run \`aibench tasks\` to list them)`);
      }
      picked.add(matches[0]!);
    }
    chosen = chosen.filter((t) => picked.has(t));
  }
  if (!chosen.length) throw new UsageError('no task selected: check --suites / --tasks');
  return chosen;
}

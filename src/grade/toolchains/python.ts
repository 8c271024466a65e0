import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ExitCode, UsageError } from '../../errors.js';
import type { Task } from '../../tasks/loader.js';
import type { ExecResult } from '../exec.js';
import { parseJunitReport, type JunitSummary } from '../parse-junit.js';
import { readHostileFile } from '../safe-read.js';
import { sandboxEnv } from '../sandbox-env.js';
import { parseScannerOutput } from '../scan/py-rules.js';
import { PY_SCANNER } from '../scan/py-scanner.js';
import type { Observation } from '../types.js';
import {
  emptyObservation,
  execSandboxed,
  recordTestCounts,
  stepRecord,
  stopRunawayTests,
  type Toolchain,
  type ToolchainContext,
} from './types.js';

const exec = promisify(execFile);

/** A real report of a task's hidden tests is a few KiB; reading one never takes long. */
const REPORT_LIMITS = { maxBytes: 16 * 1024 ** 2, timeoutMs: 10_000 };
const MIN_PYTHON: [number, number] = [3, 11];
/** The folder a Python task's packages live in (its pytest.ini says `pythonpath = src`). */
const SOURCE_ROOT = 'src';

/** The interpreter every grading of the run uses, chosen once by {@link findPython}. */
export interface PythonInfo {
  executable: string;
  version: string;
  pytest: string;
  /** Folders the interpreter and pytest live in: re-exposed read-only in the sandbox. */
  dirs: string[];
}

const PROBE = `import json, sys, os
import pytest
print(json.dumps({"executable": os.path.realpath(sys.executable), "version": sys.version.split()[0],
  "ok": sys.version_info[:2] >= (${MIN_PYTHON.join(', ')}), "pytest": pytest.__version__,
  "dirs": sorted({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, os.path.dirname(os.path.dirname(pytest.__file__)))})}))`;

async function probe(candidate: string, hostEnv: NodeJS.ProcessEnv): Promise<PythonInfo | string> {
  try {
    const { stdout } = await exec(candidate, ['-I', '-B', '-c', PROBE], {
      env: { ...hostEnv, PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' },
      timeout: 30_000,
    });
    const info = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as PythonInfo & { ok: boolean };
    if (!info.ok) return `${candidate} is Python ${info.version}, older than ${MIN_PYTHON.join('.')}`;
    return { executable: info.executable, version: info.version, pytest: info.pytest, dirs: info.dirs };
  } catch (err) {
    const text = `${(err as { stderr?: string }).stderr ?? ''}`;
    if (/No module named '?pytest/.test(text)) return `${candidate} has no pytest`;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return `${candidate} does not exist`;
    return `${candidate} does not run (${text.trim().split('\n').at(-1) ?? 'unknown error'})`;
  }
}

/**
 * The interpreter for the run, deterministically: `AIBENCH_PYTHON` when set (and then only it), else
 * the first `python3` on PATH that is 3.11+ and has pytest, else Debian's /usr/bin/python3 — so a
 * pyenv or setup-python 3.11 without pytest on PATH does not hide the system's python3-pytest.
 */
export async function findPython(hostEnv: NodeJS.ProcessEnv): Promise<PythonInfo> {
  const explicit = hostEnv.AIBENCH_PYTHON;
  const onPath = (hostEnv.PATH ?? '')
    .split(':')
    .filter(Boolean)
    .map((d) => path.join(d, 'python3'));
  const candidates = explicit ? [explicit] : [...new Set([...onPath, '/usr/bin/python3'])];
  const problems: string[] = [];
  for (const candidate of candidates) {
    const found = await probe(candidate, hostEnv);
    if (typeof found !== 'string') return found;
    if (explicit || !/does not exist$/.test(found)) problems.push(found);
  }
  throw new UsageError(
    `python suite: no Python ${MIN_PYTHON.join('.')}+ with pytest found (${problems.join('; ') || 'no python3 on PATH'}); install python3-pytest (apt) or use actions/setup-python and pip install pytest, or point AIBENCH_PYTHON at one`,
    ExitCode.toolchainMissing,
  );
}

/**
 * The interpreter `prepare` chose, kept here so the toolchain stays one file. Keyed by the host
 * environment it was chosen from (the choice depends on nothing else), so copies of a GradeEnv that
 * share it — the benchmark's bare variant — find it too.
 */
const chosen = new WeakMap<NodeJS.ProcessEnv, PythonInfo>();

/** Module names of the submission's own packages (`src/ini/parse.py` → `ini.parse`). */
export function ownModules(files: Iterable<string>): string[] {
  const mods = new Set<string>();
  for (const rel of files) {
    const m = new RegExp(`^${SOURCE_ROOT}/((?:[A-Za-z_]\\w*/)*[A-Za-z_]\\w*)\\.py$`).exec(rel);
    if (m) mods.add(m[1]!.replace(/\//g, '.').replace(/\.__init__$/, ''));
  }
  return [...mods].sort();
}

/** Runs each own module's import with the source root on the path: the submission's build check. */
const IMPORT_CHECK = `import importlib, sys, traceback
sys.path.insert(0, ${JSON.stringify(SOURCE_ROOT)})
bad = 0
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except BaseException as err:
        bad = 1
        frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.startswith(${JSON.stringify(`${SOURCE_ROOT}/`)})]
        where = f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""
        print(f"importing {name} failed: {where}{type(err).__name__}: {err}", file=sys.stderr)
sys.exit(bad)`;

function pytestNameOf(id: string): string {
  return (id.split('::').at(-1) ?? id).replace(/\[.*$/, '');
}

/** Python tasks: the tamper scan (which doubles as the syntax check), an import check, then pytest. */
export const pythonToolchain: Toolchain = {
  async prepare(_suite, env, log) {
    const info = await findPython(env.hostEnv);
    chosen.set(env.hostEnv, info);
    log(`python: ${info.executable} (Python ${info.version}, pytest ${info.pytest})`);
  },

  versions(env): Record<string, string> {
    const info = chosen.get(env.hostEnv);
    return info ? { python: `${info.version} (${info.executable})`, pytest: info.pytest } : {};
  },

  async grade(ctx) {
    const info = chosen.get(ctx.env.hostEnv);
    if (!info) throw new Error('the python toolchain was not prepared for this run');
    return gradePython(ctx, info);
  },
};

async function gradePython(ctx: ToolchainContext, py: PythonInfo): Promise<Observation> {
  const { task, ws, env, modelFiles } = ctx;
  const obs = emptyObservation();
  const procEnv = sandboxEnv(
    ws.scratch,
    { PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1', PYTHONDONTWRITEBYTECODE: '1' },
    env.hostEnv,
  );
  const mounts = {
    writable: [] as string[],
    readable: py.dirs,
    readOnly: [ws.dir, ...ws.protectedPaths],
    scratch: [ws.scratch],
    quotaRoot: ws.root,
  };
  const opts = { cwd: ws.dir, env: procEnv, timeoutMs: task.timeouts.build * 1000 };
  const submitted = [...modelFiles].filter((f) => f.endsWith('.py')).sort();
  const own = [...new Set(ownModules([...modelFiles, ...task.starter.keys()]).map((m) => m.split('.')[0]!))];

  // The scan: the harness's interpreter parses the submitted files (ast + symtable), executing none of
  // them; run in the sandbox all the same. A file that does not compile is the build failure.
  const scan = await execSandboxed(
    env,
    [py.executable, '-I', '-S', '-B', '-c', PY_SCANNER, JSON.stringify({ own }), ...submitted],
    mounts,
    opts,
  );
  const report = scan.exitCode === 0 && !scan.timedOut ? parseScannerOutput(scan.stdout, task.allow) : null;
  obs.steps.push(
    stepRecord('tamper-scan', scan, Boolean(report && !report.syntaxErrors.length && !report.hits.length)),
  );
  if (!report) {
    obs.failedStep = { name: 'tamper-scan', class: 'infra' };
    obs.diagnostics = `The tamper scan could not run: ${scan.timedOut ? 'it timed out' : scan.stderr.split('\n').slice(-5).join('\n')}`;
    return obs;
  }
  if (report.syntaxErrors.length) {
    obs.failedStep = { name: 'build', class: 'build' };
    obs.diagnostics = report.syntaxErrors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('\n');
    return obs;
  }
  if (report.hits.length) {
    obs.failedStep = { name: 'tamper-scan', class: 'check' };
    obs.suspect = report.hits.map((h) => `${h.rule}: ${h.file}:${h.line}: ${h.excerpt}`);
    obs.diagnostics = `The submission does what the output contract forbids:\n${report.hits
      .map((h) => `- ${h.line ? `${h.file}:${h.line}: ` : `${h.file}: `}${h.message}`)
      .join('\n')}`;
    return obs;
  }

  // The import check: every module of the submission imports (a missing name, a circular import).
  const build = await execSandboxed(
    env,
    [py.executable, '-I', '-B', '-c', IMPORT_CHECK, ...ownModules([...modelFiles, ...task.starter.keys()])],
    mounts,
    opts,
  );
  const buildOk = build.exitCode === 0 && !build.timedOut;
  obs.steps.push(stepRecord('build', build, buildOk));
  if (!buildOk) {
    obs.failedStep = { name: 'build', class: build.timedOut ? 'timeout' : 'build' };
    obs.diagnostics = build.timedOut
      ? `Importing the modules took longer than ${task.timeouts.build} s: no work at import time.`
      : build.stderr.split('\n').slice(-20).join('\n');
    return obs;
  }
  return runPytest(ctx, py, obs, procEnv, mounts);
}

async function runPytest(
  { task, ws, env }: ToolchainContext,
  py: PythonInfo,
  obs: Observation,
  procEnv: Record<string, string>,
  mounts: { readable: string[]; readOnly: string[]; scratch: string[]; quotaRoot: string },
): Promise<Observation> {
  // Created by the harness and bound as this one file (see node.ts): read as hostile all the same.
  const reportPath = path.join(ws.private, 'junit.xml');
  writeFileSync(reportPath, '');
  const argv = [
    py.executable,
    '-I', // no user site, no PYTHON* variables, the working folder not on sys.path
    '-B', // no bytecode written anywhere
    '-m',
    'pytest',
    '-c',
    'pytest.ini', // the task's own (protected) config, never a pyproject.toml or setup.cfg of the reply's
    '--rootdir',
    ws.dir,
    '-p',
    'no:cacheprovider',
    '-q',
    '--tb=short',
    '-o',
    'junit_family=xunit2',
    '-o',
    'junit_logging=no',
    `--junitxml=${reportPath}`,
    'tests',
  ];
  const r = await execSandboxed(
    env,
    argv,
    { ...mounts, writable: [reportPath] },
    {
      cwd: ws.dir,
      env: procEnv,
      timeoutMs: task.timeouts.test * 1000,
    },
  );
  if (r.timedOut || r.outputExceeded || r.diskExceeded) {
    return stopRunawayTests(
      obs,
      r,
      task.timeouts.test,
      'an infinite loop, a task never awaited to the end, or an algorithm far too slow?',
    );
  }
  const read = await readHostileFile(reportPath, REPORT_LIMITS);
  const junit = parseJunitReport(read.ok ? read.text : null);
  if (!junit) {
    obs.steps.push(stepRecord('test', r, false));
    obs.failedStep = { name: 'test', class: 'test' };
    obs.diagnostics =
      read.ok || /does not exist/.test(read.problem)
        ? `The test run ended without a test report (exit code ${r.exitCode}); did the code exit the process?\n${tail(r)}`
        : `The test report could not be read: ${read.problem}. Code under test must not touch the test runner's files.`;
    return obs;
  }
  const counts = countByFunction(junit.cases);
  recordTestCounts(obs, task, { ...counts, failures: junit.failures });
  const problems = reportProblems(junit.names, junit.duplicates, task);
  // pytest's exit code must agree with its report: 0 exactly when nothing failed (5: no tests ran).
  const ok = r.exitCode === 0 && junit.failed === 0 && counts.failed === 0 && !problems.length;
  obs.steps.push(stepRecord('test', r, ok));
  if (!ok) {
    obs.failedStep = { name: 'test', class: 'test' };
    if (problems.length)
      obs.diagnostics = `The test run is not a complete pytest run:\n${problems.map((p) => `- ${p}`).join('\n')}`;
    else if (!junit.failures.length) obs.diagnostics = `pytest exited with code ${r.exitCode}.\n${tail(r)}`;
  }
  return obs;
}

/**
 * Pure: counts per hidden test function, as `tests:` in task.yml and the requirement maps count them:
 * a parametrized function passes when every one of its cases passed, fails when any failed, and is
 * skipped otherwise when any was skipped.
 */
export function countByFunction(cases: JunitSummary['cases']): {
  passed: number;
  failed: number;
  skipped: number;
} {
  const fns = new Map<string, Set<string>>();
  for (const c of cases) {
    const fn = c.id.replace(/\[.*$/, '');
    fns.set(fn, (fns.get(fn) ?? new Set()).add(c.status));
  }
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const statuses of fns.values()) {
    if (statuses.has('failed')) counts.failed++;
    else if (statuses.has('skipped')) counts.skipped++;
    else counts.passed++;
  }
  return counts;
}

/** Pure: what makes a report not one complete run of the task's hidden tests. */
export function reportProblems(
  names: string[],
  duplicates: string[],
  task: Pick<Task, 'hiddenTests'>,
): string[] {
  const known = new Set(task.hiddenTests);
  const unknown = names.filter((n) => n.includes('::') && !known.has(pytestNameOf(n)));
  const problems: string[] = [];
  if (unknown.length)
    problems.push(`tests the task does not have were reported: ${unknown.slice(0, 5).join(', ')}`);
  if (duplicates.length)
    problems.push(`tests were reported more than once: ${duplicates.slice(0, 5).join(', ')}`);
  return problems;
}

function tail(r: ExecResult): string {
  return `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
}

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../src/errors.js';
import { parseJunitReport } from '../src/grade/parse-junit.js';
import { parseScannerOutput } from '../src/grade/scan/py-rules.js';
import { PY_SCANNER } from '../src/grade/scan/py-scanner.js';
import {
  countByFunction,
  findPython,
  reportProblems,
  type PythonInfo,
} from '../src/grade/toolchains/python.js';

const exec = promisify(execFile);

/**
 * The Python tamper scan judges what names resolve to (ast + symtable + the real stdlib objects), not
 * how they are spelled: aliases, `from x import *`, constant getattr and modules reached through other
 * modules all resolve to the same forbidden object; comments and strings never count.
 */
let py: PythonInfo;
let dir: string;
beforeAll(async () => {
  py = await findPython(process.env);
  dir = mkdtempSync(path.join(os.tmpdir(), 'aibench-pyscan-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rulesOf(code: string, allow: string[] = []): Promise<string[]> {
  const file = path.join(dir, 'sub.py');
  writeFileSync(file, code);
  const { stdout } = await exec(
    py.executable,
    ['-I', '-S', '-B', '-c', PY_SCANNER, '{"own":["durations"]}', 'sub.py'],
    { cwd: dir },
  );
  const report = parseScannerOutput(stdout, allow);
  if (!report) throw new Error(`not scanner output: ${stdout}`);
  return [...new Set([...report.hits.map((h) => h.rule), ...report.syntaxErrors.map(() => 'syntax')])].sort();
}

const REFUSED: [string, string, string][] = [
  ['os._exit through an import alias', 'import os as o\no._exit(0)', 'process-exit'],
  [
    'sys.exit from a nested function',
    'def f():\n    import sys as s\n    def g():\n        s.exit(0)\n    return g',
    'process-exit',
  ],
  ['raise SystemExit', 'raise SystemExit(0)', 'process-exit'],
  ['os.kill reached through uuid.os', 'import uuid\nuuid.os.kill(1, 9)', 'process-exit'],
  ['a star import of os', 'from os import *\n_exit(0)', 'fs-access'],
  ['constant getattr', 'import os\ngetattr(os, "_exit")(0)', 'process-exit'],
  ['computed getattr', 'import os\ngetattr(os, "_ex" + "it")(0)', 'dynamic-code'],
  ['a module aliased by assignment', 'import os\nk = os\nk.system("true")', 'dynamic-code'],
  ['os.environ', 'import os\nx = os.environ.get("HOME")', 'env-access'],
  ['getenv imported by name', 'from os import getenv as g\ng("HOME")', 'env-access'],
  ['open()', 'open("/etc/passwd").read()', 'fs-access'],
  ['pathlib', 'from pathlib import Path', 'fs-access'],
  ['subprocess', 'import subprocess as sp\nsp.run(["true"])', 'process-spawn'],
  [
    'asyncio subprocesses',
    'import asyncio\nasync def f():\n    await asyncio.create_subprocess_exec("ls")',
    'process-spawn',
  ],
  ['a socket', 'import socket', 'network'],
  ['atexit', 'import atexit\natexit.register(print)', 'atexit'],
  ['patching builtins', 'import builtins\nbuiltins.len = lambda x: 0', 'monkeypatch'],
  ['__builtins__', '__builtins__["len"] = None', 'monkeypatch'],
  ['patching the stdlib', 'import asyncio\nasyncio.Task.cancel = lambda self: None', 'monkeypatch'],
  ['setattr on a module', 'import json\nsetattr(json, "dumps", repr)', 'monkeypatch'],
  ['eval', 'eval("1")', 'dynamic-code'],
  ['__import__', 'm = __import__("o" + "s")', 'dynamic-code'],
  ['importlib', 'import importlib', 'dynamic-code'],
  ['frame walking', 'def f(e):\n    return e.__traceback__.tb_frame.f_back.f_globals', 'introspection'],
  ['__subclasses__', 'x = ().__class__.__bases__[0].__subclasses__()', 'introspection'],
  ['a module private', 'import random\nrandom._os', 'introspection'],
  ['inspect', 'import inspect', 'introspection'],
  ['a format string reaching globals', '"{0.__init__.__globals__}".format(object())', 'introspection'],
  ['sys.modules', 'import sys\nsys.modules["pytest"] = None', 'module-table'],
  ['ctypes', 'import ctypes', 'native-code'],
  ['pytest', 'import pytest', 'test-framework'],
  ['_pytest', 'from _pytest import runner', 'test-framework'],
  ['an unlisted module', 'import sqlite3', 'unlisted-module'],
];

describe('the Python tamper scan', () => {
  it.each(REFUSED)('refuses %s', async (_what, code, rule) => {
    expect(await rulesOf(code)).toContain(rule);
  });

  it('never triggers on comments, strings or ordinary code', async () => {
    const clean = [
      '# os._exit(0) and import subprocess in a comment',
      's = "import os; os._exit(0); eval(x); open(p)"',
      'import asyncio, collections, heapq, json, math, re, sys',
      'from dataclasses import dataclass, field',
      'from . import helpers',
      'from durations import parse_duration',
      '@dataclass',
      'class A:',
      '    x: int = 0',
      '    y: list = field(default_factory=list)',
      'async def main(n: int):',
      '    sem = asyncio.Semaphore(n)',
      '    async with sem:',
      '        await asyncio.wait_for(asyncio.sleep(0), timeout=0.1)',
      '    sys.stdout.write(json.dumps([x for x in range(3) if x]))',
      '    heapq.heappush([], 1)',
      '    return collections.deque(), re.sub("a", "b", "c"), math.inf',
      'def cli(argv, stdin=sys.stdin.buffer):',
      '    print(stdin.read(), file=sys.stderr)',
      '    return getattr(A(), "x")',
    ].join('\n');
    expect(await rulesOf(clean)).toEqual([]);
  });

  it('lifts only the rules a task allows', async () => {
    const code = 'import sys\nraise SystemExit(open("f").read())';
    expect(await rulesOf(code)).toEqual(['fs-access', 'process-exit']);
    expect(await rulesOf(code, ['fs-access', 'process-exit'])).toEqual([]);
  });

  it('reports a file that does not compile as a syntax error, and a too-deep one as unscannable', async () => {
    expect(await rulesOf('def f(:\n')).toEqual(['syntax']);
    expect(await rulesOf(`x = ${'-'.repeat(200_000)}1\n`)).toEqual(['unscannable']);
  });
});

describe('choosing the interpreter', () => {
  it('refuses a missing one with one line and its own exit code, before anything is graded', async () => {
    const err = await findPython({ PATH: '', AIBENCH_PYTHON: '/nonexistent/python3' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).code).toBe(ExitCode.toolchainMissing);
    expect((err as UsageError).message).toMatch(/\/nonexistent\/python3 does not exist.*python3-pytest/);
    expect((err as UsageError).message).not.toContain('\n');
  });
});

describe('the pytest JUnit report', () => {
  const xml = (cases: string) =>
    `<?xml version="1.0"?><testsuites><testsuite name="pytest" tests="9">${cases}</testsuite></testsuites>`;

  it('counts passes, failures, errors and skips per test case', () => {
    const r = parseJunitReport(
      xml(
        '<testcase classname="tests.test_a" name="test_ok"/>' +
          '<testcase classname="tests.test_a" name="test_bad[1]"><failure message="AssertionError: assert 1 == 2">tests/test_a.py:3: AssertionError</failure></testcase>' +
          '<testcase classname="tests.test_a" name="test_err"><error message="error in setup"/></testcase>' +
          '<testcase classname="tests.test_a" name="test_skip"><skipped message="no"/></testcase>',
      ),
    )!;
    expect([r.passed, r.failed, r.skipped]).toEqual([1, 2, 1]);
    expect(r.failures.map((f) => f.name)).toEqual(['tests.test_a::test_bad[1]', 'tests.test_a::test_err']);
    expect(r.failures[0]!.message).toContain('assert 1 == 2');
  });

  it('counts a parametrized function once: passed only when every case passed', () => {
    const r = parseJunitReport(
      xml(
        '<testcase classname="t" name="test_p[1]"/><testcase classname="t" name="test_p[2]"><failure message="x"/></testcase>' +
          '<testcase classname="t" name="test_q[1]"/><testcase classname="t" name="test_q[2]"/><testcase classname="t" name="test_r"/>',
      ),
    )!;
    expect(countByFunction(r.cases)).toEqual({ passed: 2, failed: 1, skipped: 0 });
  });

  it('is no report when empty, truncated or not JUnit', () => {
    expect(parseJunitReport('')).toBeNull();
    expect(parseJunitReport('<testsuites><testsuite><testcase')).toBeNull();
    expect(parseJunitReport('{"passed": 45}')).toBeNull();
  });

  it('never counts a duplicated or unknown test as a complete run', () => {
    const r = parseJunitReport(
      xml(
        '<testcase classname="t" name="test_a"/><testcase classname="t" name="test_a"/><testcase classname="t" name="test_forged"/>',
      ),
    )!;
    expect(r.passed).toBeLessThan(3);
    const problems = reportProblems(r.names, r.duplicates, { hiddenTests: ['test_a'] });
    expect(problems.join('\n')).toMatch(/test_forged/);
    expect(problems.join('\n')).toMatch(/more than once/);
  });
});

import { describe, expect, it } from 'vitest';
import { parseLibtest } from '../src/grade/parse-libtest.js';
import { parseVitestReport } from '../src/grade/parse-vitest.js';
import type { Observation } from '../src/grade/types.js';
import { decideOutcome } from '../src/grade/verdict.js';
import { gradeFiles } from '../src/grade/grade.js';
import type { Sandbox } from '../src/grade/sandbox.js';
import { builtinTasksRoot, loadTasks } from '../src/tasks/loader.js';

const ok = { name: 'test', ok: true, status: 'ok' as const, durationMs: 1, exitCode: 0 };
const obs = (tests: Observation['tests'], failedStep: Observation['failedStep'] = null): Observation => ({
  steps: [ok],
  failedStep,
  tests,
  failures: [],
  diagnostics: '',
});

describe('decideOutcome', () => {
  it('passes only with exactly the expected number of passed tests', () => {
    expect(decideOutcome(obs({ expected: 12, passed: 12, failed: 0, skipped: 0 }))).toBe('pass');
  });

  it('fails when fewer tests ran than expected, even though every step exited 0', () => {
    expect(decideOutcome(obs({ expected: 12, passed: 3, failed: 0, skipped: 0 }))).toBe('test');
  });

  it('fails when more tests passed than exist (forged results)', () => {
    expect(decideOutcome(obs({ expected: 12, passed: 99, failed: 0, skipped: 0 }))).toBe('test');
  });

  it('fails on skipped tests and on a missing report', () => {
    expect(decideOutcome(obs({ expected: 2, passed: 2, failed: 0, skipped: 1 }))).toBe('test');
    expect(decideOutcome(obs(null))).toBe('test');
  });

  it('takes the class of the first failed step', () => {
    expect(decideOutcome(obs(null, { name: 'typecheck', class: 'build' }))).toBe('build');
    expect(decideOutcome(obs(null, { name: 'test', class: 'timeout' }))).toBe('timeout');
  });
});

describe('parseLibtest', () => {
  it('counts per-test lines across targets and keeps failure messages', () => {
    const out = [
      'running 2 tests',
      'test merges_touching ... ok',
      'test nested ... FAILED',
      '',
      'failures:',
      '',
      '---- nested stdout ----',
      "thread 'nested' panicked at tests/merge.rs:10:5:",
      'nested intervals must collapse into the outer one',
      '',
      'failures:',
      '    nested',
      '',
      'test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s',
      'running 1 test',
      'test big_input ... ignored',
    ].join('\n');
    const s = parseLibtest(out);
    expect([s.passed, s.failed, s.skipped]).toEqual([1, 1, 1]);
    expect(s.failures[0]!.name).toBe('nested');
    expect(s.failures[0]!.message).toContain('nested intervals must collapse');
  });

  it('never counts a name reported twice as a pass', () => {
    const s = parseLibtest('test a ... ok\ntest a ... ok\ntest b ... ok');
    expect(s.passed).toBe(1);
    expect(s.failed).toBe(1);
    expect(s.duplicates).toEqual(['a']);
  });
});

describe('parseVitestReport', () => {
  it('counts statuses and reports files that failed to load', () => {
    const report = {
      testResults: [
        {
          name: '/w/tests/a.test.tsx',
          status: 'failed',
          assertionResults: [
            { fullName: 'A renders', status: 'passed', failureMessages: [] },
            { fullName: 'A formats', status: 'failed', failureMessages: ['expected 1 to be 2'] },
            { fullName: 'A later', status: 'skipped', failureMessages: [] },
          ],
        },
        {
          name: '/w/tests/b.test.tsx',
          status: 'failed',
          message: 'Failed to resolve import "../src/B"',
          assertionResults: [],
        },
      ],
    };
    const s = parseVitestReport(JSON.stringify(report))!;
    expect([s.passed, s.failed, s.skipped]).toEqual([1, 1, 1]);
    expect(s.failures).toEqual([{ name: 'A formats', message: 'expected 1 to be 2' }]);
    expect(s.fileErrors).toEqual(['Failed to resolve import "../src/B"']);
    expect(parseVitestReport('not json')).toBeNull();
    expect(parseVitestReport(null)).toBeNull();
  });
});

describe('forbid checks run before anything is built', () => {
  // A sandbox that refuses to run anything: reaching the toolchain would end the grading as infra.
  const noExec: Sandbox = {
    level: 'process',
    features: [],
    missing: [],
    wrap: () => {
      throw new Error('the toolchain ran');
    },
  };
  // A task author's textual ban (kind `forbid`), as rust/L5 once had: judged on the reply's text alone.
  const builtin = loadTasks([builtinTasksRoot()]).find((t) => t.key === 'rust/L5-spsc-ring')!;
  const ring = {
    ...builtin,
    checks: [
      {
        name: 'no-locks',
        kind: 'forbid' as const,
        pattern: '\\b(Mutex|RwLock|Condvar|mpsc)\\b',
        message: 'The ring buffer must be lock-free; Mutex, RwLock, Condvar and mpsc are not allowed.',
      },
    ],
  };

  it('a lock-based ring that does not even compile fails its forbid check, with the match and what to fix', async () => {
    const lib = 'use std::sync::Mutex;\n\npub struct Ring { inner: Mutex<Vec<u8>> }\nthis does not compile\n';
    const r = await gradeFiles(ring, new Map([['src/lib.rs', lib]]), {
      env: {
        cacheDir: '/nonexistent',
        fixtures: new Map(),
        holds: [],
        nightly: false,
        hostEnv: {},
        sandbox: noExec,
      },
      slot: 0,
      feedbackChars: 4000,
    });
    expect(r.outcome).toBe('check');
    expect(r.steps.map((s) => [s.name, s.status])).toEqual([['no-locks', 'failed']]);
    expect(r.harnessFaults).toEqual([]);
    expect(r.feedback).toContain('Failed step: no-locks.');
    expect(r.feedback).toContain('must be lock-free');
    expect(r.feedback).toContain('(found `Mutex` in src/lib.rs:1)');
    expect(r.feedback).toContain('The build and the tests were not run');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradeEnv } from '../src/grade/toolchains/types.js';
import {
  createHost,
  grader,
  hostileTask,
  prepareFor,
  type Grader,
  type HostileHost,
} from './support/hostile.js';

/**
 * Hostile submissions, items 6–8: wrong solutions that try to look right — exiting the test process
 * early with status 0, printing forged results, writing the report file, always-equal objects and
 * patched test-framework globals. Each must fail; the comments name what actually defends each case.
 *
 * Forged per-test lines for the real test names followed by a Rust `exit(0)` now fail on the missing
 * libtest summary and the resolution-based scan (test/hostile-rust-scan.test.ts); replacing `expect`
 * through `(globalThis as any).expect` or a computed key, and reaching `inspector`, fail the TypeScript
 * scan (test/hostile-ts-scan.test.ts).
 */

const rust = hostileTask('hostile-rust/L1-clamp');
const rustScanned = hostileTask('hostile-rust/L1-clamp-scanned');
const node = hostileTask('hostile-node/L1-greeting');
const nodeScanned = hostileTask('hostile-node/L1-greeting-scanned');
let host: HostileHost;
let env: GradeEnv;
let grade: Grader;

beforeAll(async () => {
  host = createHost();
  env = await prepareFor(host, [rust, rustScanned, node, nodeScanned]);
  grade = grader(env, host, 23);
});
afterAll(() => host?.cleanup());

/** A wrong component (no trimming, no stranger): both hidden tests fail on it. */
const WRONG_COMPONENT =
  'export function Greeting({ name }: { name: string }) {\n  return <h1>Hello, {name}!</h1>;\n}\n';
/** A vitest JSON report claiming both hidden tests passed. */
const FORGED_REPORT = JSON.stringify({
  numTotalTests: 2,
  numPassedTests: 2,
  numFailedTests: 0,
  success: true,
  testResults: [
    {
      name: 'tests/Greeting.test.tsx',
      status: 'passed',
      message: '',
      assertionResults: [
        'greets the given name in a heading',
        'greets a stranger when the name is blank',
      ].map((t) => ({ fullName: t, title: t, ancestorTitles: [], status: 'passed', failureMessages: [] })),
    },
  ],
});

/** Rust: writes `lines` to the raw stdout (past libtest's capture), then maybe exits 0. */
function rustForger(lines: string[], exit: boolean, solve = 'value.max(a).min(b)'): string {
  return `use std::io::Write;
pub fn clamp(value: i64, a: i64, b: i64) -> i64 {
    let mut out = std::io::stdout();
    let _ = out.write_all(${JSON.stringify(lines.map((l) => `${l}\n`).join(''))}.as_bytes());
    let _ = out.flush();
    ${exit ? 'std::process::exit(0);' : ''}
    ${solve}
}
`;
}

describe('hostile: exiting the test process early with status 0 (item 6)', () => {
  it('Rust: std::process::exit(0) from the function under test leaves 0 of 3 tests reported — the exact-count verdict fails it', async () => {
    const r = await grade(
      rust,
      'pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 {\n    std::process::exit(0)\n}\n',
    );
    expect(r.steps.find((s) => s.name === 'test')?.exitCode).toBe(0);
    expect(r.outcome).toBe('test');
    expect(r.tests).toMatchObject({ expected: 3, passed: 0 });
  });

  it('React: process.exit(0) while the module loads is refused by vitest itself and no test passes', async () => {
    const r = await grade(node, `// @ts-nocheck\nprocess.exit(0);\n${WRONG_COMPONENT}`);
    expect(r.outcome).toBe('test');
    expect(r.tests?.passed).toBe(0);
    expect(r.feedback).toContain('process.exit unexpectedly called with "0"');
  });
});

describe('hostile: forged success output (item 7)', () => {
  it('Rust: a forged "test result: ok. 99 passed" summary then exit(0) counts nothing — counts come from per-test lines', async () => {
    const r = await grade(
      rust,
      rustForger(
        ['test result: ok. 99 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s'],
        true,
      ),
    );
    expect(r.outcome).toBe('test');
    expect(r.tests).toMatchObject({ passed: 0, failed: 0 });
  });

  it('Rust: 99 forged "test … ok" lines then exit(0) fail: names the binary does not have, no summary', async () => {
    const lines = Array.from({ length: 99 }, (_, i) => `test forged_${i} ... ok`);
    const r = await grade(
      rust,
      rustForger([...lines, 'test result: ok. 99 passed; 0 failed; 0 ignored'], true),
    );
    expect(r.outcome).toBe('test');
    // Test threads race to print first (once: 99 unknown names; more: duplicates): never 3 passes.
    expect(r.tests?.passed).not.toBe(3);
    expect(r.feedback).toContain('without libtest');
  });

  it('Rust: forged "ok" lines for the real test names beside a wrong solution are duplicates and fail', async () => {
    const names = ['inside_range_is_unchanged', 'outside_range_is_limited', 'bounds_in_either_order'];
    const r = await grade(
      rust,
      rustForger(
        names.map((n) => `test ${n} ... ok`),
        false,
      ),
    );
    expect(r.outcome).toBe('test');
    expect(r.failingTests).toContain('bounds_in_either_order');
    expect(r.feedback).toContain('reported more than once');
  });

  it('Rust, tamper scan on: the same forgery with exit(0) is refused before any test runs (class check)', async () => {
    const names = ['inside_range_is_unchanged', 'outside_range_is_limited', 'bounds_in_either_order'];
    const r = await grade(
      rustScanned,
      rustForger([...names.map((n) => `test ${n} ... ok`), 'test result: ok. 3 passed'], true),
    );
    expect(r.outcome).toBe('check');
    expect(r.suspect.map((s) => s.split(':')[0])).toEqual(
      expect.arrayContaining(['process-exit', 'raw-output']),
    );
  });

  it('React: a fake vitest JSON report printed to stdout is ignored — the report is read from a file the process is not told of', async () => {
    const r = await grade(
      node,
      `// @ts-nocheck\nimport { writeSync } from 'node:fs';\nconsole.log(${JSON.stringify(FORGED_REPORT)});\nwriteSync(1, ${JSON.stringify(FORGED_REPORT)} + '\\n');\n${WRONG_COMPONENT}`,
    );
    expect(r.outcome).toBe('test');
    expect(r.tests).toMatchObject({ passed: 0, failed: 2 });
  });

  // The report path is discoverable (process.argv, ../private): writing it is possible, keeping it is not.
  const writeReport = `// @ts-nocheck
import { mkdirSync, writeFileSync } from 'node:fs';
const forged = ${JSON.stringify(FORGED_REPORT)};
const target = process.argv.find((a) => a.startsWith('--outputFile='))?.slice('--outputFile='.length);
if (target) writeFileSync(target, forged);
mkdirSync('../private', { recursive: true });
writeFileSync('../private/vitest-report.json', forged);
`;

  it('React: a forged report written to the report path is overwritten by vitest at the end', async () => {
    const r = await grade(node, `${writeReport}${WRONG_COMPONENT}`);
    expect(r.outcome).toBe('test');
    expect(r.tests).toMatchObject({ passed: 0, failed: 2 });
  });

  it('React: forged report + process.exit(0) — vitest turns the exit into an error, no report survives as a pass', async () => {
    const r = await grade(node, `${writeReport}process.exit(0);\n${WRONG_COMPONENT}`);
    expect(r.outcome).toBe('test');
  });

  it('React: forged report + SIGTERM to its own process — only the test worker dies; vitest reports the failure itself', async () => {
    const r = await grade(node, `${writeReport}process.kill(process.pid, 'SIGTERM');\n${WRONG_COMPONENT}`);
    expect(r.outcome).toBe('test');
    // Tests run in a forked worker (pool: forks): the signal ends the worker, not the process that
    // writes the report, which then reports a failed run and overwrites the forgery.
    expect(r.steps.find((s) => s.name === 'test')?.exitCode).not.toBe(0);
    expect(r.tests?.passed ?? 0).toBeLessThan(2);
  });
});

describe('hostile: always-equal objects and patched test globals, tamper scan on (item 8)', () => {
  const cases: [string, string, string][] = [
    [
      'an always-equal asymmetric matcher',
      'const anything = { asymmetricMatch: () => true };\nexport function Greeting({ name }: { name: string }) {\n  return <h1>{String(anything) + name}</h1>;\n}\n',
      'asymmetric-match',
    ],
    // The same with a TypeScript cast or a computed key: test/hostile-ts-scan.test.ts.
    [
      'replacing globalThis.expect',
      `// @ts-nocheck\nglobalThis.expect = () => new Proxy({}, { get: () => () => undefined });\n${WRONG_COMPONENT}`,
      'prototype-tamper',
    ],
    [
      'redefining expect with Object.defineProperty(globalThis, …)',
      `Object.defineProperty(globalThis, 'expect', { value: () => ({}) });\n${WRONG_COMPONENT}`,
      'prototype-tamper',
    ],
    [
      "patching vitest's expect through an import",
      `import { expect } from 'vitest';\n(expect as any).extend({ toHaveTextContent: () => ({ pass: true, message: () => '' }) });\n${WRONG_COMPONENT}`,
      'test-framework',
    ],
    [
      "patching chai's Assertion prototype",
      `import * as chai from 'chai';\n(chai as any).Assertion.prototype.assert = () => {};\n${WRONG_COMPONENT}`,
      'test-framework',
    ],
    [
      'patching a DOM prototype the tests read',
      `HTMLElement.prototype.getAttribute = () => 'Hello, Ada!';\n${WRONG_COMPONENT}`,
      'prototype-tamper',
    ],
    [
      'reaching the vitest worker state',
      `const w = (globalThis as any).__vitest_worker__;\nvoid w;\n${WRONG_COMPONENT}`,
      'test-globals',
    ],
  ];
  for (const [what, source, rule] of cases) {
    it(`${what}: refused before anything runs (check, suspect: ${rule})`, async () => {
      const r = await grade(nodeScanned, source);
      expect(r.outcome).toBe('check');
      expect(r.steps.map((s) => s.name)).toEqual(['tamper-scan']);
      expect(r.suspect.length).toBeGreaterThan(0);
      expect(r.suspect.map((s) => s.split(':')[0])).toContain(rule);
    });
  }

  it('an obfuscated always-equal object evades the scan, yet the verdict holds: the hidden tests assert on the DOM, which it cannot fake', async () => {
    const r = await grade(
      nodeScanned,
      `const key = ['asymmetric', 'Match'].join('');
const anything = { [key]: () => true, toString: () => 'Hello, stranger!' };
export function Greeting({ name }: { name: string }) {
  return <h1 data-name={name}>{String(anything)}</h1>;
}
`,
    );
    expect(r.suspect).toEqual([]);
    expect(r.outcome).toBe('test');
    expect(r.failingTests).toEqual(['greets the given name in a heading']);
  });
});

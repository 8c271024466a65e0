import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeModulePolicy, scanNodeSubmission } from '../src/grade/scan/ts-scan.js';
import type { GradeEnv } from '../src/grade/toolchains/types.js';
import { builtinTasksRoot, loadTasks } from '../src/tasks/loader.js';
import {
  createHost,
  grader,
  hostileTask,
  prepareFor,
  type Grader,
  type HostileHost,
} from './support/hostile.js';

/**
 * The node tamper scan judges what names resolve to (TypeScript parser + scope resolution), not how
 * they are spelled; the React fixture takes the test framework out of the submission's reach (no
 * globals, locked test flags, hidden test files unimportable). Regressions of a red-team review:
 * a vitest runner hijack (`beforeEach(ctx => Object.assign(ctx.task, { fails: true }))`) that passed
 * 16/16 with `<div/>`, hidden test source leaked through `?raw`, a quadratic regex scan, and false fails
 * on `globalThis.crypto.randomUUID()`.
 */

// Generous step limits: these gradings must end by their verdict, not by a busy machine's clock.
const slow = { build: 180, test: 120 };
const open = { ...hostileTask('hostile-node/L1-greeting'), timeouts: slow };
const scanned = { ...hostileTask('hostile-node/L1-greeting-scanned'), timeouts: slow };
const policy = nodeModulePolicy(scanned);
const rulesOf = (code: string, file = 'src/Greeting.tsx') =>
  scanNodeSubmission(new Map([[file, code]]), [], policy).map((h) => h.rule);

/** A wrong component: both hidden tests fail on it. */
const WRONG = 'export function Greeting(_: { name: string }) {\n  return <div />;\n}\n';

/** The runner hijack, spelled many ways: every spelling reaches vitest's `beforeEach`. */
const HIJACKS: [string, string, string][] = [
  [
    'the global beforeEach',
    `beforeEach((ctx: any) => Object.assign(ctx.task, { fails: true }));`,
    'test-globals',
  ],
  [
    'an alias of globalThis',
    `const g: any = globalThis;\ng.beforeEach((ctx: any) => Object.assign(ctx.task, { fails: true }));`,
    'test-globals',
  ],
  [
    'a key built at run time',
    `const k = ['before', 'Each'].join('');\n(globalThis as any)[k]((ctx: any) => Object.assign(ctx.task, { fails: true }));`,
    'test-globals',
  ],
  [
    'document.defaultView with a computed key',
    `const w: any = document.defaultView;\nw['before' + 'Each']((ctx: any) => Object.assign(ctx.task, { fails: true }));`,
    'test-globals',
  ],
  [
    "import * as v from 'vitest'",
    `import * as v from 'vitest';\nv.beforeEach((ctx) => { Object.assign(ctx.task, { fails: true }); });`,
    'test-framework',
  ],
  [
    'an aliased named import',
    `import { beforeEach as setUp } from 'vitest';\nsetUp((ctx) => { Object.assign(ctx.task, { fails: true }); });`,
    'test-framework',
  ],
  ['a re-export', `export { beforeEach } from 'vitest';`, 'test-framework'],
  [
    'require',
    `// @ts-nocheck\nconst v = require('vitest');\nv.beforeEach((ctx) => Object.assign(ctx.task, { fails: true }));`,
    'dynamic-code',
  ],
  [
    'dynamic import()',
    `void import('vitest').then((v) => v.beforeEach((ctx) => { Object.assign(ctx.task, { fails: true }); }));`,
    'test-framework',
  ],
  [
    'import() of a computed name',
    `const m = 'vi' + 'test';\nvoid import(/* @vite-ignore */ m).then((v: any) => v.beforeEach(() => {}));`,
    'dynamic-code',
  ],
  [
    'destructuring globalThis',
    `const { beforeEach: b } = globalThis as any;\nb((ctx: any) => Object.assign(ctx.task, { fails: true }));`,
    'test-globals',
  ],
  ['new Function', `new Function('return this')().beforeEach(() => {});`, 'dynamic-code'],
  [
    'the Function constructor reached by .constructor',
    `const F = (() => {}).constructor as any;\nF('return globalThis')();`,
    'dynamic-code',
  ],
  ["vitest's worker state", `const w = (globalThis as any).__vitest_worker__;\nvoid w;`, 'test-globals'],
  [
    "expect's matcher state through Symbol.for",
    `const s = (globalThis as any)[Symbol.for('$$jest-matchers-object')];\nvoid s;`,
    'test-globals',
  ],
];

describe('node tamper scan: rules judged after name resolution', () => {
  for (const [spelling, code, rule] of HIJACKS) {
    it(`runner hijack through ${spelling} → ${rule}`, () => {
      expect(rulesOf(`${code}\n${WRONG}`)).toContain(rule);
    });
  }

  it.each([
    [
      'a ?raw import of a hidden test',
      `import src from '../tests/Greeting.test.tsx?raw';\nexport const s = src;`,
      'bundler-import',
    ],
    ['a ?url import', `import u from './Greeting.tsx?url';\nexport const s = u;`, 'bundler-import'],
    [
      'import.meta.glob',
      `export const all = import.meta.glob('../tests/*.tsx', { query: '?raw', eager: true });`,
      'bundler-import',
    ],
    [
      'a hidden test imported as a module',
      `import * as t from '../tests/Greeting.test';\nexport const k = Object.keys(t);`,
      'bundler-import',
    ],
    ['a path outside the project', `import x from '../../secrets';\nexport const s = x;`, 'bundler-import'],
    [
      'a DOM prototype patch',
      `HTMLElement.prototype.getAttribute = () => 'Hello, Ada!';`,
      'prototype-tamper',
    ],
    [
      'a prototype patch through getPrototypeOf',
      `Object.getPrototypeOf(document.body).getAttribute = () => '';`,
      'prototype-tamper',
    ],
    [
      'defineProperty on a built-in prototype',
      `Object.defineProperty(Node.prototype, 'textContent', { get: () => 'x' });`,
      'prototype-tamper',
    ],
    ['a write to a global object property', `(window as any).expect = () => ({});`, 'prototype-tamper'],
    ['Reflect.set on globalThis', `Reflect.set(globalThis, 'expect', 1);`, 'prototype-tamper'],
    [
      'an always-equal matcher',
      `export const anything = { asymmetricMatch: () => true };`,
      'asymmetric-match',
    ],
    [
      'an always-equal matcher by a literal computed key',
      `export const anything = { ['asymmetricMatch']: () => true };`,
      'asymmetric-match',
    ],
    ['process.exit', `process.exit(0);`, 'process-control'],
    ['process through globalThis', `(globalThis as any).process.exit(0);`, 'process-control'],
    ['process.env', `export const k = process.env.ANTHROPIC_API_KEY;`, 'env-access'],
    ['a Node built-in', `import { execSync } from 'node:child_process';\nexecSync('id');`, 'node-builtins'],
    ['a bare Node built-in', `import fs from 'fs';\nexport const f = fs;`, 'node-builtins'],
    ['the inspector', `import { Session } from 'node:inspector';\nexport const s = Session;`, 'inspector'],
    ['getBuiltinModule', `export const m = (globalThis as any).process.getBuiltinModule('fs');`, 'inspector'],
    ['eval', `(0, eval)('1');`, 'dynamic-code'],
    ['a string setTimeout', `setTimeout('globalThis.x = 1', 0);`, 'dynamic-code'],
    ['chai', `import * as chai from 'chai';\nexport const c = chai;`, 'test-framework'],
    [
      '@testing-library',
      `import { screen } from '@testing-library/react';\nexport const s = screen;`,
      'test-framework',
    ],
    [
      'a package the task does not provide',
      `import { z } from 'zod';\nexport const s = z;`,
      'test-framework',
    ],
    ['a global object handed out', `export const g = globalThis;`, 'test-globals'],
    [
      'an ambient declaration of a test global',
      `declare const expect: (v: unknown) => { toBe(v: unknown): void };\nexpect(1).toBe(1);`,
      'test-globals',
    ],
  ])('%s → %s', (_what, code, rule) => {
    expect(rulesOf(code)).toContain(rule);
  });

  it.each([
    ['crypto.randomUUID through globalThis', `export const id = globalThis.crypto.randomUUID();`],
    [
      'ordinary browser globals',
      `export function f() {\n  const saved = localStorage.getItem('k');\n  void fetch('/api');\n  window.addEventListener('resize', () => {});\n  const { crypto } = window;\n  document.title = 'x';\n  window.location.hash = '#a';\n  return [saved, crypto.randomUUID(), window.location.pathname, document.title, typeof window === 'undefined'];\n}`,
    ],
    [
      'forbidden words in comments, strings and JSX text',
      `// beforeEach(ctx => ctx.task.fails = true); globalThis[k]; process.exit(0); require('vitest')\n/* import.meta.glob('../tests/*?raw') asymmetricMatch eval Function */\nexport const note = "globalThis.expect = 1; process.env.KEY; import('node:fs')";\nexport const tpl = \`vi.fn() \${1} __vitest_worker__\`;\nexport const J = () => <p title="process.exit">expect it describe test vi globalThis window[k] import.meta</p>;`,
    ],
    [
      'local names that shadow test globals',
      `export function f(items: string[], expect: number) {\n  const test = items.map((it) => it.trim());\n  for (const describe of test) void describe;\n  return expect;\n}`,
    ],
    [
      'NODE_ENV and typeof process',
      `export const dev = typeof process !== 'undefined' && process.env.NODE_ENV !== 'production';`,
    ],
    [
      'React, react-router, lazy import() and type-only vitest imports',
      `import { lazy } from 'react';\nimport { Link } from 'react-router';\nimport type { Mock } from 'vitest';\nexport const Page = lazy(() => import('./Greeting'));\nexport type M = Mock;\nexport const L = Link;`,
    ],
  ])('must pass: %s', (_what, code) => {
    expect(rulesOf(code)).toEqual([]);
  });

  it('every shipped React reference, starter and mutant scans clean (a mutant must fail by its tests, not the scan)', () => {
    const react = loadTasks([builtinTasksRoot()]).filter((t) => t.suite.toolchain === 'node');
    expect(react.length).toBeGreaterThan(0);
    for (const task of react) {
      for (const files of [task.reference, task.starter, ...task.mutants.map((m) => m.files)])
        expect(scanNodeSubmission(files, task.allow, nodeModulePolicy(task)), task.key).toEqual([]);
    }
  });

  it('reports the line of the hit and lets a task lift a rule', () => {
    const code = `// a comment naming process.exit\nexport const x = 1;\nprocess.exit(0);\n`;
    const [hit] = scanNodeSubmission(new Map([['src/Greeting.tsx', code]]), [], policy);
    expect(hit).toMatchObject({ rule: 'process-control', line: 3, excerpt: 'process.exit(0);' });
    expect(scanNodeSubmission(new Map([['src/Greeting.tsx', code]]), ['process-control'], policy)).toEqual(
      [],
    );
  });

  it('refuses a file nested too deeply to parse instead of crashing the run (honest code nesting 500 deep scans)', () => {
    const nested = (n: number) => `export const x = ${'['.repeat(n)}${']'.repeat(n)};`;
    expect(rulesOf(nested(200_000))).toEqual(['unscannable']);
    expect(rulesOf(nested(500))).toEqual([]);
    expect(rulesOf(`export const J = () => ${'<div>'.repeat(500)}x${'</div>'.repeat(500)};`)).toEqual([]);
  });
});

/** Lines of the hidden test long enough to identify it: none may reach the feedback. */
const hiddenLines = [...open.hidden.values()]
  .flatMap((src) => src.split('\n'))
  .map((l) => l.trim())
  .filter((l) => l.length > 25);

describe('hostile: the test framework is out of the submission’s reach (real grading)', () => {
  let host: HostileHost;
  let env: GradeEnv;
  let grade: Grader;
  beforeAll(async () => {
    host = createHost();
    env = await prepareFor(host, [open, scanned]);
    grade = grader(env, host, 29);
  });
  afterAll(() => host?.cleanup());

  it('scan on: the runner hijack in every spelling is refused before anything runs', async () => {
    for (const [spelling, code] of HIJACKS) {
      const r = await grade(scanned, `${code}\n${WRONG}`);
      expect(r.outcome, spelling).toBe('check');
      expect(r.steps.map((s) => s.name)).toEqual(['tamper-scan']);
    }
  });

  it('scan off: the runner hijack through an import of vitest fails — the setup locks each test’s flags first', async () => {
    const r = await grade(
      open,
      `import { beforeEach } from 'vitest';\nbeforeEach((ctx) => { Object.assign(ctx.task, { fails: true }); });\n${WRONG}`,
    );
    expect(r.outcome).toBe('test');
    expect(r.tests?.passed).toBe(0);
  });

  it('scan off: flags forced before the lock (aroundEach, non-configurable) still fail the run at the end', async () => {
    const r = await grade(
      open,
      `import { aroundEach } from 'vitest';\naroundEach(async (run, ctx) => {\n  Object.defineProperty(ctx.task, 'fails', { value: true, writable: false, configurable: false });\n  await run();\n});\n${WRONG}`,
    );
    expect(r.outcome).toBe('test');
    expect(r.feedback).toContain('marked fails by the code under test');
  });

  it('scan off: the global beforeEach no longer exists (globals: false)', async () => {
    const r = await grade(
      open,
      `// @ts-nocheck\nbeforeEach((ctx) => Object.assign(ctx.task, { fails: true }));\n${WRONG}`,
    );
    expect(r.outcome).toBe('test');
    expect(r.tests?.passed ?? 0).toBe(0);
  });

  const leaks: [string, string][] = [
    [
      '?raw',
      `// @ts-nocheck\nimport src from '../tests/Greeting.test.tsx?raw';\nexport function Greeting(_: { name: string }) {\n  if (_) throw new Error('LEAK ' + src);\n  return <h1 />;\n}\n`,
    ],
    [
      'import.meta.glob',
      `// @ts-nocheck\nconst all = import.meta.glob('../tests/*.tsx', { query: '?raw', import: 'default', eager: true });\nexport function Greeting(_: { name: string }) {\n  if (_) throw new Error('LEAK ' + JSON.stringify(all));\n  return <h1 />;\n}\n`,
    ],
    [
      'a plain import of the test module',
      `// @ts-nocheck\nimport * as t from '../tests/Greeting.test';\nexport function Greeting(_: { name: string }) {\n  if (_) throw new Error('LEAK ' + String(Object.keys(t)));\n  return <h1 />;\n}\n`,
    ],
  ];
  for (const [how, code] of leaks) {
    it(`hidden test source through ${how}: refused by the scan, and without it by the fixture — nothing leaks`, async () => {
      const withScan = await grade(scanned, code);
      expect(withScan.outcome).toBe('check');
      expect(withScan.suspect.map((s) => s.split(':')[0])).toContain('bundler-import');
      const r = await grade(open, code);
      expect(r.outcome).not.toBe('pass');
      expect(r.tests?.passed ?? 0).toBe(0);
      expect(r.feedback).toMatch(/aibench: src\/Greeting\.tsx imports/);
      for (const line of hiddenLines) expect(r.feedback, line).not.toContain(line);
    });
  }

  it('markup never runs code: an inline handler in an HTML string (invisible to the scan) does not run', async () => {
    // Stands in for markup that reaches the runner from a handler: it answers right only if the handler ran.
    const r = await grade(
      scanned,
      `export function Greeting({ name }: { name: string }) {
  const probe = document.createElement('div');
  probe.innerHTML = '<button onclick="this.dataset.ran = \\'yes\\'">x</button>';
  const button = probe.firstChild as HTMLButtonElement;
  button.click();
  const who = name.trim() || 'stranger';
  return <h1>{button.dataset.ran === 'yes' ? \`Hello, \${who}!\` : 'inline handlers do not run'}</h1>;
}
`,
    );
    expect(r.suspect).toEqual([]);
    expect(r.outcome).toBe('test');
    expect(r.tests?.passed).toBe(0);
  });

  it('must pass: crypto.randomUUID through globalThis, with forbidden words in comments, strings and JSX', async () => {
    const r = await grade(
      scanned,
      `// Not beforeEach, not globalThis[k], not process.exit: just an id.
const note = 'import.meta.glob("../tests/*?raw"); require("vitest"); expect(it).toBe(vi)';
export function Greeting({ name }: { name: string }) {
  const id = globalThis.crypto.randomUUID();
  const who = name.trim() || 'stranger';
  return <h1 id={id} data-note={note.length}>Hello, {who}!</h1>;
}
`,
    );
    expect(r.suspect).toEqual([]);
    expect(r.outcome).toBe('pass');
  });
});

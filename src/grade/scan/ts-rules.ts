/**
 * The tamper rules of node (React / TypeScript) submissions: ids a task may `allow`, and the names the
 * scan judges. Names are matched after scope resolution (see ts-scan.ts), never as text.
 */
export const NODE_RULES = {
  'test-framework': 'imports the test framework or a package the task does not provide',
  'test-globals': 'touches the test framework globals or reaches global objects by computed names',
  'process-control': 'controls the test process (process)',
  'env-access': 'reads environment variables',
  'node-builtins': 'imports a Node.js system module',
  inspector: 'reaches for the debugger or Node internals',
  'dynamic-code': 'evaluates code or loads modules dynamically (eval, Function, require, computed import())',
  'bundler-import': 'reaches other files through the bundler (import.meta, ?raw/?url imports, test paths)',
  'asymmetric-match': 'defines an always-equal matcher (asymmetricMatch)',
  'prototype-tamper': 'patches built-in prototypes or globals',
  unscannable: 'cannot be scanned (syntax nested too deeply)',
} as const;

export type NodeRuleId = keyof typeof NODE_RULES;

/** Global objects: every global is a property of these. */
export const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'self', 'global', 'parent', 'top', 'frames']);

/** Properties that lead from a global object to a global object (`window.self`, `document.defaultView`). */
export const GLOBAL_OBJECT_PROPERTIES = new Set([...GLOBAL_OBJECTS, 'defaultView']);

/** The test framework's globals (vitest `globals: true`, chai, jest compatibility). */
export const TEST_GLOBALS = new Set([
  'expect',
  'test',
  'it',
  'describe',
  'suite',
  'bench',
  'vi',
  'vitest',
  'beforeEach',
  'afterEach',
  'beforeAll',
  'afterAll',
  'aroundEach',
  'onTestFinished',
  'onTestFailed',
  'chai',
  'assert',
  'should',
  'expectTypeOf',
  'assertType',
  'jest',
]);

/** Globals that turn strings into code or load modules at run time. */
export const DYNAMIC_CODE_GLOBALS = new Set([
  'eval',
  'Function',
  'require',
  'module',
  'exports',
  'importScripts',
]);

/** Property names of Node internals and debugger entry points, on whatever object. */
export const INSPECTOR_PROPERTIES = new Set([
  'getBuiltinModule',
  'connectToMainThread',
  '_debugProcess',
  '_linkedBinding',
  'binding',
  'dlopen',
  'reallyExit',
]);

/** `Object.*` / `Reflect.*` functions that change objects: refused when aimed at built-ins or globals. */
export const MUTATORS = new Set([
  'defineProperty',
  'defineProperties',
  'setPrototypeOf',
  'assign',
  'set',
  'deleteProperty',
  'preventExtensions',
  'freeze',
  'seal',
]);

/** Packages of the test toolchain: never a component's business (also when the task provides them). */
export const TEST_PACKAGES = [
  /^vitest(?:\/|$)/,
  /^@vitest\//,
  /^chai(?:\/|$)/,
  /^@testing-library\//,
  /^vite(?:-node)?(?:\/|$)/,
  /^jsdom(?:\/|$)/,
  /^tinyspy(?:\/|$)/,
  /^@jest\//,
  /^jest(?:-|\/|$)/,
  /^expect(?:\/|$)/,
];

/** `Symbol.for` keys the test framework keeps its state under (matchers, asymmetric matchers, globals). */
export const TEST_SYMBOL_KEYS = /vitest|chai|jest|matcher|expect|tinyspy|asymmetric/i;

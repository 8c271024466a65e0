import { createRequire as __aibenchCreateRequire } from 'node:module'; import { fileURLToPath as __aibenchFileURLToPath } from 'node:url'; const require = __aibenchCreateRequire(import.meta.url); const __aibenchFilename = __aibenchFileURLToPath(import.meta.url); const __aibenchDirname = __aibenchFilename.slice(0, __aibenchFilename.lastIndexOf('/'));

// src/grade/scan/ts-rules.ts
var NODE_RULES = {
  "test-framework": "imports the test framework or a package the task does not provide",
  "test-globals": "touches the test framework globals or reaches global objects by computed names",
  "process-control": "controls the test process (process)",
  "env-access": "reads environment variables",
  "node-builtins": "imports a Node.js system module",
  inspector: "reaches for the debugger or Node internals",
  "dynamic-code": "evaluates code or loads modules dynamically (eval, Function, require, computed import())",
  "bundler-import": "reaches other files through the bundler (import.meta, ?raw/?url imports, test paths)",
  "asymmetric-match": "defines an always-equal matcher (asymmetricMatch)",
  "prototype-tamper": "patches built-in prototypes or globals",
  unscannable: "cannot be scanned (syntax nested too deeply)"
};
var GLOBAL_OBJECTS = /* @__PURE__ */ new Set(["globalThis", "window", "self", "global", "parent", "top", "frames"]);
var GLOBAL_OBJECT_PROPERTIES = /* @__PURE__ */ new Set([...GLOBAL_OBJECTS, "defaultView"]);
var TEST_GLOBALS = /* @__PURE__ */ new Set([
  "expect",
  "test",
  "it",
  "describe",
  "suite",
  "bench",
  "vi",
  "vitest",
  "beforeEach",
  "afterEach",
  "beforeAll",
  "afterAll",
  "aroundEach",
  "onTestFinished",
  "onTestFailed",
  "chai",
  "assert",
  "should",
  "expectTypeOf",
  "assertType",
  "jest"
]);
var DYNAMIC_CODE_GLOBALS = /* @__PURE__ */ new Set([
  "eval",
  "Function",
  "require",
  "module",
  "exports",
  "importScripts"
]);
var INSPECTOR_PROPERTIES = /* @__PURE__ */ new Set([
  "getBuiltinModule",
  "connectToMainThread",
  "_debugProcess",
  "_linkedBinding",
  "binding",
  "dlopen",
  "reallyExit"
]);
var MUTATORS = /* @__PURE__ */ new Set([
  "defineProperty",
  "defineProperties",
  "setPrototypeOf",
  "assign",
  "set",
  "deleteProperty",
  "preventExtensions",
  "freeze",
  "seal"
]);
var TEST_PACKAGES = [
  /^vitest(?:\/|$)/,
  /^@vitest\//,
  /^chai(?:\/|$)/,
  /^@testing-library\//,
  /^vite(?:-node)?(?:\/|$)/,
  /^jsdom(?:\/|$)/,
  /^tinyspy(?:\/|$)/,
  /^@jest\//,
  /^jest(?:-|\/|$)/,
  /^expect(?:\/|$)/
];
var TEST_SYMBOL_KEYS = /vitest|chai|jest|matcher|expect|tinyspy|asymmetric/i;

export {
  NODE_RULES,
  GLOBAL_OBJECTS,
  GLOBAL_OBJECT_PROPERTIES,
  TEST_GLOBALS,
  DYNAMIC_CODE_GLOBALS,
  INSPECTOR_PROPERTIES,
  MUTATORS,
  TEST_PACKAGES,
  TEST_SYMBOL_KEYS
};

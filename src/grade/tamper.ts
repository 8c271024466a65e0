import { GO_RULES } from './scan/go-rules.js';
import { PY_RULES } from './scan/py-rules.js';
import { RUST_RULES } from './scan/rust-rules.js';
import { NODE_RULES } from './scan/ts-rules.js';

/**
 * Code a submission has no business containing: ways to escape grading (exit the test process, spawn
 * processes, read secrets or files, patch the test framework, forge results). The sandbox contains what
 * it can; the scans catch the in-process tricks a sandbox cannot see (a test process that forges its
 * own results). Both judge names after resolution, never spellings: node files by the TypeScript scan
 * (scan/ts-scan.ts), Rust crates by what rustc resolved (scan/rust-scan.ts, run inside the sandbox by
 * the rust toolchain). The output contract tells models these are forbidden; a task may `allow` a rule
 * it needs (the `wc` clone reads files and sets its exit code).
 */
export interface TamperHit {
  rule: string;
  message: string;
  file: string;
  line: number;
  excerpt: string;
}

/** Every rule id a task of this toolchain may `allow` (plus `*`). */
export function tamperRuleIds(toolchain: 'node' | 'rust' | 'go' | 'python'): string[] {
  if (toolchain === 'go') return GO_RULES.map((r) => r.id);
  if (toolchain === 'python') return Object.keys(PY_RULES);
  return toolchain === 'rust' ? RUST_RULES.map((r) => r.id) : Object.keys(NODE_RULES);
}

/** The contract sentence the system prompt carries, so no model is failed for a rule it was not told. */
export const TAMPER_CONTRACT =
  'Your code must not: exit, kill or spawn processes; read environment variables, /proc or files (unless the task is about files); use the network (unless the task is about it); write to the raw stdout/stderr handles or file descriptors (printing through print!/println!/console is fine); use linker attributes (no_mangle, link_section, export_name, used), foreign functions or inline assembly; evaluate code from strings or load modules by computed names (eval, Function, require, import() of a non-literal); reach other files through the bundler (import.meta, `?raw`/`?url` imports, test files); import, patch or imitate the test framework (no test-framework imports or globals, no changes to globals or built-in prototypes, no computed property access on globalThis/window, no always-equal objects, no printed test-result text); embed files at compile time. Submissions that do are failed as tampering.';

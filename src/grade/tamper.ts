import type { FileMap } from '../tasks/files.js';
import { RUST_RULES } from './scan/rust-rules.js';

/**
 * Code a submission has no business containing: ways to escape grading (exit the test process, spawn
 * processes, read secrets or files, patch the test framework, forge results). The sandbox contains what
 * it can; this scan catches the in-process tricks a sandbox cannot see (a test process that forges its
 * own results). The output contract tells models these are forbidden; a task may `allow` a rule it
 * needs (the `wc` clone reads files and sets its exit code).
 */
export interface TamperRule {
  id: string;
  pattern: RegExp;
  message: string;
}

const COMMON: TamperRule[] = [
  { id: 'proc-fs', pattern: /\/proc\//, message: 'reads /proc (process memory, environments, descriptors)' },
  {
    id: 'forged-results',
    pattern:
      /test result: ok|\.\.\. ok\\n|\btest\s+\{[^}]*\}\s+\.\.\.|numPassedTests|"numFailedTests"|assertionResults|'assertion'\s*\+/,
    message: 'contains test-runner result text',
  },
];

export const TAMPER_RULES: Record<'node' | 'rust', TamperRule[]> = {
  node: [
    ...COMMON,
    {
      id: 'test-framework',
      pattern:
        /(?:from\s+|require\(\s*|import\(\s*)['"](?:vitest(?:\/[^'"]*)?|@vitest\/[^'"]*|chai|@testing-library\/[^'"]*)['"]/,
      message: 'imports the test framework',
    },
    {
      // A component has no use for globalThis or computed access to window/global/self/process: that is how
      // test globals get replaced (`globalThis.expect = …`, `g[['ex','pect'].join('')] = …`).
      id: 'test-globals',
      pattern:
        /\bglobalThis\b|\b(?:window|global|self|process)\s*\[|\b(?:global|self)\s*\.\s*(?:expect|describe|it|test|vi|chai)\b|\b__vitest_\w+/,
      message: 'touches globalThis or the test framework globals',
    },
    {
      id: 'inspector',
      pattern:
        /\binspector\b|insp'\s*\+|\bgetBuiltinModule\b|\bconnectToMainThread\b|\bSIGUSR1\b|\b_debugProcess\b/,
      message: 'reaches for the debugger or Node internals',
    },
    {
      id: 'asymmetric-match',
      pattern: /\basymmetricMatch\b/,
      message: 'defines an always-equal matcher (asymmetricMatch)',
    },
    {
      id: 'process-control',
      pattern:
        /\bprocess\s*\.\s*(?:exit|kill|abort|reallyExit|binding|_linkedBinding|dlopen|stdout|stderr)\b/,
      message: 'controls the test process',
    },
    {
      id: 'node-builtins',
      pattern:
        /['"](?:node:)?(?:child_process|fs|fs\/promises|net|http|https|http2|dgram|worker_threads|cluster|vm|v8|inspector|module|os)['"]/,
      message: 'imports a Node.js system module',
    },
    {
      id: 'env-access',
      pattern: /\bprocess\s*\.\s*env\b(?!\s*\.\s*NODE_ENV\b)/,
      message: 'reads environment variables',
    },
    {
      id: 'prototype-tamper',
      pattern:
        /\b(?:Object|Array|Function|Promise|String|Number|Element|Node|HTMLElement)\.prototype\.\w+\s*=(?!=)|Object\.(?:defineProperty|setPrototypeOf)\s*\(\s*(?:globalThis|window|Object\.prototype|Array\.prototype)/,
      message: 'patches built-in prototypes or globals',
    },
  ],
  // Rust is judged on what rustc resolved, not on spelling: see scan/rust-rules.ts (run by the rust
  // toolchain, inside the sandbox). No regex pre-scan: it could only add false fails on comments.
  rust: [],
};

export interface TamperHit {
  rule: string;
  message: string;
  file: string;
  line: number;
  excerpt: string;
}

/** Every rule id a task of this toolchain may `allow` (plus `*`). */
export function tamperRuleIds(toolchain: 'node' | 'rust'): string[] {
  return toolchain === 'rust' ? RUST_RULES.map((r) => r.id) : TAMPER_RULES.node.map((r) => r.id);
}

/** Pure: every rule the files break that the task does not allow (`*` allows all). */
export function scanForTampering(files: FileMap, toolchain: 'node' | 'rust', allow: string[]): TamperHit[] {
  if (allow.includes('*')) return [];
  const hits: TamperHit[] = [];
  for (const rule of TAMPER_RULES[toolchain]) {
    if (allow.includes(rule.id)) continue;
    for (const [file, content] of files) {
      const m = rule.pattern.exec(content);
      if (!m) continue;
      const line = content.slice(0, m.index).split('\n').length;
      hits.push({
        rule: rule.id,
        message: rule.message,
        file,
        line,
        excerpt: (content.split('\n')[line - 1] ?? '').trim().slice(0, 160),
      });
      break;
    }
  }
  return hits;
}

/** The contract sentence the system prompt carries, so no model is failed for a rule it was not told. */
export const TAMPER_CONTRACT =
  'Your code must not: exit, kill or spawn processes; read environment variables, /proc or files (unless the task is about files); use the network (unless the task is about it); write to the raw stdout/stderr handles or file descriptors (printing through print!/println!/console is fine); use linker attributes (no_mangle, link_section, export_name, used), foreign functions or inline assembly; import, patch or imitate the test framework (no test-framework imports, no changes to globals or built-in prototypes, no always-equal objects, no printed test-result text); embed files at compile time. Submissions that do are failed as tampering.';

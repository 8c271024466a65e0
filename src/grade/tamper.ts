import type { FileMap } from '../tasks/files.js';
import { NODE_RULES } from './scan/ts-rules.js';

/**
 * Code a submission has no business containing: ways to escape grading (exit the test process, spawn
 * processes, read secrets or files, patch the test framework, forge results). The sandbox contains what
 * it can; this scan catches the in-process tricks a sandbox cannot see (a test process that forges its
 * own results). The output contract tells models these are forbidden; a task may `allow` a rule it
 * needs (the `wc` clone reads files and sets its exit code).
 */
export interface TamperRule {
  id: string;
  /** Rust rules: a regex over the source. Node rules have none: the TypeScript scan applies them. */
  pattern?: RegExp;
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
  // Node submissions are judged by the TypeScript scan (scan/ts-scan.ts), after name resolution.
  node: Object.entries(NODE_RULES).map(([id, message]) => ({ id, message })),
  rust: [
    ...COMMON,
    // Any statement naming std::process and exit/abort, so `use std::process::{exit as quit}` is caught too.
    { id: 'process-exit', pattern: /\bprocess\b[^;]*\b(?:exit|abort)\b/, message: 'exits the process' },
    {
      id: 'process-spawn',
      pattern: /\bprocess\s*::\s*Command\b|\bCommand\s*::\s*new\b/,
      message: 'spawns processes',
    },
    {
      id: 'env-access',
      pattern: /\benv\s*::\s*(?:var|var_os|vars|vars_os|set_var|remove_var)\b/,
      message: 'reads or changes environment variables',
    },
    {
      id: 'fs-access',
      pattern:
        /\bstd\s*::\s*fs\b|\bfs\s*::\s*(?:read|write|File|OpenOptions|remove_file|remove_dir|create_dir|copy|rename)/,
      message: 'uses the file system',
    },
    {
      id: 'network',
      pattern: /\bstd\s*::\s*net\b|\b(?:TcpStream|TcpListener|UdpSocket)\b/,
      message: 'uses the network',
    },
    {
      id: 'compile-time-include',
      pattern: /\binclude(?:_str|_bytes)?\s*!\s*\(/,
      message: 'embeds files at compile time',
    },
    {
      id: 'linker-tricks',
      pattern: /#\s*!?\s*\[\s*(?:link_section|no_mangle|export_name|link|used)\b|\bextern\s+"C"/,
      message: 'uses linker attributes or foreign functions',
    },
    {
      id: 'raw-output',
      pattern: /\bio\b[^;]*\b(?:stdout|stderr)\b|\blibc\b/,
      message: 'writes to the raw output streams',
    },
  ],
};

export interface TamperHit {
  rule: string;
  message: string;
  file: string;
  line: number;
  excerpt: string;
}

/**
 * Pure: every rule the files break that the task does not allow (`*` allows all). Rust only: node
 * files are judged by the TypeScript scan (`scanSubmission` in scan/index.ts, which loads it lazily).
 */
export function scanForTampering(files: FileMap, toolchain: 'node' | 'rust', allow: string[]): TamperHit[] {
  if (allow.includes('*')) return [];
  if (toolchain === 'node')
    throw new Error('node submissions are scanned by scanSubmission (src/grade/scan/index.ts)');
  const hits: TamperHit[] = [];
  for (const rule of TAMPER_RULES[toolchain]) {
    if (allow.includes(rule.id) || !rule.pattern) continue;
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
  'Your code must not: exit, kill or spawn processes; read environment variables, /proc or files (unless the task is about files); use the network (unless the task is about it); evaluate code from strings or load modules by computed names (eval, Function, require, import() of a non-literal); reach other files through the bundler (import.meta, `?raw`/`?url` imports, test files); import, patch or imitate the test framework (no test-framework imports or globals, no changes to globals or built-in prototypes, no computed property access on globalThis/window, no always-equal objects, no printed test-result text); embed files at compile time. Submissions that do are failed as tampering.';

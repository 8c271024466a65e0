import type { TamperHit } from '../tamper.js';

/**
 * The Python tamper rules (ids the task allow-lists use) and what each tells the model. The judging
 * itself is the scanner's (py-scanner.ts): names resolved through the compiler's scopes to the real
 * standard-library objects they bind. `unscannable` is the scan's own limit (a file Python's parser
 * cannot analyse), not a capability: it has no allow-list probe.
 */
export const PY_RULES: Record<string, string> = {
  'process-exit': 'exits or signals the process (sys.exit, os._exit, os.kill, SystemExit, exit())',
  'process-spawn': 'spawns processes (subprocess, os.system, asyncio subprocesses, process pools)',
  'env-access': 'reads or changes environment variables (os.environ, os.getenv)',
  'fs-access': 'uses the file system (open, os file functions, pathlib, shutil)',
  network: 'uses the network (socket, http, asyncio connections)',
  atexit: 'registers exit handlers (atexit)',
  monkeypatch:
    'patches builtins or the standard library (builtins, __builtins__, assigning to library objects)',
  'dynamic-code':
    'evaluates code or looks names up at run time (exec, eval, compile, __import__, globals, computed getattr, a module used as a value)',
  introspection:
    'walks frames or interpreter internals (inspect, gc, traceback, frames, __globals__, private module attributes)',
  'module-table': 'reads or changes the import machinery (sys.modules, sys.path, sys.meta_path)',
  'native-code': 'loads native code (ctypes, mmap)',
  'test-framework': 'imports or imitates the test framework (pytest, unittest, conftest.py, test files)',
  'unlisted-module': 'imports a module outside the allowed standard library',
  unscannable: 'cannot be analysed (nested too deeply)',
};

/** One line the scanner printed: a file that does not compile, or a finding. */
export type ScannerLine =
  | { kind: 'syntax'; file: string; line: number; message: string }
  | { kind: 'hit'; rule: string; file: string; line: number; detail: string; excerpt?: string };

export interface PyScanReport {
  syntaxErrors: { file: string; line: number; message: string }[];
  hits: TamperHit[];
}

/**
 * Pure: the scanner's JSON lines as syntax errors and tamper hits, minus the rules the task allows.
 * Null when the output is not the scanner's (it crashed, or something else printed): the caller
 * treats that as a failed scan, never as a clean one.
 */
export function parseScannerOutput(stdout: string, allow: string[]): PyScanReport | null {
  const report: PyScanReport = { syntaxErrors: [], hits: [] };
  for (const raw of stdout.split('\n')) {
    if (!raw.trim()) continue;
    let line: ScannerLine;
    try {
      line = JSON.parse(raw) as ScannerLine;
    } catch {
      return null;
    }
    if (line.kind === 'syntax')
      report.syntaxErrors.push({ file: line.file, line: line.line, message: line.message });
    else if (line.kind === 'hit' && line.rule in PY_RULES) {
      if (allow.includes(line.rule) && line.rule !== 'unscannable') continue;
      report.hits.push({
        rule: line.rule,
        message: `${PY_RULES[line.rule]}: ${line.detail}`,
        file: line.file,
        line: line.line,
        excerpt: line.excerpt ?? '',
      });
    } else return null;
  }
  return report;
}

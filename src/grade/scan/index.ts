import type { FileMap } from '../../tasks/files.js';
import type { Task } from '../../tasks/loader.js';
import type { TamperHit } from '../tamper.js';

/**
 * The tamper scan of a submission that can run before any toolchain step. Node files go to the TypeScript scan,
 * loaded on first use: the typescript package is large, and commands that grade no node task (report,
 * compare, a Rust-only run) never load it.
 */
export async function scanSubmission(task: Task, files: FileMap): Promise<TamperHit[]> {
  // Rust, Go and Python need their compilers' or interpreter's own analysis, so their scans run inside
  // the toolchain, in the sandbox (rust-scan.ts, go-scan.ts, py-scanner.ts).
  if (task.suite.toolchain !== 'node') return [];
  // Everything allowed (the hostile suite's open tasks): not even worth loading the parser.
  if (task.allow.includes('*')) return [];
  const { nodeModulePolicy, scanNodeSubmission } = await import('./ts-scan.js');
  return scanNodeSubmission(files, task.allow, nodeModulePolicy(task));
}

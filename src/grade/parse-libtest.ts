import type { TestFailure } from './types.js';

export interface LibtestSummary {
  passed: number;
  failed: number;
  skipped: number;
  failures: TestFailure[];
  /** Names reported more than once: forged or corrupted output, never counted as passes. */
  duplicates: string[];
}

const RESULT_LINE = /^test (.+?) \.\.\. (ok|FAILED|ignored(?:, .*)?)$/;
const FAILURE_HEADER = /^---- (.+?) stdout ----$/;

/**
 * Parses `cargo test` output (libtest's pretty format) from every test target. Counts come from the
 * per-test lines, not the summary line; a name seen twice is treated as a failure.
 */
export function parseLibtest(stdout: string): LibtestSummary {
  const status = new Map<string, string>();
  const duplicates = new Set<string>();
  const messages = new Map<string, string[]>();
  let current: string | null = null;
  for (const line of stdout.split('\n')) {
    const result = RESULT_LINE.exec(line);
    if (result) {
      const [, name, state] = result as unknown as [string, string, string];
      if (status.has(name)) duplicates.add(name);
      status.set(name, state.startsWith('ignored') ? 'ignored' : state);
      current = null;
      continue;
    }
    const header = FAILURE_HEADER.exec(line);
    if (header) {
      current = header[1]!;
      messages.set(current, []);
      continue;
    }
    if (current !== null) {
      if (/^(failures:|test result:)/.test(line)) current = null;
      else messages.get(current)!.push(line);
    }
  }
  const summary: LibtestSummary = {
    passed: 0,
    failed: 0,
    skipped: 0,
    failures: [],
    duplicates: [...duplicates],
  };
  for (const [name, state] of status) {
    if (duplicates.has(name)) {
      summary.failed++;
      summary.failures.push({ name, message: 'reported more than once (output tampering?)' });
    } else if (state === 'ok') summary.passed++;
    else if (state === 'ignored') summary.skipped++;
    else {
      summary.failed++;
      summary.failures.push({ name, message: (messages.get(name) ?? []).join('\n').trim() });
    }
  }
  return summary;
}

import type { TestFailure } from './types.js';

export interface VitestSummary {
  passed: number;
  failed: number;
  skipped: number;
  failures: TestFailure[];
  /** Test files that failed to load or crashed outside any test (import errors, syntax errors). */
  fileErrors: string[];
}

interface AssertionResult {
  fullName?: string;
  title?: string;
  ancestorTitles?: string[];
  status?: string;
  failureMessages?: string[];
}

/** Parses vitest's JSON reporter output; null when it is missing or not a vitest report. */
export function parseVitestReport(json: string | null): VitestSummary | null {
  if (!json) return null;
  let report: {
    testResults?: {
      name?: string;
      message?: string;
      status?: string;
      assertionResults?: AssertionResult[];
    }[];
  };
  try {
    report = JSON.parse(json);
  } catch {
    return null;
  }
  if (!report || !Array.isArray(report.testResults)) return null;
  const summary: VitestSummary = { passed: 0, failed: 0, skipped: 0, failures: [], fileErrors: [] };
  for (const file of report.testResults) {
    const tests = Array.isArray(file.assertionResults) ? file.assertionResults : [];
    if (file.status === 'failed' && file.message && !tests.some((t) => t.status === 'failed')) {
      summary.fileErrors.push(file.message);
    }
    for (const t of tests) {
      const name = t.fullName || [...(t.ancestorTitles ?? []), t.title ?? ''].join(' > ');
      if (t.status === 'passed') summary.passed++;
      else if (t.status === 'failed') {
        summary.failed++;
        summary.failures.push({ name, message: (t.failureMessages ?? []).join('\n') });
      } else summary.skipped++;
    }
  }
  return summary;
}

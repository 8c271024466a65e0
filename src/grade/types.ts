import type { FailureClass, Outcome } from '../results/schema.js';

export type StepStatus = 'ok' | 'failed' | 'timeout' | 'unavailable' | 'skipped';

export interface StepRecord {
  name: string;
  ok: boolean;
  status: StepStatus;
  durationMs: number;
  exitCode: number | null;
}

export interface TestCounts {
  expected: number;
  passed: number;
  failed: number;
  skipped: number;
}

export interface TestFailure {
  name: string;
  message: string;
}

/** What a toolchain (plus checks) observed for one workspace; the verdict is decided from this alone. */
export interface Observation {
  steps: StepRecord[];
  /** The step that failed first and the class its failure means (infra: the host could not run it). */
  failedStep: { name: string; class: Exclude<FailureClass, 'malformed'> } | null;
  tests: TestCounts | null;
  failures: TestFailure[];
  /** Compiler / typecheck / check output for the feedback (already cleaned of hidden-test source). */
  diagnostics: string;
  /** Evidence of gaming the grader found while grading (the Rust tamper scan's hits). */
  suspect?: string[];
}

/** A problem of the harness, not of the model, met while grading an attempt (recorded with it). */
export interface HarnessFault {
  /** `harness`: the grading could not complete (the attempt is `infra`); `workspace-cleanup`: a warning only. */
  cause: 'harness' | 'workspace-cleanup';
  message: string;
}

export interface GradeResult {
  outcome: Outcome;
  files: string[];
  rejected: { path: string; reason: string }[];
  steps: StepRecord[];
  tests: TestCounts | null;
  failingTests: string[];
  /** For a failed attempt: what the model is told. Null on a pass. */
  feedback: string | null;
  gradeMs: number;
  /** Evidence that the submission games the grader (tamper-scan hits, test special-casing). */
  suspect: string[];
  harnessFaults: HarnessFault[];
}

/** The grading fields of an attempt nothing was graded for (an API fault, a refused budget, a harness error). */
export function ungraded(): Pick<
  GradeResult,
  'files' | 'rejected' | 'steps' | 'tests' | 'failingTests' | 'feedback' | 'suspect'
> {
  return { files: [], rejected: [], steps: [], tests: null, failingTests: [], feedback: null, suspect: [] };
}

/**
 * Exit codes are part of the CLI's contract: scripts and the action branch on them.
 * Each bad-input error carries one line that says what to change.
 */
export const ExitCode = {
  ok: 0,
  /** An unexpected fault of the harness itself. */
  internal: 1,
  /** Bad input: flags, config file, task files, missing API key. Nothing was spent. */
  usage: 2,
  /** `validate`: a reference failed or a mutant passed. */
  validateFailed: 3,
  /** `run --max-cost`: the budget was reached; the report is complete but partial. */
  budgetExhausted: 4,
  /** Infrastructure errors (API faults) dominate the run: its pass rate would mislead. */
  infraDominated: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A user-fixable problem: printed as one line, exits with `code`. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly code: ExitCode = ExitCode.usage,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Formats any thrown value as one line (first line of the message). */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]?.trim() || 'unknown error';
}

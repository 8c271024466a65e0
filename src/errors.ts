import { distance } from 'fastest-levenshtein';

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
  /** A selected suite's toolchain is missing on this machine (e.g. no Python with pytest). Nothing was spent. */
  toolchainMissing: 7,
  /** Ctrl-C or SIGTERM: the run stopped cleanly and can be continued with --resume (128 + SIGINT). */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * ` (did you mean "x"?)` naming the candidate closest to a mistyped name (edit distance, case-blind),
 * or '' when none is close enough to be a likely typo.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const needle = input.toLowerCase();
  let best: { name: string; d: number } | null = null;
  for (const name of new Set(candidates)) {
    const d = distance(needle, name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  if (!best || best.d === 0) return '';
  return best.d <= Math.max(2, Math.floor(needle.length / 3)) ? ` (did you mean "${best.name}"?)` : '';
}

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

import type { Outcome } from '../results/schema.js';
import type { Observation } from './types.js';

/**
 * Pass iff every step succeeded AND the parsed results show exactly the expected number of tests
 * passed, none failed, none skipped. Exit codes alone never decide: a test process that exits 0 having
 * run fewer tests than expected fails.
 */
export function decideOutcome(obs: Observation): Exclude<Outcome, 'malformed'> {
  if (obs.failedStep) return obs.failedStep.class;
  const t = obs.tests;
  if (!t) return 'test';
  if (t.failed > 0 || t.skipped > 0 || t.passed !== t.expected) return 'test';
  return 'pass';
}

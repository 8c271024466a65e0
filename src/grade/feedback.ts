import type { Outcome } from '../results/schema.js';
import type { Observation } from './types.js';
import { redactSecrets } from './redact.js';

export const DEFAULT_FEEDBACK_CHARS = 4000;

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07/g;

/**
 * Cleans tool output for the model: no ANSI, no absolute paths (the workspace becomes `.`, shared
 * dependency folders `<deps>`), no timings (they differ run to run and say nothing about the code),
 * no stack frames (they point into test files).
 */
export function sanitize(text: string, roots: string[]): string {
  let out = text.replace(ANSI, '');
  for (const root of [...roots].sort((a, b) => b.length - a.length)) {
    if (!root) continue;
    out = out.split(`file://${root}/`).join('').split(`${root}/`).join('').split(root).join('.');
  }
  return out
    .replace(/(?:\/[\w.@+-]+)+\/node_modules\/\S*/g, '<deps>')
    .replace(/^\s+at .*$/gm, '')
    .replace(/\b(?:finished in|Duration|Time:?)\s+[\d.]+\s*m?s\b/gi, '')
    .replace(/\s*\(\d+(?:\.\d+)?\s*m?s\)/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Keeps the head and the tail within `max` characters, saying what was cut. */
export function bound(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = `\n[… ${text.length - max} characters omitted …]\n`;
  const keep = Math.max(0, max - marker.length);
  const head = Math.ceil(keep * 0.6);
  return text.slice(0, head) + marker + text.slice(text.length - (keep - head));
}

const CLASS_HEADLINE: Record<Exclude<Outcome, 'pass' | 'infra'>, string> = {
  malformed: 'no usable file in your reply',
  build: 'the code does not build / typecheck',
  test: 'hidden tests failed',
  timeout: 'a step ran past its time limit',
  check: 'a task check failed',
};

/**
 * The message for the next attempt: class, then diagnostics or failing test names with their messages.
 * Lines quoting the hidden tests (`secrets`, see {@link secretLines}) never reach it.
 */
export function composeFeedback(
  outcome: Exclude<Outcome, 'pass' | 'infra'>,
  obs: Pick<Observation, 'failedStep' | 'tests' | 'failures' | 'diagnostics'>,
  rejected: { path: string; reason: string }[],
  roots: string[],
  maxChars: number,
  secrets: string[] = [],
): string {
  const parts: string[] = [`Result: FAILED (${outcome}): ${CLASS_HEADLINE[outcome]}.`];
  if (rejected.length) {
    parts.push(`Ignored files:\n${rejected.map((r) => `- ${r.path}: ${r.reason}`).join('\n')}`);
  }
  if (obs.failedStep) parts.push(`Failed step: ${obs.failedStep.name}.`);
  if (obs.tests) {
    const t = obs.tests;
    parts.push(
      `Tests: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped; ${t.expected} must pass.`,
    );
  }
  if (obs.failures.length) {
    parts.push(
      obs.failures
        .map(
          (f) =>
            `✗ ${f.name}\n${sanitize(f.message, roots)
              .split('\n')
              .map((l) => `    ${l}`)
              .join('\n')}`,
        )
        .join('\n'),
    );
  }
  if (obs.diagnostics.trim()) parts.push(sanitize(obs.diagnostics, roots));
  // Redacted before bounding, so the bound is spent on what the model may see.
  return bound(redactSecrets(parts.join('\n\n'), secrets), maxChars);
}

export const MALFORMED_HINT =
  'Reply with each file in a fenced code block whose info string carries the path, e.g.\n```tsx src/Component.tsx\n…whole file…\n```';

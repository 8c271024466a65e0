import type { FileMap } from '../tasks/files.js';

/**
 * The last line of defence for hidden tests: any line of grader output that carries a whole line of a
 * hidden file is replaced before it becomes feedback (and so the next prompt). The scans and the sandbox
 * stop a submission from reading hidden files; this catches what still slips through — a compiler or
 * test-runner code frame quoting a hidden line, or a submission that found a way to print one.
 *
 * Only lines of some substance count (`});` or `}` would redact everything), and lines the model can
 * already see — in the starter or in its own files — are never secret.
 */
export const REDACTED = '[a line of the hidden tests was removed]';

/** Hidden lines shorter than this (after whitespace is collapsed) are too common to be evidence. */
const MIN_SECRET_CHARS = 20;

function normalize(line: string): string {
  return line.replace(/\s+/g, ' ').trim();
}

/** Pure: the secret lines of `hidden`, minus any line that also appears in a `public` tree. */
export function secretLines(hidden: FileMap, ...publicTrees: FileMap[]): string[] {
  const known = new Set<string>();
  for (const tree of publicTrees) {
    for (const content of tree.values()) for (const l of content.split('\n')) known.add(normalize(l));
  }
  const secrets = new Set<string>();
  for (const content of hidden.values()) {
    for (const l of content.split('\n')) {
      const n = normalize(l);
      if (n.length >= MIN_SECRET_CHARS && !known.has(n)) secrets.add(n);
    }
  }
  // Longest first, so one pass over a text line finds the most specific secret.
  return [...secrets].sort((a, b) => b.length - a.length);
}

/**
 * Pure: `text` with every line that contains a secret line replaced by {@link REDACTED}. Work is
 * bounded by text lines × secret lines with a substring search each; both are capped by the callers
 * (feedback is bounded, hidden suites are small).
 */
export function redactSecrets(text: string, secrets: string[]): string {
  if (!secrets.length || !text) return text;
  let redacted = false;
  const lines = text.split('\n').map((line) => {
    const n = normalize(line);
    if (n.length < MIN_SECRET_CHARS) return line;
    if (!secrets.some((s) => n.includes(s))) return line;
    redacted = true;
    return line.replace(/\S.*$/, REDACTED);
  });
  if (!redacted) return text;
  // Collapse runs of redacted lines: how much was removed is itself a hint about the hidden source.
  return lines.filter((l, i) => !(l.trim() === REDACTED && lines[i - 1]?.trim() === REDACTED)).join('\n');
}

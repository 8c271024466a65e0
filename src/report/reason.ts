/** The longest reason a PR comment shows for one failed task. */
export const REASON_CHARS = 300;

/**
 * Why an attempt failed, in one bounded line, from the grader's feedback (already stripped of paths,
 * timings and hidden test source): the failure class, then the first failing test's name and its
 * assertion message, or the first compiler error, or the first detail line.
 */
export function failureReason(feedback: string, max = REASON_CHARS): string {
  const lines = feedback.split('\n');
  const head = /^Result: FAILED \((\w+)\): (.*?)\.?$/.exec(lines[0] ?? '');
  const cls = head ? `${head[1]}: ${head[2]}` : (lines[0] ?? '').trim();
  const failing = lines.findIndex((l) => l.startsWith('✗ '));
  let detail: string;
  if (failing >= 0) {
    const body = lines
      .slice(failing + 1)
      .filter((l) => /^\s{4}\S/.test(l))
      .map((l) => l.trim());
    // A Rust panic says where on one line ("… panicked at tests/x.rs:16:5:") and what on the next.
    const message = body[0]?.endsWith(':') && body[1] ? `${body[0]} ${body[1]}` : body[0];
    detail = `${lines[failing]!.slice(2).trim()}${message ? ` — ${message}` : ''}`;
  } else {
    const error = lines.find((l) => /\berror(\[E\d+\]|\s+TS\d+)?:/i.test(l));
    detail =
      error?.trim() ??
      lines
        .slice(1)
        .map((l) => l.trim())
        .find((l) => l && !/^(Tests|Failed step|Ignored files):?/.test(l)) ??
      '';
  }
  const text = (detail ? `${cls} · ${detail}` : cls).replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

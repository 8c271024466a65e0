/**
 * Linear-time text helpers for the Rust scan: blanking literals and comments out of Rust-like text
 * (sources, rustc's HIR and MIR printouts) so that what a string or a comment says never triggers a
 * rule, and reading rustc's dep-info files.
 */

const IDENT = /[\p{L}\p{N}_]/u;

function isIdentChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  // ASCII fast path; the Unicode class only for the rest.
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  return IDENT.test(ch);
}

/** Newlines inside `text`, so blanked spans keep every later line at its number. */
function newlinesOf(s: string, from: number, to: number): string {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) n++;
  return n ? '\n'.repeat(n) : '';
}

/** End index (exclusive) of a `"…"` string starting at `start` (the opening quote), with `\` escapes. */
function endOfQuoted(s: string, start: number): number {
  let i = start + 1;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else i++;
  }
  return s.length;
}

/** End index of a raw string `r#…#"…"#…#` whose `r` is at `start`, or -1 when it is not one. */
function endOfRaw(s: string, start: number): number {
  let i = start + 1;
  let hashes = 0;
  while (s[i] === '#') {
    hashes++;
    i++;
  }
  if (s[i] !== '"') return -1;
  const close = `"${'#'.repeat(hashes)}`;
  const end = s.indexOf(close, i + 1);
  return end < 0 ? s.length : end + close.length;
}

/** End index of a block comment at `start` (`/*`), nested as Rust nests them. */
function endOfBlockComment(s: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < s.length) {
    if (s[i] === '/' && s[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (s[i] === '*' && s[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return s.length;
}

/** End index of a char literal at `start` (`'`), or -1 when the quote starts a lifetime or label. */
function endOfChar(s: string, start: number): number {
  if (s[start + 1] === '\\') {
    // Bounded look-ahead (the longest escape is `\u{10FFFF}`): an unclosed quote costs O(1), not O(n).
    const close = s.slice(start + 3, start + 13).indexOf("'");
    return close < 0 ? -1 : start + 3 + close + 1;
  }
  const cp = s.codePointAt(start + 1);
  if (cp === undefined || s[start + 1] === '\n') return -1;
  const width = cp > 0xffff ? 2 : 1;
  return s[start + 1 + width] === "'" ? start + 2 + width : -1;
}

/**
 * Replaces every string, byte string, C string, raw string and char literal with an empty one (`""`,
 * `''`) and every comment (line, block, doc) with nothing, keeping line breaks so line numbers hold.
 * One pass, linear in the text's length.
 */
export function blankLiterals(s: string): string {
  const out: string[] = [];
  let i = 0;
  let copyFrom = 0;
  const emit = (from: number, to: number, replacement: string): void => {
    out.push(s.slice(copyFrom, from), replacement, newlinesOf(s, from, to));
    copyFrom = to;
    i = to;
  };
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '/' && s[i + 1] === '/') {
      const nl = s.indexOf('\n', i);
      emit(i, nl < 0 ? s.length : nl, '');
    } else if (ch === '/' && s[i + 1] === '*') {
      emit(i, endOfBlockComment(s, i), ' ');
    } else if (ch === '"') {
      emit(i, endOfQuoted(s, i), '""');
    } else if ((ch === 'r' || ch === 'b' || ch === 'c') && !(i > 0 && isIdentChar(s[i - 1]))) {
      // Prefixed literals: b"…", c"…", b'…', r"…", r#"…"#, br#"…"#, cr"…".
      let j = i;
      if ((ch === 'b' || ch === 'c') && s[i + 1] === 'r') j = i + 1;
      if (s[j] === 'r' && (s[j + 1] === '"' || s[j + 1] === '#')) {
        const end = endOfRaw(s, j);
        if (end > 0) {
          emit(i, end, '""');
          continue;
        }
      }
      if (ch !== 'r' && s[i + 1] === '"') emit(i, endOfQuoted(s, i + 1), '""');
      else if (ch === 'b' && s[i + 1] === "'" && endOfChar(s, i + 1) > 0) emit(i, endOfChar(s, i + 1), "''");
      else i++;
    } else if (ch === "'") {
      const end = endOfChar(s, i);
      if (end > 0) emit(i, end, "''");
      else i++;
    } else i++;
  }
  out.push(s.slice(copyFrom));
  return out.join('');
}

/**
 * The files a compilation read, from a rustc dep-info (`.d`) file: the phony `path:` lines rustc
 * writes once per dependency. Paths are as rustc saw them (relative to its working folder).
 */
export function depInfoFiles(depInfo: string): string[] {
  const files = new Set<string>();
  for (const raw of depInfo.split('\n')) {
    const line = raw.trimEnd();
    if (!line.endsWith(':') || line.startsWith('#')) continue;
    const body = line.slice(0, -1);
    // A phony rule has no unescaped space (a target line lists its prerequisites after `: `).
    if (/(?<!\\) /.test(body)) continue;
    files.add(body.replace(/\\(.)/g, '$1'));
  }
  return [...files];
}

/** Environment variables the compilation read (`env!`, `option_env!`), from dep-info's `# env-dep:` lines. */
export function depInfoEnv(depInfo: string): string[] {
  const names = new Set<string>();
  for (const m of depInfo.matchAll(/^# env-dep:([^=\n]+)/gm)) names.add(m[1]!);
  return [...names];
}

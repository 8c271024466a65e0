import type { FileMap } from './files.js';

/**
 * Names of the hidden tests a task declares, read from its `hidden/` sources: vitest `it('…')` /
 * `test('…')` titles in `tests/**\/*.test.{ts,tsx}`, `#[test] fn name` in Rust `tests/*.rs`,
 * `func TestName(t *testing.T)` in Go `*_test.go`, and pytest's `def test_…` in Python `tests/**\/test_*.py`.
 * Hidden tests are the task author's own code, not a submission: a lexical scan is enough to check
 * that a requirement map names tests that exist (validate then confirms, by grading, that a mutant
 * really fails them).
 */
export function hiddenTestNames(hidden: FileMap): string[] {
  const names: string[] = [];
  for (const [rel, source] of hidden) {
    if (/^tests\/.*\.test\.tsx?$/.test(rel)) names.push(...vitestTitles(source));
    else if (/^tests\/[^/]+\.rs$/.test(rel)) names.push(...rustTestFns(source));
    else if (/(?:^|\/)[^/]+_test\.go$/.test(rel)) names.push(...goTestFns(source));
    else if (/^tests\/(?:.*\/)?test_[^/]*\.py$/.test(rel)) names.push(...pytestFns(source));
  }
  return names;
}

/** Removes `//` and `/* *\/` comments outside string literals (quotes and template literals kept). */
function stripComments(source: string): string {
  return source.replace(/("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str) =>
    str ? m : ' ',
  );
}

function vitestTitles(source: string): string[] {
  const titles: string[] = [];
  const call = /(?<![\w.$])(?:it|test)(?:\.(?:only|concurrent|sequential|fails))?\(\s*(?:'((?:\\.|[^'\\])*)'|"((?:\\.|[^"\\])*)"|`((?:\\.|[^`\\$])*)`)/g;
  for (const m of stripComments(source).matchAll(call)) {
    const raw = m[1] ?? m[2] ?? m[3] ?? '';
    titles.push(raw.replace(/\\(.)/g, '$1'));
  }
  return titles;
}

function rustTestFns(source: string): string[] {
  const fns: string[] = [];
  // `#[test]`, possibly followed by more attributes (`#[should_panic(…)]`, `#[ignore]`), then the fn.
  const test = /#\[test\]\s*(?:#\[[^\]]*\]\s*)*(?:pub\s+)?fn\s+([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const m of stripComments(source).matchAll(test)) fns.push(m[1]!);
  return fns;
}

function goTestFns(source: string): string[] {
  // Top-level `func TestXxx(t *testing.T)`: what `go test` runs (TestMain is the harness's, not a test).
  const test = /^func\s+(Test(?![a-z])\w*)\s*\(\s*\w+\s+\*testing\.T\s*\)/gm;
  return [...stripComments(source).matchAll(test)].map((m) => m[1]!).filter((n) => n !== 'TestMain');
}

/** pytest's test functions: `def test_…` / `async def test_…` at any indentation (methods of Test classes too). */
function pytestFns(source: string): string[] {
  const fns: string[] = [];
  const withoutComments = source.replace(/("""[\s\S]*?"""|'''[\s\S]*?''')|#[^\n]*/g, (m, str) => (str ? str : ' '));
  for (const m of withoutComments.matchAll(/^[ \t]*(?:async[ \t]+)?def[ \t]+(test_\w*)[ \t]*\(/gm)) fns.push(m[1]!);
  return fns;
}

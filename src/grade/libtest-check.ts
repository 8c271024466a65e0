/**
 * Cross-checks one libtest binary's run against what the harness knows independently, so printed
 * output cannot forge a result: the names the binary lists (`--list`, run by the harness before any
 * submission code executes), the `#[test]` functions the hidden sources define, and libtest's own
 * `running N tests` header and `test result:` summary, which must agree with the per-test lines.
 */

export interface BinaryRun {
  /** The hidden test target (e.g. `merge`). */
  target: string;
  /** stdout of `<binary> --list`. */
  list: string;
  /** stdout of the real run. */
  stdout: string;
  exitCode: number | null;
}

const RESULT_LINE = /^test (.+?) \.\.\. (ok|FAILED|ignored(?:, .*)?)$/;
const SUMMARY =
  /^test result: (ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored; (\d+) measured; (\d+) filtered out;/;
const RUNNING = /^running (\d+) tests?$/;

/** Test names from libtest's `--list` output (`name: test` lines). */
export function listedTests(list: string): string[] {
  return list
    .split('\n')
    .map((l) => /^(.+): test$/.exec(l)?.[1])
    .filter((n): n is string => Boolean(n));
}

/**
 * Pure: every inconsistency in one binary's run (empty when its output is exactly what libtest prints
 * for its listed tests). Only the part before libtest's `failures:` section is read for result lines:
 * what follows is captured test output, which the code under test controls.
 */
export function libtestProblems(run: BinaryRun, hiddenFns: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const listed = listedTests(run.list);
  const unknownListed = listed.filter((n) => !hiddenFns.has(n.split('::').pop()!));
  if (!listed.length) problems.push(`${run.target}: the binary lists no tests`);
  if (unknownListed.length)
    problems.push(
      `${run.target}: lists tests the hidden sources do not define: ${unknownListed.slice(0, 5).join(', ')}`,
    );

  const lines = run.stdout.split('\n');
  const summaries = lines.map((l) => SUMMARY.exec(l)).filter((m): m is RegExpExecArray => Boolean(m));
  const running = lines.map((l) => RUNNING.exec(l)).filter((m): m is RegExpExecArray => Boolean(m));
  if (summaries.length !== 1) {
    problems.push(
      summaries.length
        ? `${run.target}: ${summaries.length} "test result:" lines where libtest prints one`
        : `${run.target}: the test binary ended without libtest's summary line (exit code ${run.exitCode}) — did the code exit, abort or crash the process?`,
    );
    return problems;
  }
  if (running.length !== 1 || Number(running[0]![1]) !== listed.length)
    problems.push(
      `${run.target}: libtest's "running N tests" header does not match the ${listed.length} listed tests`,
    );

  const end = lines.findIndex((l) => l === 'failures:' || SUMMARY.test(l));
  const status = new Map<string, string>();
  const duplicates = new Set<string>();
  for (const line of lines.slice(0, end < 0 ? lines.length : end)) {
    const m = RESULT_LINE.exec(line);
    if (!m) continue;
    // `#[should_panic]` tests are reported as `test NAME - should panic ... ok`; `--list` says NAME.
    const name = m[1]!.replace(/ - should panic$/, '');
    if (status.has(name)) duplicates.add(name);
    status.set(name, m[2]!.startsWith('ignored') ? 'ignored' : m[2]!);
  }
  if (duplicates.size)
    problems.push(`${run.target}: tests reported more than once: ${[...duplicates].slice(0, 5).join(', ')}`);
  const listedSet = new Set(listed);
  const unknown = [...status.keys()].filter((n) => !listedSet.has(n));
  const missing = listed.filter((n) => !status.has(n));
  if (unknown.length)
    problems.push(
      `${run.target}: results for tests the binary does not have: ${unknown.slice(0, 5).join(', ')}`,
    );
  if (missing.length) problems.push(`${run.target}: no result for: ${missing.slice(0, 5).join(', ')}`);

  const [, verdict, passed, failed, ignored, measured, filtered] = summaries[0]!;
  const count = (s: string) => [...status.values()].filter((v) => v === s).length;
  if (
    Number(passed) !== count('ok') ||
    Number(failed) !== count('FAILED') ||
    Number(ignored) !== count('ignored') ||
    Number(measured) !== 0 ||
    Number(filtered) !== 0
  )
    problems.push(
      `${run.target}: libtest's summary (${passed} passed, ${failed} failed, ${ignored} ignored) disagrees with its per-test lines`,
    );
  if ((verdict === 'ok') !== (Number(failed) === 0) || (verdict === 'ok') !== (run.exitCode === 0))
    problems.push(
      `${run.target}: libtest's summary says ${verdict} but the binary exited with ${run.exitCode}`,
    );
  return problems;
}

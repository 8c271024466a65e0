import type { TestFailure } from './types.js';

/** One `test2json` event (`go test -json` prints the same). */
interface TestEvent {
  Action?: string;
  Test?: string;
  Output?: string;
}

export interface GoTestSummary {
  passed: number;
  failed: number;
  skipped: number;
  failures: TestFailure[];
  /** Reasons the event stream is not one complete run of exactly the hidden tests. */
  problems: string[];
  /** Output outside any test (a panic that killed the binary, a build line), for the feedback. */
  packageOutput: string;
  /** Whether test2json ended the run with a package-level pass. */
  packagePassed: boolean;
}

const TERMINAL = new Set(['pass', 'fail', 'skip']);
/** Lines the testing package itself prints around a test: framing, not the test's own message. */
const FRAMING = /^\s*(?:=== (?:RUN|PAUSE|CONT|NAME)\b|--- (?:PASS|FAIL|SKIP):)/;
const MESSAGE_CHARS = 1500;

/**
 * Counts the hidden tests' results from test2json events, never from console text. Only top-level tests
 * count (a subtest's failure fails its parent); every hidden test must end exactly once, and no other
 * test may appear: printed lines that imitate the testing package (Go before 1.20 parses them) show up
 * as a second result or an unknown name, and the run is refused.
 */
export function parseGoTestEvents(stream: string, hiddenTests: Set<string>): GoTestSummary {
  const results = new Map<string, string[]>();
  const output = new Map<string, string[]>();
  const packageLines: string[] = [];
  let packageAction: string | null = null;
  let malformed = 0;
  for (const line of stream.split('\n')) {
    if (!line.startsWith('{')) {
      if (line.trim()) malformed++;
      continue;
    }
    let e: TestEvent;
    try {
      e = JSON.parse(line) as TestEvent;
    } catch {
      malformed++;
      continue;
    }
    const top = e.Test?.split('/')[0];
    if (!top) {
      if (e.Action === 'output' && e.Output) packageLines.push(e.Output);
      else if (e.Action && TERMINAL.has(e.Action)) packageAction = e.Action;
      continue;
    }
    if (e.Action === 'output' && e.Output) {
      const lines = output.get(top) ?? [];
      lines.push(e.Output);
      output.set(top, lines);
    } else if (e.Action && TERMINAL.has(e.Action) && e.Test === top) {
      results.set(top, [...(results.get(top) ?? []), e.Action]);
    }
  }
  const summary: GoTestSummary = {
    passed: 0,
    failed: 0,
    skipped: 0,
    failures: [],
    problems: [],
    packageOutput: packageLines.join('').trim(),
    packagePassed: packageAction === 'pass',
  };
  for (const [name, actions] of results) {
    if (!hiddenTests.has(name))
      summary.problems.push(`a result for "${name}", which is not one of the hidden tests`);
    if (actions.length > 1)
      summary.problems.push(`"${name}" reported ${actions.length} results (${actions.join(', ')})`);
    const final = actions.includes('fail') ? 'fail' : actions[0];
    if (final === 'pass') summary.passed++;
    else if (final === 'skip') summary.skipped++;
    else {
      summary.failed++;
      const message = (output.get(name) ?? [])
        .filter((l) => !FRAMING.test(l))
        .join('')
        .trim();
      summary.failures.push({
        name,
        message: message.length > MESSAGE_CHARS ? `${message.slice(0, MESSAGE_CHARS)} …` : message,
      });
    }
  }
  const missing = [...hiddenTests].filter((t) => !results.has(t));
  if (missing.length)
    summary.problems.push(
      `no result for ${missing.length} hidden test(s): ${missing.slice(0, 5).join(', ')}`,
    );
  if (malformed) summary.problems.push(`${malformed} line(s) of the event stream are not test2json events`);
  return summary;
}

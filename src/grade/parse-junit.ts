import { XMLParser } from 'fast-xml-parser';
import type { TestFailure } from './types.js';

export interface JunitSummary {
  passed: number;
  failed: number;
  skipped: number;
  failures: TestFailure[];
  /** Every reported test, `file::name` as pytest ids it (parameters included). */
  names: string[];
  /** Each reported test case and how it ended, in report order. */
  cases: { id: string; status: 'passed' | 'failed' | 'skipped' }[];
  /** Ids reported more than once: a corrupted or forged report, never counted as passes. */
  duplicates: string[];
}

/** How long a failure message may be before it is cut (the feedback is bounded again later). */
const MESSAGE_CHARS = 1500;

type Node = Record<string, unknown>;

function asArray(v: unknown): Node[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'object' && x ? (x as Node) : {}));
}

function attr(node: Node, name: string): string {
  const v = node[`@_${name}`];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function text(node: Node): string {
  const t = node['#text'];
  return typeof t === 'string' ? t : '';
}

/** pytest's classname is the dotted module path (`tests.test_ini.TestX`); its test id uses the file. */
function testId(tc: Node): string {
  const name = attr(tc, 'name');
  const cls = attr(tc, 'classname');
  return cls ? `${cls}::${name}` : name;
}

/**
 * The failure text for feedback: pytest's own message (`AssertionError: assert 3 == 4`) and the last
 * lines of its report, which end with the assertion explanation. Hidden source lines in it are
 * redacted later, with the rest of the feedback (redact.ts).
 */
function failureMessage(el: Node): string {
  const message = attr(el, 'message');
  const body = text(el)
    .split('\n')
    .filter((l) => l.trim())
    .slice(-12)
    .join('\n');
  const joined = [message, body].filter(Boolean).join('\n');
  return joined.length > MESSAGE_CHARS ? `${joined.slice(0, MESSAGE_CHARS)}…` : joined;
}

/**
 * Pure: parses a pytest JUnit XML report (`--junitxml`, xunit2). Each `<testcase>` is one result: it
 * failed when it carries `<failure>` or `<error>` (setup/teardown errors and collection errors
 * included), was skipped when it carries `<skipped>`, and passed otherwise. Null when the text is not
 * a JUnit report at all (empty, truncated, not XML): the caller treats that as "no report".
 */
export function parseJunitReport(xml: string | null): JunitSummary | null {
  if (!xml?.trim()) return null;
  let doc: Node;
  try {
    doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseAttributeValue: false,
      parseTagValue: false,
      processEntities: true,
      isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
    }).parse(xml, true) as Node;
  } catch {
    return null;
  }
  const root = doc.testsuites as Node | undefined;
  const suites = root ? asArray(root.testsuite) : asArray(doc.testsuite);
  if (!suites.length) return null;
  const summary: JunitSummary = {
    passed: 0,
    failed: 0,
    skipped: 0,
    failures: [],
    names: [],
    cases: [],
    duplicates: [],
  };
  const seen = new Set<string>();
  for (const suite of suites) {
    for (const tc of asArray(suite.testcase)) {
      const id = testId(tc);
      if (seen.has(id)) summary.duplicates.push(id);
      seen.add(id);
      summary.names.push(id);
      const bad = [...asArray(tc.failure), ...asArray(tc.error)];
      summary.cases.push({
        id,
        status: bad.length ? 'failed' : asArray(tc.skipped).length ? 'skipped' : 'passed',
      });
      if (bad.length) {
        summary.failed++;
        summary.failures.push({ name: id, message: bad.map(failureMessage).join('\n') });
      } else if (asArray(tc.skipped).length) summary.skipped++;
      else summary.passed++;
    }
  }
  // A duplicated id is never a pass: count each duplicate occurrence as failed instead.
  for (const id of summary.duplicates) {
    summary.passed = Math.max(0, summary.passed - 1);
    summary.failed++;
    summary.failures.push({ name: id, message: 'reported more than once' });
  }
  return summary;
}

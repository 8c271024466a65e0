import { describe, expect, it } from 'vitest';
import { composeFeedback } from '../src/grade/feedback.js';
import { REDACTED, redactSecrets, secretLines } from '../src/grade/redact.js';

const hidden = new Map([
  [
    'tests/merge.rs',
    [
      'use merge_intervals::merge;',
      '#[test]',
      'fn touching_intervals_merge() {',
      '    let out = merge(&[(1, 3), (3, 5)]).expect("valid input");',
      '    assert_eq!(out, vec![(1, 5)], "intervals that touch at a point are merged");',
      '}',
    ].join('\n'),
  ],
]);
const starter = new Map([['src/lib.rs', 'use merge_intervals::merge;\npub fn merge() {}\n']]);

describe('hidden-test redaction', () => {
  it('removes a grader-output line that quotes a hidden line, whatever its indentation', () => {
    const secrets = secretLines(hidden, starter);
    const out = redactSecrets(
      [
        "thread 'touching_intervals_merge' panicked at src/lib.rs:3:5:",
        'leaked:   let out =   merge(&[(1, 3), (3, 5)]).expect("valid input");',
        'assertion `left == right` failed: intervals that touch at a point are merged',
      ].join('\n'),
      secrets,
    );
    expect(out).not.toContain('(3, 5)]).expect');
    expect(out.split('\n')[1]).toBe(REDACTED);
    // The assertion message the hidden test chose to show stays: it is feedback, not source.
    expect(out).toContain('intervals that touch at a point are merged');
    expect(out).toContain('panicked at src/lib.rs:3:5');
  });

  it('never treats short or public lines as secret', () => {
    const secrets = secretLines(hidden, starter);
    expect(secrets).not.toContain('}');
    expect(secrets).not.toContain('#[test]');
    // Also in the starter: the model already sees it.
    expect(secrets).not.toContain('use merge_intervals::merge;');
    expect(redactSecrets('use merge_intervals::merge;\n}', secrets)).toBe('use merge_intervals::merge;\n}');
  });

  it('collapses a dumped hidden file to one marker in the feedback sent back', () => {
    const dump = [...hidden.values()][0]!;
    const feedback = composeFeedback(
      'test',
      {
        failedStep: { name: 'test', class: 'test' },
        tests: { expected: 2, passed: 1, failed: 1, skipped: 0 },
        failures: [{ name: 'touching_intervals_merge', message: `panicked:\n${dump}` }],
        diagnostics: '',
      },
      [],
      [],
      4000,
      secretLines(hidden, starter),
    );
    expect(feedback).not.toContain('fn touching_intervals_merge() {');
    expect(feedback).not.toContain('assert_eq!(out');
    expect(feedback.split(REDACTED).length - 1).toBe(1);
    expect(feedback).toContain('✗ touching_intervals_merge');
  });
});

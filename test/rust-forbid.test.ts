import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeFiles } from '../src/grade/grade.js';
import type { Task } from '../src/tasks/loader.js';
import { gradingEnvFor, miniTask } from './support/run-helpers.js';

/**
 * A `rust-forbid` check (rust/L5's no-locks) judges what rustc resolved in the build's MIR: an alias
 * is seen through, a comment or a string naming the item never counts. Real cargo, real sandbox.
 */
const base = miniTask();
const task: Task = {
  ...base,
  checks: [
    {
      name: 'no-locks',
      kind: 'rust-forbid',
      paths: ['std::sync::Mutex', 'std::sync::mpsc'],
      message: 'Locks and channels are not allowed.',
    },
  ],
};
const CLAMP = 'let (lo, hi) = if a <= b { (a, b) } else { (b, a) };\n    value.max(lo).min(hi)';
const prepared = gradingEnvFor([task], { beforeAll, afterAll });
const grade = (lib: string) =>
  gradeFiles(task, new Map([['src/lib.rs', lib]]), { env: prepared.get(), slot: 0, feedbackChars: 4000 });

describe('rust-forbid: resolved paths, not words', () => {
  it('a Mutex behind an alias fails the check after the build, before any test runs', async () => {
    const r = await grade(`use std::sync::Mutex as Gate;
static GATE: Gate<()> = Gate::new(());
pub fn clamp(value: i64, a: i64, b: i64) -> i64 {
    let _held = GATE.lock();
    ${CLAMP}
}
`);
    expect(r.outcome).toBe('check');
    expect(r.feedback).toContain('Locks and channels are not allowed.');
    expect(r.feedback).toMatch(/src\/lib\.rs:\d+ uses std::sync::Mutex/);
    expect(r.steps.map((s) => s.name)).toEqual(['build', 'tamper-scan', 'no-locks']);
  });

  it('a channel reached through a glob import fails it too', async () => {
    const r = await grade(`use std::sync::mpsc::*;
pub fn clamp(value: i64, a: i64, b: i64) -> i64 {
    let (tx, rx) = channel::<i64>();
    tx.send(value).unwrap();
    let value = rx.recv().unwrap();
    ${CLAMP}
}
`);
    expect(r.outcome).toBe('check');
    expect(r.feedback).toMatch(/src\/lib\.rs:\d+ uses std::sync::mpsc::\w+/);
  });

  it('comments, doc comments and strings that name the items pass', async () => {
    const r = await grade(`/// Lock-free: no std::sync::Mutex, no std::sync::mpsc channel.
pub fn clamp(value: i64, a: i64, b: i64) -> i64 {
    // A Mutex would be overkill here.
    let _why = "std::sync::Mutex";
    ${CLAMP}
}
`);
    expect(r.feedback).toBeNull();
    expect(r.outcome).toBe('pass');
  });
});

/**
 * The pure part of the progress display (state → lines) and the terminal edge's handling of writes it
 * did not make. The display as a person sees it is tested under tmux in progress-tty.test.ts.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { liveProgress } from '../src/cli/live-display.js';
import { liveLines, ProgressState, statusLine } from '../src/cli/progress-state.js';
import type { AttemptRecord } from '../src/results/schema.js';
import type { RunPlan } from '../src/run/run.js';

const plan: RunPlan = { models: 2, tasks: 2, trials: 1, attempts: 2, isolation: 'namespaces', resumed: 0 };
const attempt = (n: number, outcome: string, cost: number | null) =>
  ({ n, outcome, cost, steps: [], tests: null, faults: [] }) as unknown as AttemptRecord;

describe('progress state → lines', () => {
  it('counts finished trials, passes and spend; an unknown price is unknown, never $0; ETA from the pace', () => {
    const s = new ProgressState();
    s.plan(plan, 0);
    expect(statusLine(s, 1000)).toBe(
      '0/4 trials · 0 passed · cost $0.00 · 1s elapsed · ETA after the first trial',
    );
    s.phase({ model: 'cheap', task: 'r/a', trial: 1, attempt: 1, phase: 'model' }, 0);
    s.phase({ model: 'free', task: 'r/a', trial: 1, attempt: 1, phase: 'grading' }, 500);
    expect(s.attempt({ model: 'cheap', task: 'r/a', trial: 1, attempt: attempt(1, 'test', 0.01) })).toBe(
      false,
    );
    expect(s.attempt({ model: 'cheap', task: 'r/a', trial: 1, attempt: attempt(2, 'pass', 0.02) })).toBe(
      true,
    );
    // 1 trial in 10 s, 3 left: 30 s to go.
    expect(statusLine(s, 10_000)).toBe('1/4 trials · 1 passed · cost $0.030 · 10s elapsed · ETA ~30s');
    s.attempt({ model: 'free', task: 'r/a', trial: 1, attempt: attempt(1, 'pass', null) });
    expect(statusLine(s, 20_000)).toContain(
      '2/4 trials · 2 passed · cost $0.030 + unknown (no price for free)',
    );
    const only = new ProgressState();
    only.plan(plan, 0);
    only.attempt({ model: 'free', task: 'r/a', trial: 1, attempt: attempt(1, 'pass', null) });
    expect(statusLine(only, 1000)).toContain('cost unknown (no price for free)');
  });

  it('lists what is in flight, oldest first, with its phase and time in it; the rest are counted', () => {
    const s = new ProgressState();
    s.plan({ ...plan, tasks: 5 }, 0);
    s.phase({ model: 'm', task: 'r/long-name', trial: 2, attempt: 2, phase: 'awaiting-grader' }, 1000);
    s.phase({ model: 'model-b', task: 'r/a', trial: 1, attempt: 1, phase: 'model' }, 0);
    s.phase({ model: 'm', task: 'r/c', trial: 1, attempt: 1, phase: 'grading' }, 2000);
    expect(liveLines(s, 5000, 2)).toEqual([
      `aibench [${'░'.repeat(24)}] 0/10 trials · 0 passed · cost $0.00 · 5s elapsed · ETA after the first trial`,
      'in flight: 1 waiting for model, 1 waiting for a grader, 1 grading',
      '  model-b  r/a             attempt 1/2  waiting for model 5s',
      '  m        r/long-name #2  attempt 2/2  waiting for a grader 4s',
      '  … and 1 more',
    ]);
  });
});

/** A stand-in TTY that records what is written to it. */
function fakeTty() {
  const writes: string[] = [];
  const stream = Object.assign(new EventEmitter(), {
    isTTY: true,
    columns: 100,
    rows: 30,
    write: (chunk: string) => {
      writes.push(String(chunk));
      return true;
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, writes };
}

describe('the live display on a terminal', () => {
  it('a write it did not make goes out whole, the block cleared before it and drawn again after', async () => {
    const { stream, writes } = fakeTty();
    const p = liveProgress(stream, { redrawMs: 10 });
    p.onPlan(plan);
    const drawn = writes.join('');
    expect(drawn).toContain('0/4 trials');
    writes.length = 0;
    stream.write('(node) Warning: something a library said\n');
    // Cleared first (erase line + cursor up), then the foreign text untouched.
    expect(writes[0]).toContain('\x1b[2K');
    expect(writes[1]).toBe('(node) Warning: something a library said\n');
    await new Promise((r) => setTimeout(r, 50));
    expect(writes.slice(2).join('')).toContain('0/4 trials');
    p.log('warning: a run warning');
    expect(writes.join('')).toContain('warning: a run warning\n');
    p.finish();
    // After finish, writes pass straight through (the cursor coming back is seen under tmux).
    writes.length = 0;
    stream.write('after\n');
    expect(writes).toEqual(['after\n']);
  });
});

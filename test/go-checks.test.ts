import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHeld } from '../src/cache/holds.js';
import { gradeFiles } from '../src/grade/grade.js';
import { sharedGoCache } from '../src/grade/toolchains/go.js';
import type { GradeEnv } from '../src/grade/toolchains/types.js';
import type { GradeResult } from '../src/grade/types.js';
import { loadTasks } from '../src/tasks/loader.js';
import { createHost, prepareFor, type HostileHost } from './support/hostile.js';

/**
 * The Go task checks through the real pipeline: the race detector reruns the stress tests with -race,
 * and `go-forbid` judges the types the code carries after resolution (an alias of sync.Mutex counts).
 */

const task = loadTasks([path.join(import.meta.dirname, 'fixtures', 'go-tasks')]).find(
  (t) => t.key === 'hostile-go/L5-counter',
)!;
const REFERENCE = task.reference.get('counter.go')!;
let host: HostileHost;
let env: GradeEnv;

beforeAll(async () => {
  host = createHost();
  env = await prepareFor(host, [task]);
}, 600_000);
afterAll(() => host?.cleanup());

const grade = (source: string): Promise<GradeResult> =>
  gradeFiles(task, new Map([['counter.go', source]]), {
    env,
    slot: 43,
    feedbackChars: 4000,
    workRoot: host.workRoot,
  });

describe('Go task checks', { timeout: 400_000 }, () => {
  it('passes the atomic reference with the race detector run', async () => {
    const r = await grade(REFERENCE);
    expect(r.outcome, r.feedback ?? '').toBe('pass');
    expect(r.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'build:ok',
      'tamper-scan:ok',
      'test:ok',
      'no-locks:ok',
      'race-detector:ok',
    ]);
  });

  it('gradings at once, in different slots, share one build cache that the run holds', async () => {
    const shared = sharedGoCache(env.cacheDir);
    const other = (): Promise<GradeResult> =>
      gradeFiles(task, new Map([['counter.go', REFERENCE]]), {
        env,
        slot: 44,
        feedbackChars: 4000,
        workRoot: host.workRoot,
      });
    const [a, b] = await Promise.all([grade(REFERENCE), other()]);
    expect([a.outcome, b.outcome]).toEqual(['pass', 'pass']);
    expect(existsSync(path.join(shared, 'README'))).toBe(true); // written by Go into its cache
    expect(env.holds.map((h) => h.dir)).toContain(shared);
    expect(isHeld(shared)).toBe(true);
  });

  it('fails a counter whose reads race its atomic writes, which the plain tests cannot see', async () => {
    const r = await grade(REFERENCE.replace('return atomic.LoadInt64(&c.n)', 'return c.n'));
    expect(r.tests).toMatchObject({ passed: 2, failed: 0 });
    expect(r.outcome).toBe('check');
    expect(r.steps.at(-1)).toMatchObject({ name: 'race-detector', ok: false });
    expect(r.feedback).toContain('WARNING: DATA RACE');
    expect(r.feedback).toContain('counter.go');
  });

  it('fails a mutex hidden behind a type alias, by its resolved type', async () => {
    const r = await grade(`package counter

import s "sync"

type lock = s.Mutex

// Counter counts concurrently.
type Counter struct {
	lock
	n int64
}

func (c *Counter) Inc() { c.Lock(); c.n++; c.Unlock() }

func (c *Counter) Load() int64 { c.Lock(); defer c.Unlock(); return c.n }
`);
    expect(r.outcome).toBe('check');
    expect(r.steps.at(-1)).toMatchObject({ name: 'no-locks', ok: false });
    expect(r.feedback).toContain('sync.Mutex');
  });
});

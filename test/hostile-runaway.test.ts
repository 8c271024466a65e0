import { readdirSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradeEnv } from '../src/grade/toolchains/types.js';
import type { GradeResult } from '../src/grade/types.js';
import {
  createHost,
  grader,
  hostileTask,
  NAMESPACES,
  NODE_REFERENCE,
  prepareFor,
  PROCESS_CAP,
  processesWith,
  RUST_REFERENCE,
  type Grader,
  type HostileHost,
} from './support/hostile.js';

/**
 * Hostile submissions, item 9: runaway code — an infinite loop, a sleep past the timeout, a fork bomb,
 * a memory bomb, 1 GB of output on stdout or stderr. Each must end `fail` (timeout, or test when the
 * kernel kills it first) with its whole process tree gone (its children carry a unique marker we look
 * for on the host afterwards), its output capped, and the very next grading — the reference — passing.
 * The fixture tasks have an 8 s (Rust) and 10 s (React) test timeout, so this file takes about a minute.
 */

const rust = hostileTask('hostile-rust/L1-clamp');
const node = hostileTask('hostile-node/L1-greeting');
let host: HostileHost;
let env: GradeEnv;
let grade: Grader;

beforeAll(async () => {
  host = createHost();
  env = await prepareFor(host, [rust, node]);
  grade = grader(env, host, 24);
});
afterAll(() => host?.cleanup());

/** `sleep 3600.<digits>`: a harmless child whose command line is unique to one test. */
function sleeperArg(): string {
  return `3600.${randomInt(1e8, 1e9)}`;
}

const hostProcessCount = (): number => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).length;

/** Contained: nothing with the marker is left running, the output kept is bounded, the next attempt is graded normally. */
async function expectContained(
  r: GradeResult,
  marker: string | null,
  reference: () => Promise<GradeResult>,
): Promise<void> {
  expect(r.outcome).not.toBe('pass');
  expect(r.feedback!.length).toBeLessThanOrEqual(4000);
  expect(JSON.stringify(r).length).toBeLessThan(20_000);
  if (marker) {
    // The group (and, with namespaces, the PID namespace) is killed before gradeFiles returns.
    expect(processesWith(marker)).toEqual([]);
  }
  const next = await reference();
  expect(next.outcome, next.feedback ?? '').toBe('pass');
}

describe('hostile: runaway Rust code (item 9)', () => {
  const reference = () => grade(rust, RUST_REFERENCE);

  it('an infinite loop that first spawned children (one in its own session) is killed at the timeout with every child', async () => {
    const marker = sleeperArg();
    // A child in its own process group escapes a group kill; only the PID namespace catches it.
    const escapee = NAMESPACES
      ? `{ use std::os::unix::process::CommandExt; let _ = std::process::Command::new("sleep").arg("${marker}").process_group(0).spawn(); }`
      : '';
    const r = await grade(
      rust,
      `pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 {
    let _ = std::process::Command::new("sleep").arg("${marker}").spawn();
    ${escapee}
    let mut x = 0u64;
    loop { x = std::hint::black_box(x.wrapping_add(1)); }
}
`,
    );
    expect(r.outcome).toBe('timeout');
    expect(r.feedback).toContain('stopped after 8 s');
    await expectContained(r, marker, reference);
  });

  it('a sleep far past the timeout is killed at the timeout', async () => {
    const r = await grade(
      rust,
      'pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 {\n    std::thread::sleep(std::time::Duration::from_secs(600));\n    0\n}\n',
    );
    expect(r.outcome).toBe('timeout');
    expect(r.steps.find((s) => s.name === 'test')?.durationMs).toBeLessThan(12_000);
    await expectContained(r, null, reference);
  });

  it.runIf(PROCESS_CAP)(
    'a fork bomb stalls at the process cap, is killed whole at the timeout, and the host process count is back to normal',
    async () => {
      const marker = `aibench-forkbomb-${randomInt(1e8, 1e9)}`;
      const before = hostProcessCount();
      const r = await grade(
        rust,
        `pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 {
    loop {
        let _ = std::process::Command::new("sh").args(["-c", "b(){ b | b & }; b", "${marker}"]).spawn();
    }
}
`,
      );
      expect(r.outcome).toBe('timeout');
      await expectContained(r, marker, reference);
      // Killed processes may take a moment to be reaped.
      await expect.poll(hostProcessCount, { timeout: 15_000, interval: 250 }).toBeLessThan(before + 50);
    },
  );

  it('a memory bomb is stopped by the memory cap (cgroup) or the address-space limit, and the host keeps running', async () => {
    // Touching the pages is only safe where a cgroup caps resident memory; without one, allocate without
    // touching (calloc'd zero pages) so the address-space rlimit is what stops it.
    const touch = env.sandbox.features.some((f) => f.startsWith('cgroup'));
    const r = await grade(
      rust,
      `pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 {
    let mut hog: Vec<Vec<u8>> = Vec::new();
    loop { hog.push(vec![${touch ? 7 : 0}u8; 256 << 20]); }
}
`,
    );
    expect(['test', 'timeout']).toContain(r.outcome);
    expect(r.tests?.passed ?? 0).toBe(0);
    await expectContained(r, null, reference);
  });

  for (const stream of ['stdout', 'stderr'] as const) {
    it(`1 GB written to raw ${stream} is cut off at the output limit (the group is killed), the kept output bounded`, async () => {
      const r = await grade(
        rust,
        `use std::io::Write;
pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 {
    let chunk = vec![b'y'; 1 << 20];
    let mut out = std::io::${stream}();
    for _ in 0..1024 { let _ = out.write_all(&chunk); }
    0
}
`,
      );
      expect(r.outcome).toBe('timeout');
      expect(r.feedback).toContain('flooding their output');
      expect(r.steps.find((s) => s.name === 'test')?.durationMs).toBeLessThan(8000);
      await expectContained(r, null, reference);
    });
  }
});

describe('hostile: runaway React code (item 9)', () => {
  const reference = () => grade(node, NODE_REFERENCE);

  it('an infinite loop in the component (after spawning a child) is killed at the timeout with the child', async () => {
    const marker = sleeperArg();
    const r = await grade(
      node,
      `// @ts-nocheck
import { spawn } from 'node:child_process';
spawn('sleep', ['${marker}'], { stdio: 'ignore', detached: ${NAMESPACES} });
export function Greeting({ name }: { name: string }) {
  for (;;) {}
  return <h1>{name}</h1>;
}
`,
    );
    expect(r.outcome).toBe('timeout');
    await expectContained(r, marker, reference);
  });

  it('1 GB written straight to file descriptor 1 is cut off at the output limit', async () => {
    const r = await grade(
      node,
      `// @ts-nocheck
import { writeSync } from 'node:fs';
const chunk = 'y'.repeat(1 << 20);
// The pipe is non-blocking: a determined flooder retries on EAGAIN until 1 GB is out.
for (let sent = 0; sent < 1 << 30; ) {
  try {
    sent += writeSync(1, chunk);
  } catch (e) {
    if (e.code !== 'EAGAIN') throw e;
  }
}
export function Greeting({ name }: { name: string }) {
  return <h1>{name}</h1>;
}
`,
    );
    expect(r.outcome).toBe('timeout');
    expect(r.feedback).toContain('flooding their output');
    await expectContained(r, null, reference);
  });
});

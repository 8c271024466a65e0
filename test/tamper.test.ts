import { describe, expect, it } from 'vitest';
import { scanNodeSubmission } from '../src/grade/scan/ts-scan.js';
import { parseTsanReports } from '../src/grade/toolchains/tsan.js';

const files = (content: string, name = 'src/a.tsx') => new Map([[name, content]]);

describe('scanNodeSubmission', () => {
  it.each([
    ['node', 'process.exit(0);', 'process-control'],
    ['node', "import { expect } from 'vitest';", 'test-framework'],
    ['node', 'globalThis.expect = () => ({ toBe() {} });', 'prototype-tamper'],
    ['node', 'const e = (globalThis as any).expect;', 'test-globals'],
    ['node', 'const anything = { asymmetricMatch: () => true };', 'asymmetric-match'],
    ['node', "import { execSync } from 'node:child_process';", 'node-builtins'],
    ['node', 'const key = process.env.ANTHROPIC_API_KEY;', 'env-access'],
    ['node', 'Array.prototype.includes = () => true;', 'prototype-tamper'],
  ] as const)('%s: %s → %s', (_toolchain, code, rule) => {
    const hits = scanNodeSubmission(files(code), [], { packages: null, hiddenPaths: [], hiddenDirs: [] });
    expect(hits.map((h) => h.rule)).toContain(rule);
    expect(hits[0]).toMatchObject({ line: 1 });
  });

  it('leaves honest code alone, including NODE_ENV checks and Intl formatting', () => {
    const honest =
      "export function F() { if (process.env.NODE_ENV !== 'production') {} return new Intl.NumberFormat('en-US').format(1); }";
    expect(
      scanNodeSubmission(files(honest), [], { packages: null, hiddenPaths: [], hiddenDirs: [] }),
    ).toEqual([]);
  });
});

describe('parseTsanReports', () => {
  const ws = '/tmp/aibench-work/rust-L5-x/project/src/';
  const report = (frames: string) =>
    `WARNING: ThreadSanitizer: data race (pid=2)\n  Read of size 8 at 0x7204 by thread T2:\n${frames}\n  Previous write of size 8 at 0x7204 by thread T1:\n    #0 core::ptr::write /rustc/library/core/src/ptr/mod.rs:1:1 (bin+0x1)\n\nSUMMARY: ThreadSanitizer: data race\n`;

  it('counts a report with an access frame in the submission, showing it relative to the workspace', () => {
    const { counted, unsymbolized } = parseTsanReports(
      report(`    #0 <spsc_ring::Consumer<u64>>::pop ${ws}lib.rs:175:56 (bin+0xe31ce)`),
      [ws],
    );
    expect(unsymbolized).toBe(0);
    expect(counted).toHaveLength(1);
    expect(counted[0]!.sections[0]!.frames[0]).toBe(
      '#0 <spsc_ring::Consumer<u64>>::pop src/lib.rs:175:56 (bin+0xe31ce)',
    );
  });

  it("ignores std's own reports and flags unsymbolized ones (never a silent pass)", () => {
    expect(
      parseTsanReports(
        report('    #0 std::thread::spawn /rustc/library/std/src/thread/mod.rs:9:9 (bin+0x2)'),
        [ws],
      ).counted,
    ).toEqual([]);
    expect(
      parseTsanReports(
        report('    #0 <null> <null> (bin+0x2)').replace('/rustc/library/core/src/ptr/mod.rs:1:1', '<null>'),
        [ws],
      ).unsymbolized,
    ).toBe(1);
  });
});

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCurrentSource } from './support/bundle.js';
import { readResults } from '../src/results/io.js';
import { tempDir } from './support/run-helpers.js';

const run = promisify(execFile);
let CLI = '';
let cleanupBundle = (): void => {};
beforeAll(async () => {
  const bundle = await bundleCurrentSource('e2e-cli');
  CLI = path.join(bundle.dir, 'cli.js');
  cleanupBundle = bundle.cleanup;
});
afterAll(() => cleanupBundle());
const PILOTS = 'react/L1-statcard,rust/L1-merge-intervals';

/** Runs the bundled CLI the way the README tells a user to, without the caller's API keys. */
async function aibench(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/_API_KEY$|_BASE_URL$/.test(k)),
  );
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...clean, ...env },
      maxBuffer: 32 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the aibench CLI (bundled dist/cli.js)', () => {
  it('run --models reference grades the pilot tasks offline: 2/2 at $0.00, with results.json and report.md', async () => {
    const out = tempDir();
    const r = await aibench(['run', '--models', 'reference', '--tasks', PILOTS, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2/2 passed (100%), total cost $0.00');
    const results = readResults(path.join(out, 'results.json'));
    expect(results.status).toBe('complete');
    expect(results.trials.map((t) => [t.task, t.outcome, t.passedAtAttempt])).toEqual([
      ['react/L1-statcard', 'pass', 1],
      ['rust/L1-merge-intervals', 'pass', 1],
    ]);
    const report = readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(report).toContain('## Summary (Table III)');
    expect(report).toMatch(
      /\| reference +\| +1\/1 +\| +1\/1 +\| +2\/2 +\| +\$0\.00 +\| +\$0\.00 +\| +\$0\.00 +\|/,
    );
    expect(report).toContain('| Suite | Task');
    const transcripts = readFileSync(path.join(out, 'transcripts.jsonl'), 'utf8').trim().split('\n');
    expect(transcripts).toHaveLength(4);
    // The figures and report.html come from the bundle too (its charting chunk once failed to load there).
    expect(r.stderr).not.toMatch(/could not write the figures/);
    for (const f of ['report.html', 'figure-1-pass-rate.svg', 'figure-2-cost-per-pass.svg'])
      expect(existsSync(path.join(out, f)), f).toBe(true);
  });

  it('validate proves the pilot tasks: references pass, mutants fail as their why.md says', async () => {
    const r = await aibench(['validate', '--tasks', PILOTS]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^2\/2 references pass, (\d+)\/\1 mutants fail as expected, (\d+)\/\2 allow-list probes refused$/m,
    );
  });

  it('a run with an unset key exits 2 with one line naming the variable, and writes nothing', async () => {
    const out = path.join(tempDir(), 'never-created');
    const r = await aibench([
      'run',
      '--models',
      'anthropic/claude-sonnet-4-6',
      '--tasks',
      PILOTS,
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'aibench: missing API key: set ANTHROPIC_API_KEY (nothing was run or spent)',
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('bad input gets one line that says what to change, and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['run', '--models', 'nope'], /--models: "nope" is not provider\/model/],
      [['run', '--models', 'acme/x'], /unknown provider "acme"/],
      [['run', '--models', 'reference', '--attempts', '0'], /--attempts: .*got 0/],
      [
        ['run', '--models', 'reference', '--tasks', 'react/L9-nothing'],
        /--tasks: "react\/L9-nothing" is not a known task/,
      ],
      [['run', '--models', 'reference', '--concurrency', 'lots'], /--concurrency: "lots" is not a number/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const r = await aibench(args);
      expect(r.code, args.join(' ')).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeResults } from '../src/results/io.js';
import { resultsJsonPieces } from '../src/results/json-pieces.js';
import { resultsSchema, type Results } from '../src/results/schema.js';
import { Journal } from '../src/run/journal.js';
import { syntheticResults, type TrialSpec } from './support/synthetic-results.js';

/** Replies as awkward as a model's: newlines, quotes, escapes, non-ASCII, a look-alike of the split marker. */
const AWKWARD = [
  'Here:\n```ts\nexport const x = "a\\"b";\n```\n',
  '"trials": [], \u2028 emoji 🦀 \t tab, "aibench-trials-00000000-0000-0000-0000-000000000000"',
];

function run(trials: number, replyChars = 0): Results {
  const specs: TrialSpec[] = Array.from({ length: trials }, (_, i) => ({
    model: `m${i % 3}`,
    task: `react/L${i % 5}`,
    trial: Math.floor(i / 15) + 1,
    outcomes: i % 2 ? ['test', 'pass'] : ['pass'],
    cost: i % 4 ? 0.01 : null,
    replies: [AWKWARD[i % 2]! + 'x'.repeat(replyChars), AWKWARD[(i + 1) % 2]!],
  }));
  return syntheticResults(specs);
}

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'aibench-pieces-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('results.json written a trial at a time', () => {
  it('is byte for byte what a whole-object JSON.stringify gives, pretty and validated or compact', () => {
    for (const r of [{ ...run(1), trials: [] }, run(1), run(40)]) {
      const pretty = [...resultsJsonPieces(r, { validate: true, indent: 2 })].join('');
      expect(pretty).toBe(`${JSON.stringify(resultsSchema.parse(r), null, 2)}\n`);
      const compact = [...resultsJsonPieces(r, { validate: false, indent: 0 })].join('');
      expect(compact).toBe(`${JSON.stringify(r)}\n`);
      expect(JSON.parse(compact)).toEqual(r);
    }
  });

  it('never holds more than one trial in a piece, however long the run', () => {
    const r = run(300, 15_000);
    const pieces = [...resultsJsonPieces(r, { validate: false, indent: 0 })];
    const whole = pieces.reduce((n, p) => n + p.length, 0);
    const largest = Math.max(...pieces.map((p) => p.length));
    expect(whole).toBeGreaterThan(300 * 15_000);
    expect(largest).toBeLessThan(2 * JSON.stringify(r.trials[0]).length);
  });

  it('writes a checkpoint and the final file that read back as the run, leaving no temp file', () => {
    const dir = tempDir();
    const journal = new Journal(dir);
    const r = run(25, 70_000);
    journal.checkpoint(r);
    const file = journal.file('results');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(r);
    journal.results(r);
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(resultsSchema.parse(r), null, 2)}\n`);
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('refuses a malformed trial met mid-file: the previous results.json stays whole and no temp is left', () => {
    const dir = tempDir();
    const file = path.join(dir, 'results.json');
    writeFileSync(file, 'previous checkpoint\n');
    const r = run(30, 70_000);
    (r.trials[20] as { outcome: string }).outcome = 'forged';
    expect(() => writeResults(file, r)).toThrow(/outcome/);
    expect(readFileSync(file, 'utf8')).toBe('previous checkpoint\n');
    expect(readdirSync(dir)).toEqual(['results.json']);
  });
});

/**
 * The action's pure parts: baseline comparison, shard merge, gate, and the bodies within GitHub's limits.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  baselineSaveBlocker,
  evaluateGate,
  parseMinPassRate,
  parseRegressionMode,
  type GateSettings,
} from '../src/action/gate.js';
import { compareResults } from '../src/results/baseline.js';
import { serializeResults } from '../src/results/io.js';
import { mergeResults } from '../src/results/merge.js';
import type { Results } from '../src/results/schema.js';
import { COMMENT_LIMIT_CHARS, commentMarker, renderComment } from '../src/report/comment.js';
import { fitBlocks, renderSummary, type PublishView } from '../src/report/summary.js';
import { loadTemplate, results, type Row } from './support/results-fixtures.js';

beforeAll(loadTemplate);

const view = (p: Partial<PublishView> = {}): PublishView => ({
  gate: null,
  comparison: null,
  baselineNote: null,
  notes: [],
  links: { run: 'https://github.com/o/r/actions/runs/1', artifact: null, repo: 'https://github.com/o/r' },
  ...p,
});

describe('baseline comparison', () => {
  it('finds regressions and fixes, never counts API faults as either, and computes deltas over pairs both graded', () => {
    const base = results([
      ['a/m', 's/t1', 'pass'],
      ['a/m', 's/t2', 'test'],
      ['a/m', 's/t3', 'pass'],
      ['a/m', 's/t4', 'pass', 0.02],
    ]);
    const head = results([
      ['a/m', 's/t1', 'build', 0.03],
      ['a/m', 's/t2', 'pass'],
      ['a/m', 's/t3', 'infra'],
      ['a/m', 's/t5', 'pass'],
    ]);
    const cmp = compareResults(head, base, { now: new Date(Date.parse(base.startedAt) + 3600_000) });
    expect(cmp.regressions.map((f) => [f.task, f.base.outcome, f.head.outcome])).toEqual([
      ['s/t1', 'pass', 'build'],
    ]);
    expect(cmp.fixes.map((f) => f.task)).toEqual(['s/t2']);
    expect(cmp.notComparable).toEqual(['a/m s/t3']);
    expect(cmp.onlyInHead).toEqual(['a/m s/t5']);
    expect(cmp.onlyInBase).toEqual(['a/m s/t4']);
    expect(cmp.passRate).toMatchObject({ base: 0.5, head: 0.5, delta: 0, baseGraded: 2, headGraded: 2 });
    expect(cmp.cost.base).toBeCloseTo(0.02);
    expect(cmp.cost.delta).toBeCloseTo(0.02);
    expect(cmp.stale).toBe(false);
  });

  it('warns when the baseline is stale or its tasks, prices or settings differ', () => {
    const base = results([['a/m', 's/t1', 'pass']]);
    const head = results([['a/m', 's/t1', 'test']], {
      fingerprints: { ...base.fingerprints, tasks: 'other', prices: 'other' },
    });
    head.tasks[0]!.hash = 'edited';
    head.config = { ...head.config, attempts: 1 };
    const cmp = compareResults(head, base, {
      now: new Date(Date.parse(base.finishedAt!) + 9.5 * 86_400_000),
      meta: { commit: 'abcdef1234', ref: 'refs/heads/main', runUrl: null, savedAt: '' },
    });
    expect(cmp.stale).toBe(true);
    expect(cmp.warnings.join('\n')).toMatch(
      /baseline is 9 days old \(abcdef1\)[\s\S]*tasks changed since the baseline \(s\/t1\)[\s\S]*prices differ[\s\S]*attempts differs from the baseline's \(3 → 1\)/,
    );
    expect(cmp.regressions[0]!.taskChanged).toBe(true);
  });
});

describe('merging shards', () => {
  it('gives what one unsharded run gives: models and tasks in order, same task fingerprint, worst status, summed caps', () => {
    const whole = results([
      ['a/x', 'r/t1', 'pass'],
      ['b/y', 'r/t1', 'test'],
      ['a/x', 'u/t2', 'pass'],
      ['b/y', 'u/t2', 'pass'],
    ]);
    const shard = (model: string, suite: string, status: Results['status'] = 'complete') => ({
      source: `${model}-${suite}`,
      results: {
        ...whole,
        status,
        runId: `${model}-${suite}`,
        config: { ...whole.config, maxCost: 1 },
        models: whole.models.filter((m) => m.name === model),
        tasks: whole.tasks.filter((t) => t.suite === suite),
        trials: whole.trials.filter((t) => t.model === model && t.task.startsWith(suite)),
      },
    });
    const merged = mergeResults([
      shard('a/x', 'r'),
      shard('b/y', 'r', 'budget-exhausted'),
      shard('a/x', 'u'),
      shard('b/y', 'u'),
    ]);
    expect(merged.trials.map((t) => `${t.model} ${t.task}`)).toEqual(
      whole.trials.map((t) => `${t.model} ${t.task}`),
    );
    expect(merged.models.map((m) => m.name)).toEqual(['a/x', 'b/y']);
    expect(merged.status).toBe('budget-exhausted');
    expect(merged.config.maxCost).toBe(4);
    expect(() => serializeResults(merged)).not.toThrow();
    const again = mergeResults([shard('b/y', 'u'), shard('a/x', 'u'), shard('a/x', 'r'), shard('b/y', 'r')]);
    expect(again.fingerprints.tasks).toBe(merged.fingerprints.tasks);
    expect(again.runId).toBe(merged.runId);
  });

  it('refuses shards that overlap or measured differently', () => {
    const a = results([['a/x', 'r/t1', 'pass']]);
    expect(() =>
      mergeResults([
        { source: 'one', results: a },
        { source: 'two', results: a },
      ]),
    ).toThrow(/a\/x r\/t1 #1 appears in both one and two/);
    expect(() =>
      mergeResults([
        { source: 'one', results: a },
        { source: 'two', results: { ...a, config: { ...a.config, attempts: 1 } } },
      ]),
    ).toThrow(/two ran with attempts=1/);
  });
});

describe('gate', () => {
  const none: GateSettings = { minPassRate: null, failOnRegression: { kind: 'off' }, maxCost: null };
  const min = (rate: number, on: 'estimate' | 'lower-bound' = 'estimate') => ({ rate, on });
  it('passes with nothing to check, fails on pass rate, flips (any-flip), budget, and API faults dominating', () => {
    const ok = results([
      ['a/m', 's/t1', 'pass'],
      ['a/m', 's/t2', 'test'],
    ]);
    expect(evaluateGate(ok, null, none)).toEqual({ failed: false, checks: [] });
    expect(evaluateGate(ok, null, { ...none, minPassRate: min(0.5) }).failed).toBe(false);
    expect(evaluateGate(ok, null, { ...none, minPassRate: min(0.6) }).checks[0]!.detail).toBe(
      'pass rate 50% (1/2) is below min-pass-rate 60%',
    );
    expect(evaluateGate(ok, null, { ...none, failOnRegression: { kind: 'significant' } })).toMatchObject({
      failed: false,
      checks: [{ detail: 'no baseline to compare with yet' }],
    });
    const cmp = compareResults(
      ok,
      results([
        ['a/m', 's/t1', 'pass'],
        ['a/m', 's/t2', 'pass'],
      ]),
    );
    expect(
      evaluateGate(ok, cmp, { ...none, failOnRegression: { kind: 'any-flip' } }).checks[0],
    ).toMatchObject({
      ok: false,
      detail: '1 task(s) regressed vs the baseline: a/m s/t2',
    });
    // The same single flip is noise to the significant mode, and says how blind the comparison is.
    expect(
      evaluateGate(ok, cmp, { ...none, failOnRegression: { kind: 'significant' } }).checks[0],
    ).toMatchObject({
      ok: true,
      detail: expect.stringMatching(
        /^no detectable regression \(largest change: a\/m −50 pp \[.*\]\) \(a comparison of this size detects drops from about \d+ points\)$/,
      ),
    });
    expect(evaluateGate(ok, null, { ...none, maxCost: 0.02 }).checks[0]).toMatchObject({
      ok: false,
      name: 'max-cost',
    });
    expect(evaluateGate(ok, null, { ...none, maxCost: 0.5 }).failed).toBe(false);
    const faults = results([
      ['a/m', 's/t1', 'infra'],
      ['a/m', 's/t2', 'pass'],
    ]);
    expect(evaluateGate(faults, null, none).checks[0]!.detail).toMatch(
      /API faults ended 1 of 2 trials \(not counted as model failures\)/,
    );
  });

  /** `model` on tasks t0..t(n−1): the listed ones fail, the rest pass. */
  const run = (models: Record<string, number[]>, n = 10) =>
    results(
      Object.entries(models).flatMap(([model, failing]) =>
        Array.from({ length: n }, (_, i) => [model, `s/t${i}`, failing.includes(i) ? 'test' : 'pass'] as Row),
      ),
    );

  it('significant: a model that fails 8 of 10 tasks it passed has regressed; one that flipped a task has not', () => {
    const base = run({ 'a/strong': [], 'b/noisy': [3] });
    const head = run({ 'a/strong': [0, 1, 2, 3, 4, 5, 6, 7], 'b/noisy': [4] });
    const cmp = compareResults(head, base);
    const gate = evaluateGate(head, cmp, { ...none, failOnRegression: { kind: 'significant' } });
    expect(gate.failed).toBe(true);
    expect(gate.checks[0]!.detail).toMatch(
      /^a\/strong regressed: pass rate −80 pp \[−\d+, −\d+\] over 10 task\(s\)$/,
    );
    expect(cmp.statistics.models.map((m) => [m.model, m.paired!.verdict])).toEqual([
      ['a/strong', 'regressed'],
      ['b/noisy', 'no detectable change'],
    ]);
    // Two models: each judged at 97.5% so the pair keeps a 95% family-wise error rate.
    expect(cmp.statistics.confidence).toBeCloseTo(0.975, 12);
    // any-flip would also fail on the noisy model's single flip.
    const flips = evaluateGate(head, cmp, { ...none, failOnRegression: { kind: 'any-flip' } });
    expect(flips.checks[0]).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^9 task\(s\) regressed/),
    });
    expect(cmp.regressions.map((r) => `${r.model} ${r.task}`)).toContain('b/noisy s/t4');
  });

  it('non-inferior: 10 tasks × 1 trial with nothing changed cannot rule out a 5-point drop; a 30-point margin passes', () => {
    const same = run({ 'a/m': [9] });
    const cmp = compareResults(same, run({ 'a/m': [9] }));
    const strict = evaluateGate(same, cmp, {
      ...none,
      failOnRegression: parseRegressionMode('non-inferior:5%'),
    });
    expect(strict.failed).toBe(true);
    expect(strict.checks[0]!.detail).toMatch(
      /^a drop of more than 5 pp is not ruled out for a\/m \(±0 pp \[−\d+, \+\d+\]\)/,
    );
    const loose = evaluateGate(same, cmp, {
      ...none,
      failOnRegression: parseRegressionMode('non-inferior:0.3'),
    });
    expect(loose.checks[0]).toMatchObject({ ok: true, detail: 'every model within 30 pp of the baseline' });
  });

  it('min-pass-rate on the lower bound: 9/10 passes 80% but not "80% lower-bound"', () => {
    const r = run({ 'a/m': [9] });
    expect(evaluateGate(r, null, { ...none, minPassRate: parseMinPassRate('80%') }).failed).toBe(false);
    const lower = evaluateGate(r, null, { ...none, minPassRate: parseMinPassRate('80% lower-bound') });
    expect(lower.checks[0]).toMatchObject({
      ok: false,
      detail: "the pass rate's 95% lower bound 60% (pass rate 90%, 9/10) is below min-pass-rate 80%",
    });
  });

  it('parses the modes, keeps true/false working, and says what to write', () => {
    expect(parseRegressionMode('false')).toEqual({ kind: 'off' });
    expect(parseRegressionMode('true')).toEqual({ kind: 'significant' });
    expect(parseRegressionMode('any-flip')).toEqual({ kind: 'any-flip' });
    expect(parseRegressionMode('non-inferior:5%')).toEqual({ kind: 'non-inferior', margin: 0.05 });
    expect(() => parseRegressionMode('yes')).toThrow(
      'input "fail-on-regression": "yes" is not one of false, true (= significant), any-flip, significant, or non-inferior:<margin> (e.g. non-inferior:5%)',
    );
    expect(() => parseRegressionMode('non-inferior:lots')).toThrow(/non-inferior:5% or non-inferior:0\.05/);
    expect(parseMinPassRate('0.8 lower-bound')).toEqual({ rate: 0.8, on: 'lower-bound' });
    expect(parseMinPassRate('')).toBeNull();
    expect(() => parseMinPassRate('80% lower')).toThrow(/write nothing or lower-bound/);
  });

  it('a run whose gate failed never becomes the baseline', () => {
    const r = run({ 'a/m': [] });
    const passed = evaluateGate(r, null, { ...none, minPassRate: min(0.5) });
    expect(baselineSaveBlocker(r, passed, false)).toBeNull();
    const failed = evaluateGate(run({ 'a/m': [0, 1, 2, 3, 4, 5] }), null, { ...none, minPassRate: min(0.5) });
    expect(baselineSaveBlocker(r, failed, false)).toMatch(/^the gate failed \(min-pass-rate: pass rate 40%/);
    expect(baselineSaveBlocker(r, passed, true)).toMatch(/skipped for want of an API key/);
    expect(baselineSaveBlocker({ status: 'budget-exhausted' }, passed, false)).toBe(
      'the run ended budget-exhausted',
    );
  });
});

describe('bodies and their size limits', () => {
  it('fitBlocks drops optional blocks from the end first, then cuts at a line end, closing open <details>', () => {
    const blocks = [
      { text: 'head' },
      { text: 'a'.repeat(50), optional: true },
      { text: 'b'.repeat(50), optional: true },
      { text: 'tail' },
    ];
    const fitted = fitBlocks(
      blocks,
      100,
      (s) => s.length,
      (n) => `(${n} left out)`,
    );
    expect(fitted.text).toBe(`head\n\n${'a'.repeat(50)}\n\ntail\n\n(1 left out)\n`);
    const cut = fitBlocks(
      [{ text: `<details>\n${'row\n'.repeat(100)}</details>` }],
      120,
      (s) => s.length,
      () => 'cut',
    );
    expect(cut.text.length).toBeLessThanOrEqual(120);
    expect(cut.text).toMatch(/row\n+<\/details>\n+cut\n$/);
  });

  it('the comment stays under 65,536 characters with the marker first and links to the full summary', () => {
    const rows: Row[] = [];
    for (let m = 0; m < 120; m++)
      for (let t = 0; t < 40; t++) rows.push([`v/model-${m}`, `s/task-${t}`, (m + t) % 2 ? 'pass' : 'test']);
    const big = results(rows);
    const base = results(rows.map(([m, t]) => [m, t, 'pass'] as Row));
    const body = renderComment(big, view({ comparison: compareResults(big, base) }), {
      marker: commentMarker('CI/bench'),
    });
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT_CHARS);
    expect(body.startsWith('<!-- aibench-action:sticky CI/bench -->')).toBe(true);
    expect(body).toContain('… and 2370 more (see the job summary or the results artifact).');
    expect(body).toContain("Trimmed to fit GitHub's 65,536-character comment limit");
    expect(body).toContain('[job summary](https://github.com/o/r/actions/runs/1)');
    expect(renderSummary(big, view(), 200_000).length).toBeLessThanOrEqual(200_000);
  });

  it('the marker cannot close its HTML comment early', () => {
    expect(commentMarker('My --> flow/job')).toBe('<!-- aibench-action:sticky My -_ flow/job -->');
  });
});

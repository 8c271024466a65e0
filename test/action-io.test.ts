/**
 * The action's I/O edges: input validation, run context, the tolerant cache and baseline store, and the
 * CLI's merge and compare commands.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  baselineKeyPrefix,
  modelKeyPrefix,
  restoreBaseline,
  saveBaseline,
} from '../src/action/baseline-store.js';
import { compareResults } from '../src/results/baseline.js';
import { TolerantCache, UNAVAILABLE, type CacheBackend } from '../src/action/cache.js';
import { readContext } from '../src/action/context.js';
import { readInputs } from '../src/action/inputs.js';
import type { InputName } from '../src/action/names.js';
import { main } from '../src/cli/main.js';
import { serializeResults } from '../src/results/io.js';
import { loadTemplate, results } from './support/results-fixtures.js';
import { FIXTURE_TASKS, tempDir } from './support/run-helpers.js';

beforeAll(loadTemplate);

describe('inputs', () => {
  const get = (inputs: Record<string, string>) => (name: InputName) => inputs[name] ?? '';
  const base = { models: 'reference', suites: 'mini', 'tasks-path': FIXTURE_TASKS };
  it('applies action.yml defaults and parses lists, rates and booleans', () => {
    const i = readInputs(
      get({
        ...base,
        'min-pass-rate': '75%',
        'fail-on-regression': 'TRUE',
        models: 'reference\n anthropic/claude-sonnet-4-6 ,',
      }),
    );
    expect(i).toMatchObject({
      mode: 'run',
      models: ['reference', 'anthropic/claude-sonnet-4-6'],
      minPassRate: { rate: 0.75, on: 'estimate' },
      failOnRegression: { kind: 'significant' },
      baseline: { kind: 'cache' },
      comment: 'always',
      cache: true,
      builtinTasks: false,
      artifactName: 'aibench-results',
    });
    expect(i.selected.map((t) => t.key)).toEqual(['mini/L1-clamp']);
    expect(readInputs(get({ results: 'shards' })).mode).toBe('merge');
  });

  it('names the input and what to change', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ models: '' }, /^input "models": name at least one model/],
      [{ cache: 'yes' }, /^input "cache": "yes" is not a boolean; write true or false$/],
      [{ 'max-cost': '5 dollars' }, /^input "max-cost": "5 dollars" is not a number$/],
      [{ concurrency: '1000' }, /^input "concurrency": .*got 1000/],
      [{ baseline: 'nope.json' }, /^input "baseline": nope\.json does not exist/],
      [{ 'tasks-path': 'missing-dir' }, /^input "tasks-path": missing-dir does not exist/],
      [{ suites: 'nope' }, /^input "suites": unknown suite "nope"/],
      [{ 'artifact-name': 'a/b' }, /^input "artifact-name": "a\/b" may not contain/],
      [
        { 'fail-on-regression': 'sometimes' },
        /^input "fail-on-regression": "sometimes" is not one of false, true/,
      ],
      [
        { 'min-pass-rate': '80% upper' },
        /^input "min-pass-rate": "80% upper": after the rate write nothing or lower-bound/,
      ],
    ];
    for (const [inputs, message] of cases)
      expect(() => readInputs(get({ ...base, ...inputs }))).toThrow(message);
  });
});

describe('run context', () => {
  it('tells fork PRs, default-branch runs and the run URL from what the runner sets', () => {
    const dir = tempDir();
    const event = (payload: unknown) => {
      const f = path.join(dir, `${Math.random()}.json`);
      writeFileSync(f, JSON.stringify(payload));
      return f;
    };
    const pr = {
      pull_request: {
        number: 3,
        head: { sha: 'abc', repo: { full_name: 'fork/r' } },
        base: { repo: { full_name: 'o/r' } },
      },
    };
    const env = { GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '9', GITHUB_RUN_ATTEMPT: '2', RUNNER_TEMP: dir };
    expect(
      readContext({ ...env, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event(pr) }),
    ).toMatchObject({
      pr: { number: 3, fork: true, headSha: 'abc' },
      onDefaultBranch: false,
      runUrl: 'https://github.com/o/r/actions/runs/9/attempts/2',
    });
    expect(
      readContext({
        ...env,
        GITHUB_EVENT_NAME: 'schedule',
        GITHUB_EVENT_PATH: event({ schedule: '0 3 * * *' }),
      }),
    ).toMatchObject({ pr: null, onDefaultBranch: true });
    const push = { repository: { default_branch: 'main' } };
    expect(
      readContext({
        ...env,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_EVENT_PATH: event(push),
      }).onDefaultBranch,
    ).toBe(true);
    expect(
      readContext({
        ...env,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/dev',
        GITHUB_EVENT_PATH: event(push),
      }).onDefaultBranch,
    ).toBe(false);
  });
});

describe('cache and baseline store', () => {
  /** An in-memory cache service: exact key first, then the newest entry whose key starts with a restore key. */
  function memoryCache(available = true): CacheBackend & { saved: string[] } {
    const entries: { key: string; files: Map<string, string> }[] = [];
    const saved: string[] = [];
    const snapshot = (dir: string) =>
      new Map([
        ['results.json', readFileSync(path.join(dir, 'results.json'), 'utf8')],
        ['context.json', readFileSync(path.join(dir, 'context.json'), 'utf8')],
      ]);
    return {
      saved,
      available: () => available,
      restore: async ([dir], key, restoreKeys) => {
        const hit =
          entries.find((e) => e.key === key) ??
          [...entries].reverse().find((e) => restoreKeys.some((k) => e.key.startsWith(k)));
        if (!hit) return undefined;
        mkdirSync(dir!, { recursive: true });
        for (const [f, text] of hit.files) writeFileSync(path.join(dir!, f), text);
        return hit.key;
      },
      save: async ([dir], key) => {
        if (entries.some((e) => e.key === key))
          throw new Error(`Unable to reserve cache with key ${key}, another job may be creating this cache.`);
        entries.push({ key, files: snapshot(dir!) });
        saved.push(key);
      },
    };
  }
  const logger = () => {
    const lines: string[] = [];
    return {
      lines,
      info: (l: string) => lines.push(`info ${l}`),
      warning: (l: string) => lines.push(`warning ${l}`),
    };
  };

  it('an unavailable cache service is one warning and a miss, never an error', async () => {
    const log = logger();
    const store = new TolerantCache(memoryCache(false), log);
    expect(await store.restore(['/nope'], 'k')).toBeUndefined();
    expect(await store.save(['/nope'], 'k')).toBe(false);
    expect(log.lines).toEqual([`warning ${UNAVAILABLE}`]);
    const failing = new TolerantCache(
      {
        available: () => true,
        restore: async () => Promise.reject(new Error('socket hang up')),
        save: async () => {},
      },
      log,
    );
    expect(await failing.restore(['/x'], 'k2')).toBeUndefined();
    expect(log.lines.at(-1)).toBe(
      'warning cache restore of k2 failed (socket hang up); continuing without it',
    );
  });

  it('default-branch runs save baselines under unique keys; a PR restores the newest for its selection', async () => {
    const log = logger();
    const store = new TolerantCache(memoryCache(), log);
    const dir = path.join(tempDir(), 'baseline');
    const selection = { models: ['a/m'], taskKeys: ['s/t1'] };
    const prefix = baselineKeyPrefix(['a/m'], ['s/t1']);
    expect(prefix).toBe(baselineKeyPrefix(['a/m'], ['s/t1']));
    expect(prefix).not.toBe(baselineKeyPrefix(['a/m', 'b/n'], ['s/t1']));
    expect(await restoreBaseline(store, selection, dir, log)).toBeNull();
    const older = results([['a/m', 's/t1', 'test']]);
    const newer = results([['a/m', 's/t1', 'pass']]);
    const meta = (commit: string) => ({ commit, ref: 'refs/heads/main', runUrl: null, savedAt: commit });
    expect(await saveBaseline(store, selection, dir, older, meta('c1'), '1')).toEqual([
      `${prefix}1`,
      `${modelKeyPrefix('a/m')}1`,
    ]);
    await saveBaseline(store, selection, dir, newer, meta('c2'), '2');
    const restored = await restoreBaseline(store, selection, dir, log);
    expect(restored?.meta?.commit).toBe('c2');
    expect(restored?.results.trials[0]!.passed).toBe(true);
    expect(restored?.source).toBe(`cache ${prefix}2`);
  });

  it('a selection never run on the default branch falls back to the newest baseline of each of its models', async () => {
    const log = logger();
    const store = new TolerantCache(memoryCache(), log);
    const dir = path.join(tempDir(), 'baseline');
    const meta = (commit: string) => ({ commit, ref: 'refs/heads/main', runUrl: null, savedAt: commit });
    // Default branch: a/m and b/n on two tasks, then a/m alone on one task (newer).
    await saveBaseline(
      store,
      { models: ['a/m', 'b/n'], taskKeys: ['s/t1', 's/t2'] },
      dir,
      results([
        ['a/m', 's/t1', 'test'],
        ['a/m', 's/t2', 'pass'],
        ['b/n', 's/t1', 'pass'],
        ['b/n', 's/t2', 'pass'],
      ]),
      meta('c1'),
      '1',
    );
    await saveBaseline(
      store,
      { models: ['a/m'], taskKeys: ['s/t1'] },
      dir,
      results([['a/m', 's/t1', 'pass']]),
      meta('c2'),
      '2',
    );
    // A PR adds c/new and a task: a/m and b/n are still compared, each with its newest baseline.
    const pr = { models: ['a/m', 'b/n', 'c/new'], taskKeys: ['s/t1', 's/t2', 's/t3'] };
    const restored = await restoreBaseline(store, pr, dir, log);
    expect(restored?.source).toBe(`cache ${modelKeyPrefix('a/m')}2, cache ${modelKeyPrefix('b/n')}1`);
    expect(restored?.meta?.commit).toBe('c1');
    expect(restored?.results.trials.map((t) => `${t.model} ${t.task} ${t.outcome}`).sort()).toEqual([
      'a/m s/t1 pass',
      'b/n s/t1 pass',
      'b/n s/t2 pass',
    ]);
    const head = results([
      ['a/m', 's/t1', 'test'],
      ['b/n', 's/t2', 'pass'],
      ['c/new', 's/t3', 'pass'],
    ]);
    const cmp = compareResults(head, restored!.results);
    expect(cmp.regressions.map((f) => `${f.model} ${f.task}`)).toEqual(['a/m s/t1']);
    expect(cmp.compared).toBe(2);
    expect(log.lines.filter((l) => l.startsWith('warning'))).toEqual([]);
  });
});

describe('CLI merge and compare', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), tty: false } };
  };
  it('merge writes one run from shard folders; compare prints the verdict and flips, and exits 6 only when the mode fails', async () => {
    const root = tempDir();
    const shardA = results([['a/m', 's/t1', 'pass']]);
    const shardB = { ...results([['b/n', 's/t1', 'test']]), runId: 'other' };
    for (const [name, r] of [
      ['one', shardA],
      ['two', shardB],
    ] as const) {
      mkdirSync(path.join(root, 'shards', name), { recursive: true });
      writeFileSync(path.join(root, 'shards', name, 'results.json'), serializeResults(r));
      writeFileSync(path.join(root, 'shards', name, 'transcripts.jsonl'), `{"shard":"${name}"}\n`);
    }
    const m = io();
    expect(await main(['merge', path.join(root, 'shards'), '--out', path.join(root, 'merged')], m.io)).toBe(
      0,
    );
    expect(m.out[0]).toBe('1/2 passed (50%), total cost $0.020');
    expect(readFileSync(path.join(root, 'merged', 'transcripts.jsonl'), 'utf8')).toBe(
      '{"shard":"one"}\n{"shard":"two"}\n',
    );
    expect(readFileSync(path.join(root, 'merged', 'report.md'), 'utf8')).toContain('## Summary (Table III)');

    const baseFile = path.join(root, 'base.json');
    writeFileSync(
      baseFile,
      serializeResults(
        results([
          ['a/m', 's/t1', 'pass'],
          ['b/n', 's/t1', 'pass'],
        ]),
      ),
    );
    const merged = path.join(root, 'merged', 'results.json');
    const c = io();
    // One flip on one task is noise to the default (significant) mode...
    expect(await main(['compare', baseFile, merged, '--fail-on-regression'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(
      /^\*\*Verdict: ➖ no detectable change\*\*[\s\S]*\| b\/n +\| s\/t1 +\| ✅ pass +\| ❌ test +\|/,
    );
    expect(c.err.join('\n')).toMatch(/^significant: ok: no detectable regression/);
    // ...and a regression to any-flip, today's strictest mode.
    const flip = io();
    expect(
      await main(
        ['compare', baseFile, merged, '--fail-on-regression', '--regression-mode', 'any-flip'],
        flip.io,
      ),
    ).toBe(6);
    expect(flip.err.join('\n')).toMatch(
      /^any-flip: failed: 1 task\(s\) regressed vs the baseline: b\/n s\/t1/,
    );
    // A model failing 8 of the 8 tasks it passed regressed significantly (McNemar p = 0.008).
    const eight = (outcome: 'pass' | 'test') =>
      results(
        Array.from({ length: 8 }, (_, i) => ['a/m', `s/t${i}`, outcome] as [string, string, 'pass' | 'test']),
      );
    writeFileSync(path.join(root, 'b8.json'), serializeResults(eight('pass')));
    writeFileSync(path.join(root, 'h8.json'), serializeResults(eight('test')));
    const sig = io();
    expect(
      await main(
        ['compare', path.join(root, 'b8.json'), path.join(root, 'h8.json'), '--fail-on-regression'],
        sig.io,
      ),
    ).toBe(6);
    expect(sig.out.join('\n')).toMatch(/^\*\*Verdict: 🔻 regressed\*\*[\s\S]*McNemar exact p = 0\.008/);
    const bad = io();
    expect(await main(['compare', baseFile], bad.io)).toBe(2);
    expect(bad.err).toEqual([
      "aibench: missing required argument 'results.json' (see aibench compare --help)",
    ]);
  });
});

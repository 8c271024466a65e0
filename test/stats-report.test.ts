/**
 * Done-when for the statistics: a 3-trial run of two scripted models through the real SDKs against the
 * mock servers, graded for real on copies of the mini Rust task, shows intervals, pass@k, pass^k and a
 * paired verdict in report.md, the job summary and the PR comment; `aibench compare` prints the verdict.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { DEFAULT_SETTINGS } from '../src/config/load.js';
import { configFileSchema } from '../src/config/schema.js';
import { compareResults } from '../src/results/baseline.js';
import { serializeResults } from '../src/results/io.js';
import type { Results } from '../src/results/schema.js';
import { commentMarker, renderComment } from '../src/report/comment.js';
import { renderSummary, type PublishView } from '../src/report/summary.js';
import { runBenchmark } from '../src/run/run.js';
import { loadTasks } from '../src/tasks/loader.js';
import { MockLlmServer, textOf, type RecordedRequest } from './support/mock-llm.js';
import { FIXTURE_TASKS, replyWith, tempDir } from './support/run-helpers.js';

const TASKS = 5;
const root = tempDir('aibench-stats-tasks-');
let strong: MockLlmServer;
let weak: MockLlmServer;
let run: Results;
let outDir: string;

/** Which copy of the task a request is about (each copy's prompt names it). */
const copyOf = (req: RecordedRequest) =>
  Number(/\(copy (\d+)\)/.exec(textOf(req.body.messages.find((m) => m.role === 'user')!.content))![1]);

beforeAll(async () => {
  // TASKS copies of the mini task as their own suite, each prompt naming its copy so the mocks can tell them apart.
  for (let i = 1; i <= TASKS; i++) {
    const dir = path.join(root, 'copies', `L1-clamp-${i}`);
    cpSync(path.join(FIXTURE_TASKS, 'mini', 'L1-clamp'), dir, { recursive: true });
    const yml = path.join(dir, 'task.yml');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace('id: L1-clamp', `id: L1-clamp-${i}`));
    writeFileSync(
      path.join(dir, 'prompt.md'),
      `${readFileSync(path.join(dir, 'prompt.md'), 'utf8')}\n(copy ${i})\n`,
    );
  }
  writeFileSync(
    path.join(root, 'copies', 'suite.yml'),
    readFileSync(path.join(FIXTURE_TASKS, 'mini', 'suite.yml'), 'utf8').replace('name: mini', 'name: copies'),
  );
  const task = loadTasks([root])[0]!;
  const seen = new Map<number, number>();
  // The strong model always answers the reference; the weak one gets copy 1 right, copy 2 on its 2nd and
  // 3rd trials (flaky), and the rest wrong.
  strong = await new MockLlmServer('anthropic', () => ({ text: replyWith(task, 'reference') })).start();
  weak = await new MockLlmServer('openai', (req) => {
    const copy = copyOf(req);
    const n = (seen.get(copy) ?? 0) + 1;
    seen.set(copy, n);
    const right = copy === 1 || (copy === 2 && n > 1);
    return { text: replyWith(task, right ? 'reference' : 'no-swap') };
  }).start();
  const outcome = await runBenchmark({
    models: ['anthropic/claude-sonnet-4-6', 'deepseek/deepseek-chat'],
    suites: ['copies'],
    tasks: [],
    tasksPaths: [root],
    builtinTasks: false,
    settings: {
      ...DEFAULT_SETTINGS,
      attempts: 1,
      trials: 3,
      concurrency: 2,
      gradeConcurrency: 2,
      retries: 1,
    },
    config: configFileSchema.parse({}),
    out: tempDir(),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_BASE_URL: strong.baseURL,
      DEEPSEEK_API_KEY: 'k',
      DEEPSEEK_BASE_URL: weak.baseURL,
    },
  });
  run = outcome.results;
  outDir = outcome.outDir;
}, 300_000);
afterAll(async () => {
  await Promise.all([strong?.stop(), weak?.stop()]);
});

const view = (p: Partial<PublishView> = {}): PublishView => ({
  gate: null,
  comparison: null,
  baselineNote: null,
  notes: [],
  links: { run: null, artifact: null, repo: null },
  ...p,
});

describe('a 3-trial run of two scripted models', () => {
  it('report.md, the job summary and the PR comment show intervals, pass@k, pass^k, flaky tasks, detectability and the paired verdict', () => {
    expect(run.trials).toHaveLength(2 * TASKS * 3);
    const report = readFileSync(path.join(outDir, 'report.md'), 'utf8');
    const summary = renderSummary(run, view());
    const comment = renderComment(run, view(), { marker: commentMarker('t') });
    for (const body of [report, summary, comment]) {
      // Strong: 15/15; with 5 tasks the interval still leaves room below 100%.
      expect(body).toMatch(/\| anthropic\/claude-sonnet-4-6 +\| +100% \[\d\d–100%\] +\|/);
      // Weak: per-task rates 1, 2/3, 0, 0, 0 → 33%.
      expect(body).toMatch(/\| deepseek\/deepseek-chat +\| +33% \[\d+–\d+%\] +\|/);
      expect(body).toMatch(/\| Model +\| +pass@1 \| +pass@2 \| +pass@3 \| +pass\^2 \| +pass\^3 \|/);
      // Weak pass@3 = (1 + 1 + 0 + 0 + 0)/5; pass^3 = (1 + 0 + 0 + 0 + 0)/5.
      expect(body).toMatch(
        /\| deepseek\/deepseek-chat +\|( [^|]+\|){2} +40% \[[^\]]+\] +\|( [^|]+\|) +20% \[[^\]]+\] +\|/,
      );
      expect(body).toContain('- deepseek/deepseek-chat: copies/L1-clamp-2 (2/3)');
      expect(body).toMatch(
        /\*\*Detectability:\*\*[\s\S]*with 5 tasks × 3 trials, a comparison detects a drop in pass rate only from about \d+ points/,
      );
      expect(body).toMatch(
        /\| deepseek\/deepseek-chat vs anthropic\/claude-sonnet-4-6 +\| +5 \| +−67 pp \[−\d+, −\d+\] \| +4 \/ 0 \| sign test p = 0\.125 \| 🔻 regressed \|/,
      );
    }
  });

  it('compare against a baseline: the strong model regressed significantly, the weak one only flipped by noise', async () => {
    // The baseline: the same run with the strong model passing, the weak one failing copy 2 throughout.
    const head: Results = structuredClone(run);
    const base: Results = structuredClone(run);
    for (const t of head.trials)
      if (t.model.startsWith('anthropic') && !t.task.endsWith('-1'))
        Object.assign(t, { passed: false, outcome: 'test', passedAtAttempt: null });
    for (const t of base.trials)
      if (t.model.startsWith('deepseek') && t.task.endsWith('-2'))
        Object.assign(t, { passed: false, outcome: 'test', passedAtAttempt: null });
    const cmp = compareResults(head, base);
    expect(cmp.statistics.models.map((m) => [m.model, m.paired?.verdict])).toEqual([
      ['anthropic/claude-sonnet-4-6', 'regressed'],
      ['deepseek/deepseek-chat', 'no detectable change'],
    ]);
    const dir = tempDir();
    writeFileSync(path.join(dir, 'base.json'), serializeResults(base));
    writeFileSync(path.join(dir, 'head.json'), serializeResults(head));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      ['compare', path.join(dir, 'base.json'), path.join(dir, 'head.json'), '--fail-on-regression'],
      {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        tty: false,
      },
    );
    expect(code).toBe(6);
    const text = out.join('\n');
    expect(text).toMatch(/^\*\*Verdict: 🔻 regressed\*\*/);
    expect(text).toMatch(
      /🔻 regressed — \*\*anthropic\/claude-sonnet-4-6\*\*: pass rate −80 pp \[−\d+, −\d+\] over 5 task\(s\)/,
    );
    expect(text).toMatch(
      /➖ no detectable change — \*\*deepseek\/deepseek-chat\*\*: pass rate \+13 pp \[−\d+, \+\d+\]/,
    );
    expect(text).toMatch(
      /\| deepseek\/deepseek-chat +\| copies\/L1-clamp-2 +\| ❌ 0\/3 passed +\| ⚠️ 2\/3 passed +\|/,
    );
    const comment = renderComment(head, view({ comparison: cmp }), {
      marker: commentMarker('AIBench/bench'),
    });
    expect(comment).toContain('🔻 regressed: anthropic/claude-sonnet-4-6');
    if (process.env.AIBENCH_DUMP)
      writeFileSync(path.join(process.env.AIBENCH_DUMP, 'stats-comment.md'), comment);
  });
});

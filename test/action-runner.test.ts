/**
 * The action as GitHub runs it: the bundled action under Node 24 (the runtime action.yml names), with
 * the environment a runner sets, the GitHub REST API and the Actions cache service mocked locally and
 * model calls going to the mock model servers. Uses the tiny mini/L1-clamp Rust task so every run grades
 * in about a second. The current source is bundled the way `npm run bundle` makes dist/, into a
 * throwaway folder (dist/ itself is rebundled on release; check-dist compares it).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readResults, serializeResults } from '../src/results/io.js';
import { bundleCurrentSource } from './support/bundle.js';
import { MockActionsCache } from './support/mock-actions-cache.js';
import { MockGithubApi } from './support/mock-github.js';
import { MockLlmServer } from './support/mock-llm.js';
import { hugeResults } from './support/results-fixtures.js';
import { FIXTURE_TASKS, miniTask, replyWith, tempDir } from './support/run-helpers.js';

const execFileP = promisify(execFile);
let ENTRY = '';
let cleanupBundle = (): void => {};
const REPO = 'atomicolabs/demo';

/** Node 24 from the `node24` devDependency (npm:node@24); the current node only if it cannot be found. */
function node24(): string {
  try {
    const bin = path.join(
      path.dirname(createRequire(import.meta.url).resolve('node24/package.json')),
      'bin',
      'node',
    );
    if (existsSync(bin)) return bin;
  } catch {
    /* fall through */
  }
  console.warn(
    `action-runner: node24 (npm:node@24) is not installed; running dist/index.js under ${process.version} instead`,
  );
  return process.execPath;
}
const NODE = node24();

type Plan = (string | { status: number })[];
/** What each scripted model answers, attempt by attempt: a task overlay ('reference' or a mutant) or an HTTP error. */
const plans: { anthropic: Plan; deepseek: Plan } = { anthropic: [], deepseek: [] };
let github: MockGithubApi;
let anthropic: MockLlmServer;
let deepseek: MockLlmServer;
const cacheDir = tempDir('aibench-action-cache-');

function scripted(which: keyof typeof plans) {
  return (req: { body: { messages: { role: string }[] } }) => {
    // OpenAI's wire carries the system prompt as a message too: count the user turns.
    const attempt = req.body.messages.filter((m) => m.role === 'user').length - 1;
    const step = plans[which][attempt] ?? 'reference';
    return typeof step === 'string'
      ? { text: replyWith(miniTask(), step), usage: { input: 1000, output: 500 } }
      : { status: step.status };
  };
}

beforeAll(async () => {
  const bundle = await bundleCurrentSource('runner');
  ENTRY = path.join(bundle.dir, 'index.js');
  cleanupBundle = bundle.cleanup;
  github = await new MockGithubApi(...(REPO.split('/') as [string, string])).start();
  anthropic = await new MockLlmServer('anthropic', scripted('anthropic')).start();
  deepseek = await new MockLlmServer('openai', scripted('deepseek')).start();
  // 120 comments by people first, so the action must follow the Link header to page 2 to find its own.
  github.seed(7, 120);
});
afterAll(async () => {
  await Promise.all([github?.stop(), anthropic?.stop(), deepseek?.stop()]);
  cleanupBundle();
});

type EventKind = 'pull_request' | 'fork' | 'schedule' | 'push';

function event(kind: EventKind, pr = 7): unknown {
  if (kind === 'schedule') return { schedule: '0 3 * * *' };
  if (kind === 'push')
    return {
      ref: 'refs/heads/main',
      after: 'ba5e000000000000000000000000000000000001',
      repository: { full_name: REPO, default_branch: 'main' },
    };
  const head = kind === 'fork' ? 'contributor/demo' : REPO;
  return {
    action: 'synchronize',
    number: pr,
    pull_request: {
      number: pr,
      head: {
        sha: 'c0ffee0000000000000000000000000000000001',
        ref: 'feature',
        repo: { full_name: head, fork: kind === 'fork' },
      },
      base: { sha: 'ba5e000000000000000000000000000000000001', ref: 'main', repo: { full_name: REPO } },
    },
    repository: { full_name: REPO, default_branch: 'main' },
  };
}

interface ActionRun {
  code: number;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
  annotations: { level: string; message: string }[];
}

/** Runs dist/index.js like a runner does: INPUT_* (names as in action.yml), GITHUB_* files, RUNNER_TEMP. */
async function runAction(
  inputs: Record<string, string>,
  opts: {
    event: EventKind;
    pr?: number;
    token?: string;
    keys?: boolean;
    /** The Actions cache service; without it the runner has none (a local or GHES-like run). */
    cache?: MockActionsCache;
    /** RUNNER_TEMP (stable across runs on one runner, as on GitHub-hosted runners). */
    runnerTemp?: string;
    env?: Record<string, string>;
  },
): Promise<ActionRun> {
  const dir = tempDir('aibench-runner-');
  const files = {
    event: path.join(dir, 'event.json'),
    summary: path.join(dir, 'step_summary.md'),
    output: path.join(dir, 'output.txt'),
  };
  writeFileSync(files.event, JSON.stringify(event(opts.event, opts.pr)));
  writeFileSync(files.summary, '');
  writeFileSync(files.output, '');
  const isPr = opts.event === 'pull_request' || opts.event === 'fork';
  const ref = isPr ? `refs/pull/${opts.pr ?? 7}/merge` : 'refs/heads/main';
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: isPr ? 'pull_request' : opts.event,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: REPO,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKFLOW: 'AIBench',
    GITHUB_JOB: 'bench',
    GITHUB_RUN_ID: '123456789',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_REF: ref,
    GITHUB_SHA: isPr
      ? 'feed000000000000000000000000000000000001'
      : 'ba5e000000000000000000000000000000000001',
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: opts.runnerTemp ?? dir,
    ...(opts.cache
      ? { ACTIONS_CACHE_URL: opts.cache.urlFor(ref), ACTIONS_RUNTIME_TOKEN: 'runtime-token' }
      : {}),
    AIBENCH_CACHE: cacheDir,
    AIBENCH_RETRY_BASE_MS: '5',
    ANTHROPIC_BASE_URL: anthropic.baseURL,
    DEEPSEEK_BASE_URL: deepseek.baseURL,
    ...(opts.keys === false ? {} : { ANTHROPIC_API_KEY: 'sk-ant-test', DEEPSEEK_API_KEY: 'sk-ds-test' }),
    ...opts.env,
  };
  const defaults = {
    'tasks-path': FIXTURE_TASKS,
    suites: 'mini',
    'github-token': opts.token ?? 'ghs_writetoken',
    baseline: 'none',
    comment: 'always',
    cache: 'true',
    'fail-on-regression': 'false',
    'artifact-name': 'aibench-results',
  };
  for (const [name, value] of Object.entries({ ...defaults, ...inputs }))
    env[`INPUT_${name.toUpperCase()}`] = value;
  let code = 0;
  let stdout: string;
  try {
    ({ stdout } = await execFileP(NODE, [ENTRY], { cwd: dir, env, maxBuffer: 64 << 20, timeout: 170_000 }));
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    code = e.code;
    stdout = e.stdout + e.stderr;
  }
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(files.output, 'utf8').matchAll(
    /^(.+?)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm,
  ))
    outputs[m[1]!] = m[3]!;
  const annotations = [...stdout.matchAll(/^::(warning|notice|error)[^:]*::(.*)$/gm)].map((m) => ({
    level: m[1]!,
    message: decodeURIComponent(m[2]!.replace(/%(?![0-9A-F]{2})/g, '%25')),
  }));
  return { code, stdout, summary: readFileSync(files.summary, 'utf8'), outputs, annotations };
}

const TWO_MODELS = 'anthropic/claude-sonnet-4-6, deepseek/deepseek-chat';

/** The log's `::group::` sections in order, with the lines inside; throws on a nested or unclosed group. */
function logGroups(stdout: string): { title: string; lines: string[] }[] {
  const groups: { title: string; lines: string[] }[] = [];
  let open: { title: string; lines: string[] } | null = null;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('::group::')) {
      if (open) throw new Error(`group "${line.slice(9)}" opened inside "${open.title}"`);
      open = { title: line.slice(9), lines: [] };
    } else if (line === '::endgroup::') {
      if (!open) throw new Error('::endgroup:: without a group');
      groups.push(open);
      open = null;
    } else open?.lines.push(line);
  }
  if (open) throw new Error(`group "${open.title}" never closed`);
  return groups;
}
const marker = (body: string) => body.startsWith('<!-- aibench-action:sticky AIBench/bench -->');
let baselineFile = '';

describe('the bundled action under Node 24, as a runner runs it', () => {
  it('runs under Node 24', async () => {
    const { stdout } = await execFileP(NODE, ['--version']);
    expect(stdout.trim()).toMatch(NODE === process.execPath ? /^v\d+/ : /^v24\./);
  });

  it('a scheduled run on the default branch: summary with every table, outputs set, no comment, tolerant of no cache/artifact service', async () => {
    plans.anthropic = ['no-swap', 'reference'];
    plans.deepseek = ['reference'];
    const r = await runAction({ models: TWO_MODELS, baseline: 'cache' }, { event: 'schedule' });
    expect(r.code, r.stdout).toBe(0);
    for (const heading of [
      '## AIBench results',
      '### Summary (Table III)',
      '### Cost per passed task (Table VIII)',
      '### Retry impact (Table IX)',
      '### Failure classes',
      '### Per-task detail (Tables IV–VII)',
      '**isolation:**',
      '**fingerprints:**',
    ]) {
      expect(r.summary).toContain(heading);
    }
    expect(r.summary).toMatch(/<details><summary><b>anthropic\/claude-sonnet-4-6<\/b> — 1\/1 passed/);
    // No fault happened: no empty infra table; the isolation obtained is one line.
    expect(r.summary).not.toContain('### Infra errors');
    expect(r.summary).toMatch(/^- \*\*isolation:\*\* namespaces$/m);
    expect(r.summary).toContain('| mini  | L1-clamp | ✅ pass (attempt 2) |');
    expect(r.outputs).toMatchObject({
      'pass-rate': '1',
      passed: '2',
      total: '2',
      regressions: '0',
      skipped: 'false',
    });
    expect(Number(r.outputs['cost-usd'])).toBeGreaterThan(0);
    expect(readResults(r.outputs['results-path']!).trials).toHaveLength(2);
    expect(readFileSync(r.outputs['report-path']!, 'utf8')).toContain('## Summary (Table III)');
    expect(
      r.annotations
        .filter((a) => a.level === 'warning')
        .map((a) => a.message)
        .join('\n'),
    ).toMatch(/cache service is not available[\s\S]*artifact service is not available/);
    expect(github.requests).toHaveLength(0);
    // One collapsible group per model in the log, holding exactly that model's attempt lines, plain text.
    const groups = logGroups(r.stdout);
    const byModel = (m: string) => groups.filter((g) => g.title.startsWith(`${m}: `));
    const [sonnet] = byModel('anthropic/claude-sonnet-4-6');
    const [chat] = byModel('deepseek/deepseek-chat');
    expect(sonnet!.title).toMatch(/^anthropic\/claude-sonnet-4-6: 1\/1 trial\(s\) passed, \$\d/);
    expect(sonnet!.lines).toEqual([
      expect.stringMatching(/^\[\d\/2\] anthropic\/claude-sonnet-4-6 mini\/L1-clamp attempt 1: test /),
      expect.stringMatching(/^\[\d\/2\] anthropic\/claude-sonnet-4-6 mini\/L1-clamp attempt 2: pass /),
    ]);
    expect(chat!.lines).toEqual([
      expect.stringMatching(/^\[\d\/2\] deepseek\/deepseek-chat mini\/L1-clamp attempt 1: pass /),
    ]);
    expect(groups.filter((g) => g.title.includes(': 1/1 trial(s) passed'))).toHaveLength(2);
    expect(r.stdout).not.toContain('\x1b[');
    // The run's closing status line comes after the groups, outside them.
    expect(r.stdout).toMatch(/^2\/2 trials · 2 passed · cost \$[\d.]+ · \d+s elapsed · done$/m);
    baselineFile = r.outputs['results-path']!;
  });

  it('a PR run posts one sticky comment with the baseline flips; the second run updates it in place even though its gate fails', async () => {
    plans.anthropic = ['reference'];
    plans.deepseek = ['no-swap', 'no-swap', 'no-swap'];
    const first = await runAction({ models: TWO_MODELS, baseline: baselineFile }, { event: 'pull_request' });
    expect(first.code, first.stdout).toBe(0);
    expect(first.outputs).toMatchObject({ 'pass-rate': '0.5', passed: '1', total: '2', regressions: '1' });
    expect(first.summary).toContain('### Compared with the baseline');
    expect(first.summary).toMatch(/\| deepseek\/deepseek-chat \| mini\/L1-clamp \| ✅ pass +\| ❌ test +\|/);
    const mine = () => github.commentsOn(7).filter((c) => marker(c.body));
    expect(mine()).toHaveLength(1);
    expect(github.commentsOn(7)).toHaveLength(121);
    const created = mine()[0]!;
    // One flip on one task is a flip, not a verdict: the title says so.
    expect(created.body).toContain('➖ no detectable change (1 task flip(s))');
    expect(created.body).toMatch(/\*\*Verdict: ➖ no detectable change\*\*/);
    // The verdict once, on the first line; then why the failed task failed, pointing at the attempt.
    expect(created.body.split('\n')[1]).toMatch(
      /^### AIBench · ⚠️ · 1\/2 passed \(50%\) · \$[\d.]+ \(\$[\d.]+ per pass\) · ➖ no detectable change \(1 task flip\(s\)\)$/,
    );
    expect(created.body.split('1/2 passed').length - 1).toBe(1);
    expect(created.body).toMatch(
      /#### Why tasks failed\n\n- ❌ deepseek\/deepseek-chat · `mini\/L1-clamp` — test: hidden tests failed · \S.* _\(attempt 3 in the results artifact\)_/,
    );
    expect(created.body).toContain('#### Summary (Table III)');

    const requestsBefore = github.requests.length;
    const second = await runAction(
      {
        models: TWO_MODELS,
        baseline: baselineFile,
        'fail-on-regression': 'any-flip',
        'min-pass-rate': '90%',
      },
      { event: 'pull_request' },
    );
    expect(second.code).toBe(1);
    const errors = second.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors.join('\n')).toMatch(/min-pass-rate: pass rate 50% \(1\/2\) is below min-pass-rate 90%/);
    expect(errors.join('\n')).toMatch(
      /fail-on-regression: 1 task\(s\) regressed vs the baseline: deepseek\/deepseek-chat mini\/L1-clamp/,
    );
    // Listed across both pages (Link header followed), then updated in place: still exactly one comment.
    const calls = github.requests.slice(requestsBefore).map((q) => `${q.method} ${q.path}`);
    expect(calls.filter((c) => c.startsWith('GET'))).toHaveLength(2);
    expect(calls.some((c) => c.includes('page=2'))).toBe(true);
    expect(calls.filter((c) => c.startsWith('POST'))).toHaveLength(0);
    expect(calls).toContain(`PATCH /repos/${REPO}/issues/comments/${created.id}`);
    expect(mine()).toHaveLength(1);
    expect(mine()[0]!.body).toContain('❌ gate failed');
    // AIBENCH_DUMP=<dir> keeps the rendered bodies of this simulated PR run for a human to read.
    if (process.env.AIBENCH_DUMP) {
      mkdirSync(process.env.AIBENCH_DUMP, { recursive: true });
      writeFileSync(path.join(process.env.AIBENCH_DUMP, 'summary.md'), second.summary);
      writeFileSync(path.join(process.env.AIBENCH_DUMP, 'comment.md'), mine()[0]!.body);
    }
    expect(github.requests.every((q) => q.authorization === 'token ghs_writetoken')).toBe(true);
  });

  it('gate modes: a single flip passes significant, fails non-inferior:5% and any-flip; lower-bound gates on the interval', async () => {
    plans.anthropic = ['reference'];
    plans.deepseek = ['no-swap', 'no-swap', 'no-swap'];
    const base = { models: TWO_MODELS, baseline: baselineFile, comment: 'never' };
    const significant = await runAction(
      { ...base, 'fail-on-regression': 'significant' },
      { event: 'pull_request' },
    );
    expect(significant.code, significant.stdout).toBe(0);
    expect(significant.summary).toMatch(
      /✅ \*\*Gate passed:\*\* no detectable regression \(largest change: deepseek\/deepseek-chat −100 pp \[−\d+, \+\d+\]\)/,
    );
    expect(significant.summary).toContain('**Detectability:**');
    const nonInferior = await runAction(
      { ...base, 'fail-on-regression': 'non-inferior:5%' },
      { event: 'pull_request' },
    );
    expect(nonInferior.code).toBe(1);
    expect(nonInferior.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /fail-on-regression: a drop of more than 5 pp is not ruled out for anthropic\/claude-sonnet-4-6 \(±0 pp \[−\d+, \+\d+\]\), deepseek\/deepseek-chat/,
    );
    const lower = await runAction(
      { models: 'anthropic/claude-sonnet-4-6', comment: 'never', 'min-pass-rate': '80% lower-bound' },
      { event: 'pull_request' },
    );
    expect(lower.code).toBe(1);
    expect(lower.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /min-pass-rate: the pass rate's 95% lower bound 21% \(pass rate 100%, 1\/1\) is below min-pass-rate 80%/,
    );
  });

  it('a default-branch run whose gate failed does not become the baseline', async () => {
    plans.anthropic = ['reference'];
    plans.deepseek = ['no-swap', 'no-swap', 'no-swap'];
    const r = await runAction(
      { models: TWO_MODELS, baseline: 'cache', 'min-pass-rate': '90%' },
      { event: 'schedule' },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /not saving a baseline: the gate failed \(min-pass-rate: pass rate 50% \(1\/2\)/,
    );
    expect(r.stdout).not.toMatch(/saved this run as the baseline/);
  });

  it('max-cost: the budget cuts the run short and the gate fails after publishing', async () => {
    plans.anthropic = ['no-swap', 'reference'];
    const r = await runAction(
      { models: 'anthropic/claude-sonnet-4-6', 'max-cost': '0.001', comment: 'never' },
      { event: 'pull_request' },
    );
    expect(r.code).toBe(1);
    expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /max-cost: max-cost \$0\.0010 was reached \(spent \$0\.01\d\)/,
    );
    expect(r.summary).toContain('❌ **Gate failed**');
    expect(r.outputs.passed).toBe('0');
  });

  it('a fork PR without secrets spends nothing and ends neutral with a notice', async () => {
    const before = { a: anthropic.requests.length, d: deepseek.requests.length, g: github.requests.length };
    const r = await runAction(
      { models: TWO_MODELS, 'min-pass-rate': '0.9' },
      { event: 'fork', keys: false, token: 'ghs_readonly' },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.annotations.find((a) => a.level === 'notice')?.message).toMatch(
      /aibench skipped: No API key is available to this run \(ANTHROPIC_API_KEY, DEEPSEEK_API_KEY unset\).*fork/,
    );
    expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect([anthropic.requests.length, deepseek.requests.length, github.requests.length]).toEqual([
      before.a,
      before.d,
      before.g,
    ]);
    expect(r.outputs.skipped).toBe('true');
    expect(r.summary).toContain('## AIBench: skipped');
  });

  it('a read-only token (403 on comment create) warns and the step goes on', async () => {
    github.readOnlyTokens.add('ghs_readonly');
    const r = await runAction(
      { models: 'reference' },
      { event: 'pull_request', pr: 8, token: 'ghs_readonly' },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.annotations.find((a) => a.message.startsWith('could not post the PR comment'))?.message).toMatch(
      /HTTP 403 \(Resource not accessible by integration[^)]*\).*pull-requests: write/,
    );
    expect(github.commentsOn(8)).toHaveLength(0);
    expect(r.summary).toContain('### Summary (Table III)');
  });

  it('comment: on-change creates only when something changed, but always keeps an existing comment current', async () => {
    const first = await runAction(
      { models: 'reference', comment: 'on-change' },
      { event: 'pull_request', pr: 11 },
    );
    expect(first.code, first.stdout).toBe(0);
    expect(github.commentsOn(11)).toHaveLength(1); // no baseline: that is news
    const same = { models: 'reference', comment: 'on-change', baseline: first.outputs['results-path']! };
    const second = await runAction(same, { event: 'pull_request', pr: 11 });
    expect(second.code).toBe(0);
    expect(github.commentsOn(11)).toHaveLength(1);
    expect(github.commentsOn(11)[0]!.body).toContain('**No task passed less often than in the baseline.**');
    const quiet = await runAction(same, { event: 'pull_request', pr: 12 });
    expect(quiet.code).toBe(0);
    expect(github.commentsOn(12)).toHaveLength(0);
    expect(quiet.stdout).toContain(
      'no PR comment: nothing changed against the baseline (comment: on-change)',
    );
  });

  it('merging oversized shard results: summary under 1 MiB and comment under 65,536 characters, both trimmed with links', async () => {
    const dir = tempDir('aibench-shards-');
    writeFileSync(
      path.join(dir, 'results.json'),
      serializeResults(hugeResults(readResults(baselineFile), 260, 60)),
    );
    const r = await runAction({ results: dir, models: '' }, { event: 'pull_request', pr: 9 });
    expect(r.code, r.stdout).toBe(0);
    expect(Buffer.byteLength(r.summary)).toBeLessThanOrEqual(1024 * 1024);
    expect(r.summary).toContain("Trimmed to fit GitHub's 1 MiB job-summary limit");
    // Merging shards is the normal way of the reusable workflow, not a warning.
    expect(r.summary).not.toContain('merged from');
    const [comment] = github.commentsOn(9);
    expect(comment!.body.length).toBeLessThanOrEqual(65_536);
    expect(comment!.body).toContain("Trimmed to fit GitHub's 65,536-character comment limit");
    expect(comment!.body).toContain(
      '[job summary](https://github.com/atomicolabs/demo/actions/runs/123456789)',
    );
    expect(r.outputs.total).toBe(String(260 * 60));
  });

  it('bad inputs fail up front, naming the input and what to change, before any model call', async () => {
    const before = anthropic.requests.length;
    const cases: [Record<string, string>, RegExp][] = [
      [{ models: TWO_MODELS, attempts: '0' }, /^input "attempts": .*got 0/],
      [
        { models: TWO_MODELS, 'min-pass-rate': '80' },
        /^input "min-pass-rate": "80" is not a pass rate; write a fraction from 0 to 1 \(0\.8\) or a percentage \(80%\)/,
      ],
      [
        { models: TWO_MODELS, comment: 'sometimes' },
        /^input "comment": "sometimes" is not one of always, on-change, never/,
      ],
      [{ models: 'gpt-5' }, /^input "models": "gpt-5" is not provider\/model/],
      [
        { models: TWO_MODELS, tasks: 'mini/L9-nothing' },
        /^input "tasks": "mini\/L9-nothing" is not a known task/,
      ],
      [
        { models: TWO_MODELS, 'fail-on-regression': 'true', baseline: 'none' },
        /^input "fail-on-regression": needs a baseline/,
      ],
    ];
    for (const [inputs, message] of cases) {
      const r = await runAction(inputs, { event: 'pull_request', pr: 10 });
      expect(r.code, JSON.stringify(inputs)).toBe(1);
      expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
        expect.stringMatching(message),
      ]);
    }
    expect(anthropic.requests.length).toBe(before);
  });
});

/** A workflow of the README, by its `name:`, parsed as GitHub would read it. */
function readmeWorkflow(name: string): {
  on: Record<string, { branches?: string[] } | null>;
  jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
} {
  const readme = readFileSync('README.md', 'utf8');
  const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => parseYaml(m[1]!) as { name?: string })
    .find((w) => w.name === name);
  if (!block) throw new Error(`README has no workflow named ${name}`);
  return block as ReturnType<typeof readmeWorkflow>;
}

describe("the README's PR-gate example, as a new user copies it", () => {
  it('a PR before any baseline says once how to get one; the push to main saves it; the next PR gates on it', async () => {
    const wf = readmeWorkflow('AIBench PR gate');
    expect(wf.on.push?.branches).toContain('main');
    expect(Object.keys(wf.on)).toContain('pull_request');
    const step = Object.values(wf.jobs)
      .flatMap((j) => j.steps)
      .find((s) => s.uses?.startsWith('atomicolabs/aibench-action@'))!;
    const documented = Object.fromEntries(Object.entries(step.with!).map(([k, v]) => [k, String(v)]));
    expect(documented['fail-on-regression']).toBe('significant');
    expect(documented.baseline).toBeUndefined(); // the default, cache, is what the example relies on
    // The user's own suites stand in for bench-tasks/; everything else as written in the README, but
    // for the gate's mode: the fixture suite has one task, on which no drop is ever significant, so the
    // flip that must gate here is judged per task (any-flip).
    const inputs = {
      ...documented,
      'tasks-path': FIXTURE_TASKS,
      suites: 'mini',
      baseline: 'cache',
      'fail-on-regression': 'any-flip',
    };
    const cache = await new MockActionsCache().start();
    const runnerTemp = tempDir('aibench-runner-temp-');
    try {
      plans.anthropic = ['reference'];
      const early = await runAction(inputs, { event: 'pull_request', pr: 21, cache, runnerTemp });
      expect(early.code, early.stdout).toBe(0);
      const [first] = github.commentsOn(21);
      expect(first!.body.split('No baseline yet').length - 1).toBe(1);
      expect(first!.body).toContain('push: branches: [main]');

      plans.anthropic = ['reference'];
      const push = await runAction(inputs, { event: 'push', cache, runnerTemp });
      expect(push.code, push.stdout).toBe(0);
      expect(push.stdout).toMatch(/saved this run as the baseline/);
      expect(cache.keys().filter((k) => k.startsWith('aibench-baseline-'))).toHaveLength(2);

      plans.anthropic = ['no-swap', 'no-swap', 'no-swap'];
      const pr = await runAction(inputs, { event: 'pull_request', pr: 21, cache, runnerTemp });
      expect(pr.code).toBe(1);
      expect(pr.annotations.find((a) => a.level === 'error')?.message).toMatch(
        /fail-on-regression: 1 task\(s\) regressed vs the baseline: anthropic\/claude-sonnet-4-6 mini\/L1-clamp/,
      );
      const [comment] = github.commentsOn(21);
      // The comment names the flip (a flip, not a statistical verdict) and the gate that failed on it.
      expect(comment!.body).toContain('(1 task flip(s))');
      expect(comment!.body).toMatch(/❌ \*\*Gate failed\*\*/);
      expect(comment!.body).not.toContain('No baseline yet');
      // The PR's own run is not a baseline: only the push saved one.
      expect(cache.keys().filter((k) => k.startsWith('aibench-baseline-'))).toHaveLength(2);
    } finally {
      await cache.stop();
    }
  });
});

/**
 * A runner whose bubblewrap cannot create namespaces (as on Ubuntu 24.04 before AppArmor's restriction
 * is lifted) until `apt-get install bubblewrap` has run: fake bwrap and apt-get first on PATH.
 */
function restrictedRunner(): { env: Record<string, string>; aptLog: string } {
  const bin = tempDir('aibench-fake-bin-');
  const flag = path.join(bin, 'installed');
  const aptLog = path.join(bin, 'apt.log');
  writeFileSync(
    path.join(bin, 'bwrap'),
    `#!/bin/sh\nif [ -e '${flag}' ]; then exec /usr/bin/bwrap "$@"; fi\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n`,
    { mode: 0o755 },
  );
  writeFileSync(
    path.join(bin, 'apt-get'),
    `#!/bin/sh\necho "$*" >> '${aptLog}'\ncase "$*" in *install*bubblewrap*) touch '${flag}';; esac\n`,
    { mode: 0o755 },
  );
  writeFileSync(path.join(bin, 'sudo'), `#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n`, { mode: 0o755 });
  return { env: { PATH: `${bin}:${process.env.PATH ?? ''}` }, aptLog };
}

describe('the sandbox input on runners without namespaces', () => {
  it('auto sets bubblewrap up on a GitHub-hosted runner and grades in namespaces', async () => {
    const { env, aptLog } = restrictedRunner();
    const r = await runAction(
      { models: 'reference', comment: 'never' },
      { event: 'pull_request', pr: 30, env: { ...env, RUNNER_ENVIRONMENT: 'github-hosted' } },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(readFileSync(aptLog, 'utf8')).toMatch(/install -y --no-install-recommends bubblewrap/);
    expect(r.stdout).toContain('isolation: namespaces (bubblewrap set up on this runner)');
    expect(readResults(r.outputs['results-path']!).sandbox.level).toBe('namespaces');
    expect(r.summary).not.toContain('**Isolation:');
  });

  it('auto on a self-hosted runner goes on at process level and the summary says so first', async () => {
    const { env } = restrictedRunner();
    const r = await runAction(
      { models: 'reference', comment: 'never' },
      { event: 'pull_request', pr: 30, env: { ...env, RUNNER_ENVIRONMENT: 'self-hosted' } },
    );
    expect(r.code, r.stdout).toBe(0);
    const top = r.summary.split('\n').slice(0, 5).join('\n');
    expect(top).toMatch(
      /^> ⚠️ \*\*Isolation: process\*\* — model-written code ran without namespace isolation/m,
    );
    expect(r.annotations.map((a) => a.message).join('\n')).toMatch(
      /sandbox: model-written code runs with process-level isolation only/,
    );
  });

  it('required fails the step with one line before any model call', async () => {
    const { env } = restrictedRunner();
    const before = anthropic.requests.length;
    const r = await runAction(
      { models: 'anthropic/claude-sonnet-4-6', sandbox: 'required' },
      { event: 'pull_request', pr: 30, env: { ...env, RUNNER_ENVIRONMENT: 'self-hosted' } },
    );
    expect(r.code).toBe(1);
    expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^input "sandbox": required, but namespace isolation is not available: not a GitHub-hosted runner/,
      ),
    ]);
    expect(anthropic.requests.length).toBe(before);
  });
});

describe('sticky comments per matrix leg and per step', () => {
  it('two matrix legs and a second step in one job keep one comment each, each updated in place', async () => {
    const legs = ['{"suite": "mini", "leg": "a"}', '{"suite": "mini", "leg": "b"}'];
    for (const round of [1, 2])
      for (const leg of legs) {
        const r = await runAction(
          { models: 'reference', 'comment-id': leg },
          { event: 'pull_request', pr: 31 },
        );
        expect(r.code, `${round} ${leg}`).toBe(0);
      }
    const second = await runAction(
      { models: 'reference' },
      { event: 'pull_request', pr: 31, env: { GITHUB_ACTION: '__atomicolabs_aibench-action_2' } },
    );
    expect(second.code).toBe(0);
    const markers = github.commentsOn(31).map((c) => c.body.split('\n')[0]);
    expect(markers).toEqual([
      '<!-- aibench-action:sticky AIBench/bench (suite_mini_ leg_a) -->',
      '<!-- aibench-action:sticky AIBench/bench (suite_mini_ leg_b) -->',
      '<!-- aibench-action:sticky AIBench/bench __atomicolabs_aibench-action_2 -->',
    ]);
  });
});

describe('api-keys: keys for providers declared in aibench.yml', () => {
  it('reach the provider, are masked in the log, and a malformed line fails up front without echoing a value', async () => {
    const dir = tempDir('aibench-config-');
    const config = path.join(dir, 'aibench.yml');
    writeFileSync(
      config,
      `providers:\n  acme:\n    baseUrl: ${deepseek.baseURL}\n    apiKeyEnv: ACME_API_KEY\nprices:\n  asOf: 2026-11-20\n  models:\n    acme/acme-coder-2: { input: 0.5, output: 1.5 }\n`,
    );
    plans.deepseek = ['reference'];
    const before = deepseek.requests.length;
    const r = await runAction(
      {
        models: 'acme/acme-coder-2',
        config,
        comment: 'never',
        'api-keys': '# from secrets.API_KEYS\nACME_API_KEY=sk-acme-secret-1234\n',
      },
      { event: 'pull_request', pr: 32, keys: false },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('::add-mask::sk-acme-secret-1234');
    expect(r.stdout.split('sk-acme-secret-1234')).toHaveLength(2); // the mask command only
    expect(deepseek.requests.slice(before).map((q) => q.headers.authorization)).toEqual([
      'Bearer sk-acme-secret-1234',
    ]);
    expect(r.outputs.passed).toBe('1');

    const bad = await runAction(
      { models: 'acme/acme-coder-2', config, 'api-keys': 'sk-acme-secret-1234' },
      { event: 'pull_request', pr: 32, keys: false },
    );
    expect(bad.code).toBe(1);
    expect(bad.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      'input "api-keys": line 1 is not NAME=value (write one key a line, e.g. ACME_API_KEY=<key>)',
    ]);
    expect(bad.stdout).not.toContain('sk-acme-secret-1234');
  });
});

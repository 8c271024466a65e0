/**
 * The action as GitHub runs it: the bundled dist/index.js under Node 24 (the runtime action.yml names),
 * with the environment a runner sets, the GitHub REST API mocked locally and model calls going to the
 * mock model servers. Uses the tiny mini/L1-clamp Rust task so every run grades in about a second.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults, serializeResults } from '../src/results/io.js';
import { MockGithubApi } from './support/mock-github.js';
import { MockLlmServer } from './support/mock-llm.js';
import { hugeResults } from './support/results-fixtures.js';
import { FIXTURE_TASKS, miniTask, replyWith, tempDir } from './support/run-helpers.js';

const execFileP = promisify(execFile);
// AIBENCH_ACTION_ENTRY: a fresh bundle elsewhere (e.g. .cache/dist-test/index.js), to test source changes
// without rewriting the committed dist/.
const ENTRY = path.resolve(process.env.AIBENCH_ACTION_ENTRY ?? 'dist/index.js');
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
  if (!existsSync(ENTRY)) throw new Error('dist/index.js is missing: run `npm run bundle`');
  github = await new MockGithubApi(...(REPO.split('/') as [string, string])).start();
  anthropic = await new MockLlmServer('anthropic', scripted('anthropic')).start();
  deepseek = await new MockLlmServer('openai', scripted('deepseek')).start();
  // 120 comments by people first, so the action must follow the Link header to page 2 to find its own.
  github.seed(7, 120);
});
afterAll(async () => {
  await Promise.all([github?.stop(), anthropic?.stop(), deepseek?.stop()]);
});

function event(kind: 'pull_request' | 'fork' | 'schedule', pr = 7): unknown {
  if (kind === 'schedule') return { schedule: '0 3 * * *' };
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
  opts: { event: 'pull_request' | 'fork' | 'schedule'; pr?: number; token?: string; keys?: boolean },
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
  const isPr = opts.event !== 'schedule';
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: isPr ? 'pull_request' : 'schedule',
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
    GITHUB_REF: isPr ? `refs/pull/${opts.pr ?? 7}/merge` : 'refs/heads/main',
    GITHUB_SHA: isPr
      ? 'feed000000000000000000000000000000000001'
      : 'ba5e000000000000000000000000000000000001',
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    AIBENCH_CACHE: cacheDir,
    AIBENCH_RETRY_BASE_MS: '5',
    ANTHROPIC_BASE_URL: anthropic.baseURL,
    DEEPSEEK_BASE_URL: deepseek.baseURL,
    ...(opts.keys === false ? {} : { ANTHROPIC_API_KEY: 'sk-ant-test', DEEPSEEK_API_KEY: 'sk-ds-test' }),
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
      '### Infra errors',
      '### Per-task detail (Tables IV–VII)',
      '**isolation:**',
      '**fingerprints:**',
    ]) {
      expect(r.summary).toContain(heading);
    }
    expect(r.summary).toMatch(/<details><summary><b>anthropic\/claude-sonnet-4-6<\/b> — 1\/1 passed/);
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

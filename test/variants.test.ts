import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../src/config/load.js';
import { configFileSchema, type ConfigFile } from '../src/config/schema.js';
import { OUTPUT_CONTRACT, SYSTEM_PROMPT } from '../src/prompt/build.js';
import { defaultProfile, profilesFor, retryMessageFor, taskMessageFor } from '../src/prompt/variants.js';
import { compareResults } from '../src/results/baseline.js';
import { comparisonSection } from '../src/report/summary.js';
import { MockLlmServer, textOf, type RecordedRequest } from './support/mock-llm.js';
import { miniTask, replyWith, runMini, tempDir } from './support/run-helpers.js';

const servers: MockLlmServer[] = [];
async function mock(wire: 'anthropic' | 'openai', fallback?: ConstructorParameters<typeof MockLlmServer>[1]) {
  const server = await new MockLlmServer(wire, fallback).start();
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** Writes files into a fresh folder and an aibench.yml beside them; returns the loaded config. */
function repo(files: Record<string, string>, yml: string): { dir: string; config: ConfigFile } {
  const dir = tempDir('aibench-variants-');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  writeFileSync(path.join(dir, 'aibench.yml'), yml);
  return { dir, config: loadConfigFile(path.join(dir, 'aibench.yml')).config };
}

const systemText = (r: RecordedRequest): string => textOf(r.body.system);

describe('variants: prompt files and settings from aibench.yml', () => {
  it('resolves prompt paths beside the config file and refuses typos before anything is spent', () => {
    const { dir, config } = repo(
      {
        'prompts/system.md': 'You are Acme support bot.',
        'prompts/task.md': 'Ticket:\n{{ticket}}\n{{starter}}',
      },
      'variants:\n  v2:\n    system: prompts/system.md\n    task: prompts/task.md\n',
    );
    expect(config.variants.v2!.system).toBe(path.join(dir, 'prompts/system.md'));
    const profile = profilesFor([{ name: 'v2', label: 'v2' }], config.variants).get('v2')!;
    expect(profile.system).toBe(`You are Acme support bot.\n\n${OUTPUT_CONTRACT}`);
    const message = taskMessageFor(miniTask(), profile).content;
    expect(message.startsWith(`Ticket:\n${miniTask().prompt.trim()}`)).toBe(true);
    expect(message).toContain('src/lib.rs');

    const bad = (variant: string) => () =>
      profilesFor(
        [{ name: 'x', label: 'x' }],
        configFileSchema.parse({ variants: { x: JSON.parse(variant) } }).variants,
      );
    expect(bad(`{"system": "${dir}/nope.md"}`)).toThrow(/variants\.x\.system: .*nope\.md is not a file/);
    writeFileSync(path.join(dir, 'typo.md'), 'Fix it: {{feedbak}}');
    expect(bad(`{"retry": "${dir}/typo.md"}`)).toThrow(
      /variants\.x\.retry: unknown placeholder \{\{feedbak\}\}/,
    );
    expect(bad('{"thinking": 4000, "temperature": 0.2}')).toThrow(/drop temperature or thinking/);
    expect(bad('{"thinking": 8000, "maxTokens": 4000}')).toThrow(/must exceed the thinking budget/);
    // A label that is no variant keeps the built-in prompt.
    expect(profilesFor([{ name: 'fast', label: 'fast' }], {}).get('fast')!.system).toBe(SYSTEM_PROMPT);
  });

  it("builds each task's first message once per variant: trials waiting for a model share it", () => {
    const { config } = repo({ 'task.md': 'Ticket:\n{{ticket}}' }, 'variants:\n  v2:\n    task: task.md\n');
    const v2 = profilesFor([{ name: 'v2', label: 'v2' }], config.variants).get('v2')!;
    const task = miniTask();
    const first = taskMessageFor(task, v2);
    expect(taskMessageFor(task, v2)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    // Another variant, or another task, gets its own message.
    expect(taskMessageFor(task, defaultProfile()).content).not.toBe(first.content);
    const other = miniTask();
    expect(taskMessageFor(other, v2)).not.toBe(first);
    expect(taskMessageFor(other, v2).content).toBe(first.content);
  });

  it('the retry template wraps the grader feedback; --system-prompt keeps the output contract', () => {
    const { dir, config } = repo(
      { 'retry.md': 'Attempt {{attempt}}/{{attempts}} failed:\n{{feedback}}' },
      'variants:\n  r:\n    retry: retry.md\n',
    );
    const profile = profilesFor([{ name: 'r', label: 'r' }], config.variants).get('r')!;
    expect(retryMessageFor('test x failed', 1, 3, profile).content).toBe(
      'Attempt 1/3 failed:\ntest x failed',
    );
    writeFileSync(path.join(dir, 'sys.md'), 'Be terse.');
    const custom = defaultProfile(path.join(dir, 'sys.md'));
    expect(custom.system).toBe(`Be terse.\n\n${OUTPUT_CONTRACT}`);
    expect(custom.hash).not.toBe(defaultProfile().hash);
  });

  it("Anthropic: two variants of one model are two rows; each variant's prompt and settings reach the wire and the results", async () => {
    const task = miniTask();
    const { config } = repo(
      { 'prompts/a.md': 'PROMPT-A: you write Rust.', 'prompts/b.md': 'PROMPT-B: you write careful Rust.' },
      [
        'variants:',
        '  a:',
        '    system: prompts/a.md',
        '    temperature: 0.2',
        '    maxTokens: 3000',
        '    cache: false',
        '  b:',
        '    system: prompts/b.md',
        '    contract: none',
        '    thinking: 2048',
        '    maxTokens: 6000',
      ].join('\n'),
    );
    // The mock answers by prompt: variant a gets a wrong solution, variant b the right one.
    const server = await mock('anthropic', (req) => ({
      text: replyWith(task, systemText(req).startsWith('PROMPT-B') ? 'reference' : 'no-swap'),
    }));
    const { results, outDir } = await runMini(
      ['anthropic/claude-sonnet-4-6@a', 'anthropic/claude-sonnet-4-6@b'],
      { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.baseURL },
      { attempts: 1 },
      { config },
    );
    expect(results.trials.map((t) => [t.model, t.outcome])).toEqual([
      ['a', 'test'],
      ['b', 'pass'],
    ]);
    const sent = (prefix: string) => server.requests.find((r) => systemText(r).startsWith(prefix))!.body;
    expect(systemText({ body: sent('PROMPT-A') } as RecordedRequest)).toBe(
      `PROMPT-A: you write Rust.\n\n${OUTPUT_CONTRACT}`,
    );
    expect(systemText({ body: sent('PROMPT-B') } as RecordedRequest)).toBe(
      'PROMPT-B: you write careful Rust.',
    );
    expect(sent('PROMPT-A')).toMatchObject({ temperature: 0.2, max_tokens: 3000 });
    expect(sent('PROMPT-A').thinking).toBeUndefined();
    expect(sent('PROMPT-B')).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 2048 },
      max_tokens: 6000,
    });
    expect(sent('PROMPT-B').temperature).toBeUndefined();
    // cache: false sends plain strings; the default marks the prefix.
    expect(typeof sent('PROMPT-A').system).toBe('string');
    expect(sent('PROMPT-B').system).toEqual([
      expect.objectContaining({ cache_control: { type: 'ephemeral' } }),
    ]);

    const [a, b] = results.models;
    expect(a!.prompt).toMatchObject({
      variant: 'a',
      system: expect.stringContaining('prompts/a.md'),
      contract: 'append',
    });
    expect(b!.prompt).toMatchObject({ variant: 'b', contract: 'none' });
    expect(a!.prompt!.hash).not.toBe(b!.prompt!.hash);
    expect(a!.settings).toEqual({ maxTokens: 3000, cache: false, temperature: 0.2 });
    expect(b!.settings).toEqual({ maxTokens: 6000, cache: true, thinking: 2048 });
    const report = readFileSync(path.join(outDir, 'report.md'), 'utf8');
    expect(report).toContain('## Prompts and settings');
    expect(report).toMatch(
      /\| a +\| `[0-9a-f]{6}` .*prompts\/a\.md.*temperature 0\.2 · max 3000 tokens · cache off/,
    );
    expect(report).toMatch(/\| b +\| .*prompts\/b\.md \(no output contract\).*thinking 2048/);
  });

  it('OpenAI: temperature and reasoning_effort reach the wire, the variant prompt is the system message', async () => {
    const task = miniTask();
    const { config } = repo(
      { 'sys.md': 'PROMPT-O' },
      'variants:\n  o:\n    system: sys.md\n    temperature: 0.7\n    reasoningEffort: medium\n',
    );
    const server = (await mock('openai')).script({ text: replyWith(task, 'reference') });
    const { results } = await runMini(
      ['openai/gpt-5@o'],
      { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: server.baseURL },
      { attempts: 1 },
      { config },
    );
    expect(results.trials[0]!.passed).toBe(true);
    const body = server.requests[0]!.body;
    expect(body).toMatchObject({ temperature: 0.7, reasoning_effort: 'medium' });
    expect(body.messages[0]).toEqual({ role: 'system', content: `PROMPT-O\n\n${OUTPUT_CONTRACT}` });
    expect(results.models[0]!.settings).toMatchObject({ temperature: 0.7, reasoningEffort: 'medium' });
  });

  it('a prompt PR: the same model row with a changed prompt file is compared as the change under test', async () => {
    const task = miniTask();
    const server = await mock('anthropic', (req) => ({
      text: replyWith(
        task,
        systemText(req).includes('clamp bounds given in either order') ? 'reference' : 'no-swap',
      ),
      usage: { input: 1200, output: 400 },
    }));
    const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.baseURL };
    const yml = 'variants:\n  support:\n    system: prompts/system.md\n';
    const main = repo({ 'prompts/system.md': 'You are a Rust engineer.' }, yml);
    const pr = repo(
      { 'prompts/system.md': 'You are a Rust engineer. Always clamp bounds given in either order.' },
      yml,
    );
    const model = ['anthropic/claude-sonnet-4-6@support'];
    const base = (await runMini(model, env, { attempts: 1 }, { config: main.config })).results;
    const head = (await runMini(model, env, { attempts: 1 }, { config: pr.config })).results;
    const cmp = compareResults(head, base);
    expect(cmp.promptChanges).toEqual([
      { model: 'support', base: base.models[0]!.prompt!.hash, head: head.models[0]!.prompt!.hash },
    ]);
    expect(cmp.warnings.filter((w) => /prompt/.test(w))).toEqual([]);
    expect(cmp.fixes.map((f) => f.task)).toEqual(['mini/L1-clamp']);
    const text = comparisonSection(cmp, { trials: 1, maxFlips: 10 });
    expect(text.split('\n')[0]).toBe(
      `**📝 System prompt changed (${base.models[0]!.prompt!.hash.slice(0, 6)} → ${head.models[0]!.prompt!.hash.slice(0, 6)})** for \`support\`: the flips and deltas below are the change under test.`,
    );
    if (process.env.AIBENCH_PRINT_COMPARISON) console.log(text);
  });
});

describe('prompt caching', () => {
  /** Three attempts (wrong, wrong, right) against a mock that bills input the way the vendor cache would. */
  async function threeAttempts(cache: boolean) {
    const task = miniTask();
    const server = await mock('anthropic');
    server.simulateCache = true;
    server.script(
      { text: replyWith(task, 'no-swap'), usage: { output: 400 } },
      { text: replyWith(task, 'no-swap'), usage: { output: 400 } },
      { text: replyWith(task, 'reference'), usage: { output: 400 } },
    );
    const { config } = repo({}, `variants:\n  c:\n    cache: ${cache}\n`);
    const { results } = await runMini(
      ['anthropic/claude-sonnet-4-6@c'],
      { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.baseURL },
      { attempts: 3 },
      { config },
    );
    return { trial: results.trials[0]!, server };
  }

  it('Anthropic: the system prompt and task message carry cache_control; retries read them from cache and are priced so', async () => {
    const on = await threeAttempts(true);
    const off = await threeAttempts(false);
    expect(on.trial.passedAtAttempt).toBe(3);
    expect(off.trial.passedAtAttempt).toBe(3);
    for (const r of on.server.requests) {
      expect(r.body.system).toEqual([
        { type: 'text', text: expect.any(String), cache_control: { type: 'ephemeral' } },
      ]);
      expect(r.body.messages[0]!.content).toEqual([
        { type: 'text', text: expect.any(String), cache_control: { type: 'ephemeral' } },
      ]);
    }
    const [u1, u2, u3] = on.trial.attempts.map((a) => a.usage);
    expect(u1!.cacheWriteTokens).toBeGreaterThan(0);
    expect(u1!.cacheReadTokens).toBe(0);
    expect(u2!.cacheReadTokens).toBe(u1!.cacheWriteTokens);
    expect(u3!.cacheReadTokens).toBe(u1!.cacheWriteTokens);
    expect(off.trial.attempts.every((a) => a.usage.cacheReadTokens + a.usage.cacheWriteTokens === 0)).toBe(
      true,
    );
    // Sonnet 4.6: $3 input, $3.75 cache write, $0.30 cache read, $15 output per MTok.
    for (const a of on.trial.attempts) {
      const u = a.usage;
      expect(a.cost).toBeCloseTo(
        (u.inputTokens * 3 + u.cacheWriteTokens * 3.75 + u.cacheReadTokens * 0.3 + u.outputTokens * 15) / 1e6,
        12,
      );
    }
    // Same prompt tokens either way; only the billing differs.
    const promptTokens = (u: typeof u1) => u!.inputTokens + u!.cacheWriteTokens + u!.cacheReadTokens;
    expect(on.trial.attempts.map((a) => promptTokens(a.usage))).toEqual(
      off.trial.attempts.map((a) => promptTokens(a.usage)),
    );
    const inputCost = (t: typeof on.trial) => t.cost! - (t.usage.outputTokens * 15) / 1e6;
    expect(inputCost(on.trial)).toBeLessThan(inputCost(off.trial));
  });
});

import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../src/agents/config.js';
import { agentDefinition } from '../src/agents/presets.js';
import { parseModelSpec } from '../src/models/spec.js';
import { tempDir } from './support/run-helpers.js';

/** A PATH holding a fake npm-installed CLI (a link into its package, as npm lays it out). */
function fakeCli(name: string, pkg: string): { PATH: string; pkgDir: string } {
  const root = tempDir('aibench-cli-');
  const pkgDir = path.join(root, 'node_modules', ...pkg.split('/'));
  mkdirSync(pkgDir, { recursive: true });
  writeFileSync(path.join(pkgDir, 'cli.js'), '#!/usr/bin/env node\n');
  chmodSync(path.join(pkgDir, 'cli.js'), 0o755);
  const bin = path.join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, name), `#!/bin/sh\nexec ${path.join(pkgDir, 'cli.js')} "$@"\n`);
  chmodSync(path.join(bin, name), 0o755);
  return { PATH: bin, pkgDir: path.join(root, 'bin') };
}

const turn = (attempt: number) => ({
  attempt,
  continues: attempt > 1,
  proxy: { anthropic: 'http://127.0.0.1:48111', openai: 'http://127.0.0.1:48111/v1' },
});

describe('agent presets and specs', () => {
  it('parses agent:<name> specs and refuses malformed ones', () => {
    expect(parseModelSpec('agent:claude-code/claude-sonnet-4-6')).toMatchObject({
      provider: 'agent',
      model: 'claude-code/claude-sonnet-4-6',
      name: 'agent:claude-code/claude-sonnet-4-6',
    });
    expect(() => parseModelSpec('agent:')).toThrow(/is not agent:<name>/);
  });

  it('claude-code: non-interactive -p, the model, edits without prompts, retries continue the conversation; priced as anthropic/<model>', () => {
    const { PATH } = fakeCli('claude', '@anthropic-ai/claude-code');
    const def = agentDefinition('claude-code/claude-sonnet-4-6', {}, { PATH });
    expect(def.pricedAs).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-6' });
    const [bin, ...args] = def.argv('do it', turn(1));
    expect(bin).toMatch(/claude$|cli\.js$/);
    expect(args).toEqual([
      '-p',
      'do it',
      '--model',
      'claude-sonnet-4-6',
      '--permission-mode',
      'bypassPermissions',
      '--output-format',
      'text',
    ]);
    expect(def.argv('fix it', turn(2))).toContain('--continue');
    expect(def.env).toMatchObject({ DISABLE_TELEMETRY: '1', DISABLE_AUTOUPDATER: '1' });
    expect(Object.keys(def.env).some((k) => /KEY|TOKEN/.test(k))).toBe(false);
  });

  it('codex: `codex exec` with the model, priced as openai/<model>; a missing CLI is one clear line', () => {
    const { PATH } = fakeCli('codex', '@openai/codex');
    const def = agentDefinition('codex/gpt-5', {}, { PATH });
    expect(def.pricedAs).toEqual({ provider: 'openai', model: 'gpt-5' });
    const first = def.argv('do it', turn(1));
    expect(first.slice(1, 4)).toEqual(['exec', '--model', 'gpt-5']);
    // The prompt comes on stdin; model calls go to the proxy over the Responses API.
    expect(first.at(-1)).toBe('-');
    expect(first).not.toContain('do it');
    expect(first).toContain('model_providers.aibench.base_url="http://127.0.0.1:48111/v1"');
    expect(first).toContain('check_for_update_on_startup=false');
    expect(def.argv('fix it', turn(2)).slice(1, 4)).toEqual(['exec', 'resume', '--last']);
    expect(() => agentDefinition('codex/gpt-5', {}, { PATH: '/nonexistent' })).toThrow(
      /agent:codex needs the codex CLI on PATH/,
    );
    expect(() => agentDefinition('mine', {}, { PATH })).toThrow(
      /unknown agent "agent:mine".*declare others under agents:/,
    );
  });

  it('a declared agent: its command, its timeout and the model it is priced as', () => {
    const decl = agentConfigSchema.parse({
      command: ['node', '/repo/agent/run.mjs'],
      model: 'deepseek/deepseek-chat',
      timeout: 60,
    });
    const def = agentDefinition('mine', { mine: decl }, {});
    expect(def.argv('ignored: prompt comes by file and stdin', turn(1))).toEqual([
      'node',
      '/repo/agent/run.mjs',
    ]);
    expect(def.pricedAs).toEqual({ provider: 'deepseek', model: 'deepseek-chat' });
    expect(def.timeoutMs).toBe(60_000);
    expect(def.readable).toEqual(['/repo/agent']);
  });
});

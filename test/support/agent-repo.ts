import { copyFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../../src/config/load.js';
import type { RunOptions } from '../../src/run/run.js';
import type { MockLlmServer } from './mock-llm.js';
import { runMini, tempDir } from './run-helpers.js';

const TEST_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REAL_KEY = 'sk-real-upstream-key-1234';

/** A user's repository with the scripted agent and an aibench.yml declaring it. */
export function agentRepo(args: string[], timeout = 120) {
  const dir = tempDir('aibench-agent-');
  copyFileSync(
    path.join(TEST_DIR, 'fixtures/agents/scripted-agent.mjs'),
    path.join(dir, 'scripted-agent.mjs'),
  );
  const deps = realpathSync(path.join(TEST_DIR, '..', 'node_modules'));
  symlinkSync(deps, path.join(dir, 'node_modules'));
  writeFileSync(
    path.join(dir, 'aibench.yml'),
    [
      'agents:',
      '  scripted:',
      `    command: [node, scripted-agent.mjs, ${args.join(', ')}]`,
      '    model: anthropic/claude-sonnet-4-6',
      `    timeout: ${timeout}`,
      `    readable: [${deps}]`,
    ].join('\n'),
  );
  return loadConfigFile(path.join(dir, 'aibench.yml')).config;
}

/** Runs agent:scripted on the mini task (2 attempts unless told), its upstream the given mock. */
export function runAgent(
  config: ReturnType<typeof agentRepo>,
  server: MockLlmServer,
  settings = {},
  extra: Partial<RunOptions> = {},
) {
  return runMini(
    ['agent:scripted'],
    { ANTHROPIC_API_KEY: REAL_KEY, ANTHROPIC_BASE_URL: server.baseURL },
    { attempts: 2, ...settings },
    { config, ...extra },
  );
}

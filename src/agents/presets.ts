import { accessSync, constants, realpathSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { AgentConfig } from './config.js';

/** How one agent is run: what the attempt loop needs, whatever the agent is. */
export interface AgentDefinition {
  /** `my-agent`, `claude-code/<model>`, `codex/<model>`. */
  name: string;
  /** The model its metered tokens are priced as, and whose vendor the proxy forwards to. */
  pricedAs: { provider: string; model: string };
  timeoutMs: number;
  /** Folders the agent must read inside its sandbox (its own code and dependencies). */
  readable: string[];
  /** The command for attempt `n` (1-based) given that attempt's prompt. */
  argv(prompt: string, attempt: number): string[];
  /** Extra environment (never a credential: keys are the proxy's placeholder). */
  env: Record<string, string>;
}

/** An npm-installed CLI is a link into its package: the package folder is what must be mounted. */
function packageDir(real: string): string {
  const marker = '/node_modules/';
  const at = real.lastIndexOf(marker);
  if (at < 0) return path.dirname(real);
  const rest = real.slice(at + marker.length).split('/');
  return real.slice(0, at + marker.length) + rest.slice(0, rest[0]!.startsWith('@') ? 2 : 1).join('/');
}

/** An executable found on the host's PATH, with the folder its real file lives in (to mount it). */
function findExecutable(
  name: string,
  hostEnv: NodeJS.ProcessEnv,
  hint: string,
): { bin: string; dir: string } {
  for (const dir of (hostEnv.PATH ?? '').split(':').filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      const real = realpathSync(candidate);
      const pkg = packageDir(real);
      return { bin: real, dir: pkg };
    } catch {
      // Not here.
    }
  }
  throw new UsageError(`--models: ${hint}`);
}

/** Anthropic's and OpenAI's CLIs talk to their vendors only while telemetry and updates are off. */
const QUIET_ENV = {
  DISABLE_TELEMETRY: '1',
  DISABLE_AUTOUPDATER: '1',
  DISABLE_ERROR_REPORTING: '1',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  CODEX_DISABLE_UPDATE_CHECK: '1',
};

/**
 * Resolves `agent:<name>`: a built-in preset (`claude-code/<model>`, `codex/<model>`) or an agent
 * declared under `agents:` in aibench.yml.
 */
export function agentDefinition(
  name: string,
  declared: Record<string, AgentConfig>,
  hostEnv: NodeJS.ProcessEnv,
): AgentDefinition {
  const preset = /^(claude-code|codex)\/(.+)$/.exec(name);
  if (preset) {
    const [, kind, model] = preset as unknown as [string, 'claude-code' | 'codex', string];
    if (kind === 'claude-code') {
      const { bin, dir } = findExecutable(
        'claude',
        hostEnv,
        'agent:claude-code needs the claude CLI on PATH (npm install @anthropic-ai/claude-code)',
      );
      return {
        name,
        pricedAs: { provider: 'anthropic', model },
        timeoutMs: 900_000,
        readable: [dir],
        // Non-interactive (-p); edits allowed without prompts (the harness's sandbox is the boundary);
        // retries continue the same conversation in the same workspace.
        argv: (prompt, attempt) => [
          bin,
          '-p',
          prompt,
          '--model',
          model,
          '--permission-mode',
          'bypassPermissions',
          '--output-format',
          'text',
          ...(attempt > 1 ? ['--continue'] : []),
        ],
        // The CLI refuses bypassPermissions as root unless told it is sandboxed, which it is.
        env: { ...QUIET_ENV, IS_SANDBOX: '1' },
      };
    }
    const { bin, dir } = findExecutable(
      'codex',
      hostEnv,
      'agent:codex needs the codex CLI on PATH (npm install @openai/codex)',
    );
    return {
      name,
      pricedAs: { provider: 'openai', model },
      timeoutMs: 900_000,
      readable: [dir],
      // `codex exec` is the non-interactive mode; its own sandbox is off because the harness's encloses it.
      argv: (prompt) => [
        bin,
        'exec',
        '--model',
        model,
        '--skip-git-repo-check',
        '--dangerously-bypass-approvals-and-sandbox',
        prompt,
      ],
      env: QUIET_ENV,
    };
  }
  const agent = declared[name];
  if (!agent) {
    const known = ['claude-code/<model>', 'codex/<model>', ...Object.keys(declared)].join(', ');
    throw new UsageError(
      `--models: unknown agent "agent:${name}" (known: ${known}; declare others under agents: in aibench.yml)`,
    );
  }
  const slash = agent.model.indexOf('/');
  return {
    name,
    pricedAs: { provider: agent.model.slice(0, slash), model: agent.model.slice(slash + 1) },
    timeoutMs: agent.timeout * 1000,
    // The agent's own files (arguments resolved beside aibench.yml) and what it declared readable.
    readable: [
      ...new Set([
        ...agent.command.filter((a) => path.isAbsolute(a)).map((a) => path.dirname(a)),
        ...agent.readable,
      ]),
    ],
    argv: () => [...agent.command],
    env: {},
  };
}

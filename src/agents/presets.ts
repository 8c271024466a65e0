import { accessSync, constants, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  /** The command for one run of the agent, given that run's prompt. */
  argv(prompt: string, turn: AgentTurn): string[];
  /** Extra environment (never a credential: keys are the proxy's placeholder). */
  env: Record<string, string>;
}

/** What one run of the agent knows besides its prompt. */
export interface AgentTurn {
  /** The attempt number (1-based). */
  attempt: number;
  /** The agent ran before in this workspace (its own session is there): it continues that session. */
  continues: boolean;
  /** The metering proxy as the agent reaches it: Anthropic's base URL (no `/v1`) and OpenAI's (with it). */
  proxy: { anthropic: string; openai: string };
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

/** Claude Code talks to its vendor only while telemetry, error reports and updates are off. */
const CLAUDE_QUIET_ENV = {
  DISABLE_TELEMETRY: '1',
  DISABLE_AUTOUPDATER: '1',
  DISABLE_ERROR_REPORTING: '1',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
};

/**
 * Codex's config overrides (`-c key=value`, TOML values): no update check, analytics or feedback
 * uploads, no plugin marketplace sync (it reaches GitHub at start-up otherwise), and its model calls
 * go to a provider named `aibench`: the metering proxy, over the Responses API with the placeholder key
 * from OPENAI_API_KEY. (Codex's built-in `openai` provider ignores OPENAI_BASE_URL and prefers a
 * WebSocket transport the proxy does not speak.)
 */
function codexConfig(proxyOpenAi: string): string[] {
  return [
    'check_for_update_on_startup=false',
    'analytics.enabled=false',
    'feedback.enabled=false',
    'features.plugins=false',
    'model_provider="aibench"',
    'model_providers.aibench.name="aibench metering proxy"',
    `model_providers.aibench.base_url=${JSON.stringify(proxyOpenAi)}`,
    'model_providers.aibench.env_key="OPENAI_API_KEY"',
    'model_providers.aibench.wire_api="responses"',
  ].flatMap((kv) => ['-c', kv]);
}

/**
 * The npm `codex` launcher runs a native binary from a per-platform package (an optional dependency,
 * e.g. `@openai/codex-linux-x64`): that package must be readable in the sandbox too.
 */
function codexNativeDir(pkgDir: string): string[] {
  try {
    const require = createRequire(path.join(pkgDir, 'package.json'));
    const manifest = require.resolve(`@openai/codex-${process.platform}-${process.arch}/package.json`);
    return [path.dirname(realpathSync(manifest))];
  } catch {
    // Not installed: the launcher says which package is missing, in the attempt's output.
    return [];
  }
}

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
        argv: (prompt, turn) => [
          bin,
          '-p',
          prompt,
          '--model',
          model,
          '--permission-mode',
          'bypassPermissions',
          '--output-format',
          'text',
          ...(turn.continues ? ['--continue'] : []),
        ],
        // The CLI refuses bypassPermissions as root unless told it is sandboxed, which it is.
        env: { ...CLAUDE_QUIET_ENV, IS_SANDBOX: '1' },
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
      readable: [dir, ...codexNativeDir(dir)],
      // `codex exec` is the non-interactive mode (`exec resume --last` continues its session on a retry);
      // its own sandbox and approvals are off because the harness's sandbox encloses it. The prompt comes
      // on stdin (`-`): an argument as well would be sent twice, and argv limits its length.
      argv: (_prompt, turn) => [
        bin,
        'exec',
        ...(turn.continues ? ['resume', '--last'] : []),
        '--model',
        model,
        '--skip-git-repo-check',
        '--dangerously-bypass-approvals-and-sandbox',
        ...codexConfig(turn.proxy.openai),
        '-',
      ],
      env: {},
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

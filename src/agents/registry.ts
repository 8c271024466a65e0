import type { ProviderConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { vendorFor } from '../models/registry.js';
import type { ModelSpec } from '../models/types.js';
import type { AgentConfig } from './config.js';
import { agentDefinition } from './presets.js';
import type { Upstream } from './proxy.js';
import type { AgentProvider } from './trial.js';

export interface AgentContext {
  env: NodeJS.ProcessEnv;
  configProviders: Record<string, ProviderConfig>;
  agents: Record<string, AgentConfig>;
  /** Per upstream call (the run's --request-timeout). */
  timeoutMs: number;
}

/**
 * Builds the agent for an `agent:<name>` spec: its definition, and the upstream its metered calls go
 * to — the vendor of the model it is priced as, with that vendor's real key from the harness's env.
 * Throws a UsageError (exit 2) for an unknown agent or an unset key, before anything is spent.
 */
export function createAgent(spec: ModelSpec, ctx: AgentContext): AgentProvider {
  const def = agentDefinition(spec.model, ctx.agents, ctx.env);
  const target: ModelSpec = {
    raw: `${def.pricedAs.provider}/${def.pricedAs.model}`,
    name: spec.name,
    ...def.pricedAs,
  };
  const vendor = vendorFor(target, {
    env: ctx.env,
    configProviders: ctx.configProviders,
    tasks: new Map(),
    timeoutMs: 0,
    retry: { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0 },
  });
  const apiKey = vendor.keyEnv ? ctx.env[vendor.keyEnv]?.trim() : 'not-needed';
  if (!apiKey)
    throw new UsageError(`missing API key: set ${vendor.keyEnv} for ${spec.raw} (nothing was run or spent)`);
  const baseUrl =
    ctx.env[vendor.baseUrlEnv]?.trim() ||
    vendor.defaultBaseUrl ||
    (vendor.wire === 'anthropic' ? 'https://api.anthropic.com' : 'https://api.openai.com/v1');
  const upstream: Upstream = { baseUrl, apiKey };
  return {
    kind: 'agent',
    spec,
    def,
    upstreams: vendor.wire === 'anthropic' ? { anthropic: upstream } : { openai: upstream },
    timeoutMs: ctx.timeoutMs,
  };
}

import type { ProviderConfig } from '../config/schema.js';
import { UsageError, didYouMean } from '../errors.js';
import type { Task } from '../tasks/loader.js';
import { AnthropicProvider } from './anthropic.js';
import { OpenAICompatibleProvider } from './openai-compatible.js';
import { ReferenceProvider } from './reference.js';
import { ReplayProvider } from './replay.js';
import type { RetryPolicy } from './retry.js';
import type { ModelSpec, Provider } from './types.js';

export interface Vendor {
  wire: 'anthropic' | 'openai';
  /** Env var with the API key; null for keyless local servers. */
  keyEnv: string | null;
  /** Env var overriding the base URL (the SDKs' own for Anthropic and OpenAI). */
  baseUrlEnv: string;
  /** Undefined: the SDK's own default. */
  defaultBaseUrl?: string;
  maxTokensParam?: 'max_tokens' | 'max_completion_tokens';
}

/** Built-in vendors. One line each: an OpenAI-compatible vendor needs nothing but its base URL and key. */
export const VENDORS: Record<string, Vendor> = {
  anthropic: { wire: 'anthropic', keyEnv: 'ANTHROPIC_API_KEY', baseUrlEnv: 'ANTHROPIC_BASE_URL' },
  openai: {
    wire: 'openai',
    keyEnv: 'OPENAI_API_KEY',
    baseUrlEnv: 'OPENAI_BASE_URL',
    maxTokensParam: 'max_completion_tokens',
  },
  deepseek: {
    wire: 'openai',
    keyEnv: 'DEEPSEEK_API_KEY',
    baseUrlEnv: 'DEEPSEEK_BASE_URL',
    defaultBaseUrl: 'https://api.deepseek.com',
  },
  tencent: {
    wire: 'openai',
    keyEnv: 'TENCENT_API_KEY',
    baseUrlEnv: 'TENCENT_BASE_URL',
    defaultBaseUrl: 'https://api.hunyuan.cloud.tencent.com/v1',
  },
  openrouter: {
    wire: 'openai',
    keyEnv: 'OPENROUTER_API_KEY',
    baseUrlEnv: 'OPENROUTER_BASE_URL',
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
  },
  ollama: {
    wire: 'openai',
    keyEnv: null,
    baseUrlEnv: 'OLLAMA_BASE_URL',
    defaultBaseUrl: 'http://localhost:11434/v1',
  },
};

export interface ProviderContext {
  env: NodeJS.ProcessEnv;
  configProviders: Record<string, ProviderConfig>;
  tasks: ReadonlyMap<string, Task>;
  timeoutMs: number;
  retry: RetryPolicy;
}

/** The vendor (wire, key variable, base URL) a model spec is reached through. */
export function vendorFor(spec: ModelSpec, ctx: ProviderContext): Vendor {
  const declared = ctx.configProviders[spec.provider];
  if (declared) {
    const upper = spec.provider.toUpperCase().replace(/-/g, '_');
    return {
      wire: declared.wire,
      keyEnv: declared.apiKeyEnv ?? null,
      baseUrlEnv: `${upper}_BASE_URL`,
      defaultBaseUrl: declared.baseUrl,
    };
  }
  const builtin = VENDORS[spec.provider];
  if (!builtin) {
    const names = [...Object.keys(VENDORS), ...Object.keys(ctx.configProviders), 'reference', 'replay'];
    throw new UsageError(
      `--models: unknown provider "${spec.provider}" in "${spec.raw}"${didYouMean(spec.provider, names)} (known: ${names.join(', ')}; declare others under providers: in aibench.yml)`,
    );
  }
  return builtin;
}

/** The env vars the given models need that are unset: checked before anything is spent. */
export function missingKeys(specs: ModelSpec[], ctx: Omit<ProviderContext, 'tasks'>): string[] {
  const missing = new Set<string>();
  for (const spec of specs) {
    if (spec.provider === 'reference' || spec.provider === 'replay' || spec.provider === 'agent') continue;
    const vendor = vendorFor(spec, { ...ctx, tasks: new Map() });
    if (vendor.keyEnv && !ctx.env[vendor.keyEnv]?.trim()) missing.add(vendor.keyEnv);
  }
  return [...missing];
}

/** Builds one provider per model spec; throws a UsageError (exit 2) naming the first unset key. */
export function createProviders(specs: ModelSpec[], ctx: ProviderContext): Provider[] {
  const missing = missingKeys(specs, ctx);
  if (missing.length) {
    throw new UsageError(`missing API key: set ${missing.join(', ')} (nothing was run or spent)`);
  }
  return specs.map((spec): Provider => {
    if (spec.provider === 'reference') return new ReferenceProvider(spec, ctx.tasks);
    if (spec.provider === 'replay') return new ReplayProvider(spec);
    const vendor = vendorFor(spec, ctx);
    const apiKey = vendor.keyEnv ? ctx.env[vendor.keyEnv]!.trim() : 'not-needed';
    const baseURL = ctx.env[vendor.baseUrlEnv]?.trim() || vendor.defaultBaseUrl;
    const common = { apiKey, baseURL, timeoutMs: ctx.timeoutMs, retry: ctx.retry };
    return vendor.wire === 'anthropic'
      ? new AnthropicProvider(spec, common)
      : new OpenAICompatibleProvider(spec, {
          ...common,
          maxTokensParam: vendor.maxTokensParam ?? 'max_tokens',
        });
  });
}

import OpenAI from 'openai';
import { collectModelIds } from './check-ids.js';
import type { HttpProviderOptions } from './anthropic.js';
import { assertCompleteReply, InfraFault } from './faults.js';
import { withRetries } from './retry.js';
import type { ChatReply, ChatRequest, ModelSpec, Provider, Usage } from './types.js';

interface VendorUsage extends OpenAI.CompletionUsage {
  /** DeepSeek reports its context-cache split this way. */
  prompt_cache_hit_tokens?: number;
}

export function openaiUsage(u: VendorUsage | undefined): Usage | null {
  if (!u || typeof u.prompt_tokens !== 'number') return null;
  const cached = u.prompt_tokens_details?.cached_tokens ?? u.prompt_cache_hit_tokens ?? 0;
  return {
    inputTokens: Math.max(0, u.prompt_tokens - cached),
    outputTokens: u.completion_tokens ?? 0,
    cacheWriteTokens: 0,
    cacheReadTokens: cached,
    reasoningTokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

/**
 * OpenAI and every OpenAI-compatible vendor (DeepSeek, Tencent Hunyuan, OpenRouter, Ollama, any endpoint
 * from aibench.yml) through the official openai SDK (Chat Completions).
 */
export class OpenAICompatibleProvider implements Provider {
  private readonly client: OpenAI;
  constructor(
    readonly spec: ModelSpec,
    private readonly opts: HttpProviderOptions & { maxTokensParam: 'max_tokens' | 'max_completion_tokens' },
  ) {
    this.client = new OpenAI({
      apiKey: opts.apiKey,
      baseURL: opts.baseURL,
      maxRetries: 0,
      timeout: opts.timeoutMs,
    });
  }

  /** The models endpoint (free, no tokens): lets a mistyped model id be caught before anything is spent. */
  listModels(): Promise<string[] | null> {
    return collectModelIds(() => this.client.models.list());
  }

  chat(request: ChatRequest): Promise<ChatReply> {
    return withRetries(
      async () => {
        const started = Date.now();
        const completion = await this.client.chat.completions.create({
          model: this.spec.model,
          messages: [{ role: 'system', content: request.system }, ...request.messages],
          [this.opts.maxTokensParam]: request.maxTokens,
          // Caching is automatic on OpenAI-compatible APIs (reported as cached_tokens): nothing to mark.
          ...(request.settings?.temperature !== undefined
            ? { temperature: request.settings.temperature }
            : {}),
          ...(request.settings?.reasoningEffort !== undefined
            ? { reasoning_effort: request.settings.reasoningEffort }
            : {}),
        });
        const latencyMs = Date.now() - started;
        const usage = openaiUsage(completion?.usage as VendorUsage | undefined);
        const choice = completion?.choices?.[0];
        if (!usage || !choice) {
          throw new InfraFault(
            'malformed-response',
            `${this.spec.raw}: response without choices or usage`,
            true,
            usage ?? undefined,
          );
        }
        const text = typeof choice.message?.content === 'string' ? choice.message.content : '';
        assertCompleteReply(
          this.spec.raw,
          { text, usage, cut: choice.finish_reason === 'length', stop: choice.finish_reason },
          request.maxTokens,
        );
        return {
          text,
          usage,
          modelId: completion.model ?? this.spec.model,
          latencyMs,
          stopReason: choice.finish_reason === 'stop' ? 'end' : (choice.finish_reason ?? null),
        };
      },
      this.spec.raw,
      this.opts.retry,
      request.onFault,
    );
  }
}

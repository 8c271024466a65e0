import Anthropic from '@anthropic-ai/sdk';
import { collectModelIds } from './check-ids.js';
import { assertCompleteReply, InfraFault } from './faults.js';
import { withRetries, type RetryPolicy } from './retry.js';
import type { ChatReply, ChatRequest, ModelSpec, Provider, Usage } from './types.js';

export interface HttpProviderOptions {
  apiKey: string;
  /** Undefined: the SDK's own default, which honours ANTHROPIC_BASE_URL / OPENAI_BASE_URL. */
  baseURL?: string;
  timeoutMs: number;
  retry: RetryPolicy;
}

function anthropicUsage(u: Anthropic.Usage): Usage {
  return {
    inputTokens: u.input_tokens ?? 0,
    outputTokens: u.output_tokens ?? 0,
    cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
    cacheReadTokens: u.cache_read_input_tokens ?? 0,
    reasoningTokens: 0,
  };
}

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * The Messages request. With caching on, the stable prefix (system prompt, then the task message) carries
 * cache_control breakpoints, as production code does: attempt 1 writes the cache, attempts 2..N read it
 * and pay only for the growing tail (replies and feedback).
 */
export function anthropicParams(
  model: string,
  request: ChatRequest,
): Anthropic.MessageCreateParamsNonStreaming {
  const s = request.settings;
  const cache = s?.cache === true;
  return {
    model,
    max_tokens: request.maxTokens,
    system: cache ? [{ type: 'text', text: request.system, cache_control: EPHEMERAL }] : request.system,
    messages: request.messages.map((m, i) =>
      cache && i === 0
        ? { role: m.role, content: [{ type: 'text', text: m.content, cache_control: EPHEMERAL }] }
        : { role: m.role, content: m.content },
    ),
    ...(s?.temperature !== undefined ? { temperature: s.temperature } : {}),
    ...(s?.thinking !== undefined ? { thinking: { type: 'enabled', budget_tokens: s.thinking } } : {}),
  };
}

/** Claude models through the official SDK (Messages API). */
export class AnthropicProvider implements Provider {
  private readonly client: Anthropic;
  constructor(
    readonly spec: ModelSpec,
    private readonly opts: HttpProviderOptions,
  ) {
    // The harness owns retries (so every fault is visible in results); the SDK makes one try per call.
    this.client = new Anthropic({
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
        const msg = await this.client.messages.create(anthropicParams(this.spec.model, request));
        const latencyMs = Date.now() - started;
        if (!msg || !Array.isArray(msg.content) || !msg.usage) {
          throw new InfraFault(
            'malformed-response',
            `${this.spec.raw}: response without content or usage`,
            true,
          );
        }
        const usage = anthropicUsage(msg.usage);
        const text = msg.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
        assertCompleteReply(
          this.spec.raw,
          { text, usage, cut: msg.stop_reason === 'max_tokens', stop: msg.stop_reason },
          request.maxTokens,
        );
        return {
          text,
          usage,
          modelId: msg.model,
          latencyMs,
          stopReason: msg.stop_reason === 'end_turn' ? 'end' : msg.stop_reason,
        };
      },
      this.spec.raw,
      this.opts.retry,
      request.onFault,
    );
  }
}

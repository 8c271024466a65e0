import { openaiUsage } from '../models/openai-compatible.js';
import type { Usage } from '../models/types.js';

/** Which API a metered call spoke. */
export type MeteredApi = 'anthropic-messages' | 'openai-chat' | 'openai-responses';

/** The API a request path belongs to; null for anything the proxy does not forward. */
export function apiOf(pathname: string): MeteredApi | null {
  if (/\/v1\/messages$/.test(pathname)) return 'anthropic-messages';
  if (/\/chat\/completions$/.test(pathname)) return 'openai-chat';
  if (/\/responses$/.test(pathname)) return 'openai-responses';
  return null;
}

type Json = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});

function anthropicUsage(u: Json): Usage {
  return {
    inputTokens: num(u.input_tokens),
    outputTokens: num(u.output_tokens),
    cacheWriteTokens: num(u.cache_creation_input_tokens),
    cacheReadTokens: num(u.cache_read_input_tokens),
    reasoningTokens: 0,
  };
}

/** Responses API: cached tokens inside input_tokens, reasoning inside output_tokens (as billed). */
function responsesUsage(u: Json): Usage {
  const cached = num(obj(u.input_tokens_details).cached_tokens);
  return {
    inputTokens: Math.max(0, num(u.input_tokens) - cached),
    outputTokens: num(u.output_tokens),
    cacheWriteTokens: 0,
    cacheReadTokens: cached,
    reasoningTokens: num(obj(u.output_tokens_details).reasoning_tokens),
  };
}

/** Usage of a non-streaming reply body; null when the body carries none (then the cost is unknown). */
export function usageFromJson(api: MeteredApi, body: unknown): { usage: Usage | null; model: string | null } {
  const b = obj(body);
  const model = typeof b.model === 'string' ? b.model : null;
  if (!b.usage) return { usage: null, model };
  if (api === 'anthropic-messages') return { usage: anthropicUsage(obj(b.usage)), model };
  if (api === 'openai-responses') return { usage: responsesUsage(obj(b.usage)), model };
  return { usage: openaiUsage(b.usage as Parameters<typeof openaiUsage>[0]), model };
}

/**
 * Reads usage from a server-sent-event stream as it passes, event by event: Anthropic reports input and
 * cache tokens in `message_start` and the running output count in `message_delta`; OpenAI Chat in the
 * final chunk's `usage` (the proxy asks for it with `stream_options.include_usage`); Responses in
 * `response.completed`.
 */
export class StreamMeter {
  private buffer = '';
  private anthropic: Json | null = null;
  usage: Usage | null = null;
  model: string | null = null;

  constructor(private readonly api: MeteredApi) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.search(/\r?\n\r?\n/)) >= 0) {
      const event = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      this.event(event);
    }
    // An event never legitimately grows past a few MB; a stream that does is not parsed further.
    if (this.buffer.length > 8 * 1024 * 1024) this.buffer = '';
  }

  private event(text: string): void {
    const data = text
      .split(/\r?\n/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (!data || data === '[DONE]') return;
    let json: Json;
    try {
      json = obj(JSON.parse(data));
    } catch {
      return;
    }
    if (this.api === 'anthropic-messages') {
      if (json.type === 'message_start') {
        const message = obj(json.message);
        this.model = typeof message.model === 'string' ? message.model : this.model;
        this.anthropic = { ...obj(message.usage) };
      } else if (json.type === 'message_delta' && json.usage) {
        this.anthropic = { ...(this.anthropic ?? {}), ...obj(json.usage) };
      }
      if (this.anthropic) this.usage = anthropicUsage(this.anthropic);
    } else if (this.api === 'openai-chat') {
      if (typeof json.model === 'string') this.model = json.model;
      if (json.usage) this.usage = openaiUsage(json.usage as Parameters<typeof openaiUsage>[0]);
    } else if (json.type === 'response.completed' || json.type === 'response.incomplete') {
      const response = obj(json.response);
      if (typeof response.model === 'string') this.model = response.model;
      if (response.usage) this.usage = responsesUsage(obj(response.usage));
    }
  }
}

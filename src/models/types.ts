import type { InfraFault } from './faults.js';

/** Tokens billed for one call, normalised across providers. */
export interface Usage {
  /** Input tokens billed at the plain input price (cache reads and writes excluded). */
  inputTokens: number;
  /** Output tokens, reasoning included (that is how every vendor bills them). */
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  /** Reasoning tokens: informational, already part of outputTokens. */
  reasoningTokens: number;
}

export const ZERO_USAGE: Usage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
  reasoningTokens: 0,
};

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** Where a request stands in the run: lets built-in solvers (reference, replay) answer without an API. */
export interface RequestContext {
  taskKey: string;
  trial: number;
  attempt: number;
}

/** Model settings a team ships with (a variant's), passed through the official SDKs as they are. */
export interface ModelSettings {
  temperature?: number;
  /** Anthropic extended-thinking budget in tokens. */
  thinking?: number;
  /** OpenAI reasoning effort. */
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /** Mark the stable prefix for prompt caching (Anthropic); OpenAI-compatible APIs cache by themselves. */
  cache: boolean;
}

export interface ChatRequest {
  system: string;
  messages: ChatMessage[];
  maxTokens: number;
  /** Absent: the vendor's defaults, no cache markers. */
  settings?: ModelSettings;
  context: RequestContext;
  /** Told of every API fault, retried or final, with the usage it was billed when the vendor billed it. */
  onFault?: (fault: InfraFault, willRetry: boolean) => void;
}

export interface ChatReply {
  text: string;
  usage: Usage;
  /** The model id the API says answered (may differ from the requested alias). */
  modelId: string;
  latencyMs: number;
  /** Normalised: `end`, `length` (cut by the token limit), or the vendor's own word. */
  stopReason: string | null;
}

/** One model behind one small interface: messages in, text + usage + model id + latency out. */
export interface Provider {
  readonly spec: ModelSpec;
  chat(request: ChatRequest): Promise<ChatReply>;
  /** The model ids the provider's free models-list endpoint names; null when it cannot be asked. */
  listModels?(): Promise<string[] | null>;
}

export interface ModelSpec {
  /** As the user wrote it, e.g. `anthropic/claude-sonnet-4-6@fast`. */
  raw: string;
  /** Display and results key: raw without nothing dropped, or the @label when given. */
  name: string;
  provider: string;
  model: string;
  label?: string;
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer. `text` answers with a normal completion in the server's wire format. */
export type Scripted =
  | { text: string; usage?: Partial<MockUsage>; stop?: 'end' | 'length'; model?: string }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { reset: true }
  | { raw: string; status?: number };

export interface MockUsage {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
  reasoning: number;
}

export interface ContentBlock {
  type: string;
  text?: string;
  cache_control?: { type: string };
}

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    system?: string | ContentBlock[];
    messages: { role: string; content: string | ContentBlock[] }[];
    max_tokens?: number;
    max_completion_tokens?: number;
    temperature?: number;
    thinking?: { type: string; budget_tokens: number };
    reasoning_effort?: string;
  };
}

/** The text of a message or system field, whether sent as a string or as content blocks. */
export function textOf(content: string | ContentBlock[] | undefined): string {
  if (content === undefined) return '';
  return typeof content === 'string' ? content : content.map((b) => b.text ?? '').join('');
}

/** The mock's token count: about four characters a token, as vendors' tokenizers average on code. */
const tokens = (text: string): number => Math.ceil(text.length / 4);

const DEFAULT_USAGE: MockUsage = { input: 1000, output: 500, cacheWrite: 0, cacheRead: 0, reasoning: 0 };

/**
 * A local model server speaking the real wire formats: Anthropic Messages (`POST /v1/messages`) or
 * OpenAI Chat Completions (`POST /v1/chat/completions`). Answers come from a script, in order, or from
 * a function of the request; every request is recorded.
 */
export class MockLlmServer {
  readonly requests: RecordedRequest[] = [];
  private server: Server | null = null;
  private readonly hung = new Set<ServerResponse>();
  private queue: Scripted[] = [];
  /** Delay before each answer, to widen windows in interruption tests. */
  delayMs = 0;
  /** Awaited before answering request `index` (0-based): holds a reply until the test says so. */
  hold?: (req: RecordedRequest, index: number) => Promise<void>;
  /** Model ids the models-list endpoint (GET /v1/models) names; unset: the endpoint is absent (404). */
  models: string[] | null = null;
  /** GET /v1/models requests seen. */
  modelListRequests = 0;
  /**
   * Answer input usage the way the vendor's prompt cache would bill this request (scripted answers then
   * give only output tokens): Anthropic caches the prefix up to each cache_control breakpoint it was sent
   * (write on first sight, read after); OpenAI caches any prefix of whole messages seen before.
   */
  simulateCache = false;
  private readonly cached = new Set<string>();

  constructor(
    readonly wire: 'anthropic' | 'openai',
    private readonly fallback?: (req: RecordedRequest, index: number) => Scripted,
  ) {}

  script(...answers: Scripted[]): this {
    this.queue.push(...answers);
    return this;
  }

  /** Base URL as the SDK wants it: Anthropic's SDK appends /v1/messages, OpenAI's /chat/completions. */
  get baseURL(): string {
    const port = (this.server!.address() as AddressInfo).port;
    return this.wire === 'anthropic' ? `http://127.0.0.1:${port}` : `http://127.0.0.1:${port}/v1`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === 'GET' && req.url?.split('?')[0] === '/v1/models' && this.models) {
      this.modelListRequests++;
      // The real list shapes: Anthropic's paginated page, OpenAI's list object.
      const body =
        this.wire === 'anthropic'
          ? {
              data: this.models.map((id) => ({
                type: 'model',
                id,
                display_name: id,
                created_at: '2026-01-01T00:00:00Z',
              })),
              has_more: false,
              first_id: this.models[0] ?? null,
              last_id: this.models.at(-1) ?? null,
            }
          : {
              object: 'list',
              data: this.models.map((id) => ({ id, object: 'model', created: 1767225600, owned_by: 'mock' })),
            };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    const expected = this.wire === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';
    if (req.method !== 'POST' || req.url !== expected) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: `no route ${req.url}` } }));
      return;
    }
    const recorded: RecordedRequest = {
      path: req.url,
      headers: req.headers,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
    };
    this.requests.push(recorded);
    const index = this.requests.length - 1;
    if (this.hold) await this.hold(recorded, index);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const answer = this.queue.shift() ?? this.fallback?.(recorded, this.requests.length - 1);
    if (!answer) {
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'mock: script exhausted' } }));
      return;
    }
    if ('hang' in answer) {
      this.hung.add(res);
      return;
    }
    if ('reset' in answer) {
      req.socket.destroy();
      return;
    }
    if ('raw' in answer) {
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(answer.raw);
      return;
    }
    if ('status' in answer) {
      const body = answer.body ?? this.errorBody(answer.status);
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        .end(JSON.stringify(body));
      return;
    }
    const usage = {
      ...DEFAULT_USAGE,
      ...(this.simulateCache ? this.cacheUsage(recorded.body) : {}),
      ...answer.usage,
    };
    const model = answer.model ?? recorded.body.model;
    if ((recorded.body as { stream?: boolean }).stream === true && this.wire === 'anthropic') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'request-id': `req_${this.requests.length}`,
      });
      for (const [event, data] of anthropicStream(answer.text, usage, model)) {
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      }
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${this.requests.length}` });
    res.end(
      JSON.stringify(
        this.wire === 'anthropic'
          ? anthropicMessage(answer.text, usage, model, answer.stop)
          : openaiCompletion(answer.text, usage, model, answer.stop),
      ),
    );
  }

  private cacheUsage(body: RecordedRequest['body']): Pick<MockUsage, 'input' | 'cacheWrite' | 'cacheRead'> {
    const blocks = (c: string | ContentBlock[] | undefined): ContentBlock[] =>
      c === undefined ? [] : typeof c === 'string' ? [{ type: 'text', text: c }] : c;
    // Every unit of the prompt in order, each with the prefix key and token count up to and including it.
    const units = [
      ...blocks(body.system).map((b) => ({ text: b.text ?? '', mark: Boolean(b.cache_control) })),
      ...body.messages.flatMap((m) =>
        this.wire === 'openai'
          ? [{ text: `${m.role}:${textOf(m.content)}`, mark: true }]
          : blocks(m.content).map((b) => ({
              text: `${m.role}:${b.text ?? ''}`,
              mark: Boolean(b.cache_control),
            })),
      ),
    ];
    let key = '';
    let sum = 0;
    const prefixes: { key: string; tokens: number; mark: boolean }[] = [];
    for (const u of units) {
      key += `\u0000${u.text}`;
      sum += tokens(u.text);
      prefixes.push({ key, tokens: sum, mark: u.mark });
    }
    const marked = prefixes.filter((p) => p.mark);
    const hit = [...marked].reverse().find((p) => this.cached.has(p.key));
    const last = marked.at(-1);
    const read = hit?.tokens ?? 0;
    const write = this.wire === 'anthropic' && last && last !== hit ? last.tokens - read : 0;
    marked.forEach((p) => this.cached.add(p.key));
    return { input: sum - read - write, cacheWrite: write, cacheRead: read };
  }

  private errorBody(status: number): unknown {
    const type =
      status === 429
        ? 'rate_limit_error'
        : status === 529
          ? 'overloaded_error'
          : status === 404
            ? 'not_found_error'
            : 'api_error';
    return this.wire === 'anthropic'
      ? { type: 'error', error: { type, message: `mock ${status}` } }
      : { error: { message: `mock ${status}`, type, code: null } };
  }
}

function anthropicMessage(text: string, u: MockUsage, model: string, stop?: 'end' | 'length') {
  return {
    id: `msg_${Math.random().toString(36).slice(2)}`,
    type: 'message',
    role: 'assistant',
    model,
    content: text ? [{ type: 'text', text }] : [],
    stop_reason: stop === 'length' ? 'max_tokens' : 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: u.input,
      output_tokens: u.output,
      cache_creation_input_tokens: u.cacheWrite,
      cache_read_input_tokens: u.cacheRead,
    },
  };
}

function openaiCompletion(text: string, u: MockUsage, model: string, stop?: 'end' | 'length') {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null },
        logprobs: null,
        finish_reason: stop === 'length' ? 'length' : 'stop',
      },
    ],
    usage: {
      // OpenAI counts cached tokens inside prompt_tokens, and reasoning inside completion_tokens.
      prompt_tokens: u.input + u.cacheRead,
      completion_tokens: u.output,
      total_tokens: u.input + u.cacheRead + u.output,
      prompt_tokens_details: { cached_tokens: u.cacheRead, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: u.reasoning,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
  };
}

/** The Messages API's streaming events: usage for input and cache in message_start, output in message_delta. */
function anthropicStream(text: string, u: MockUsage, model: string): [string, unknown][] {
  const half = Math.ceil(text.length / 2);
  return [
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id: 'msg_stream',
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: u.input,
            output_tokens: 1,
            cache_creation_input_tokens: u.cacheWrite,
            cache_read_input_tokens: u.cacheRead,
          },
        },
      },
    ],
    [
      'content_block_start',
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ],
    [
      'content_block_delta',
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: text.slice(0, half) } },
    ],
    [
      'content_block_delta',
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: text.slice(half) } },
    ],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    [
      'message_delta',
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: u.output },
      },
    ],
    ['message_stop', { type: 'message_stop' }],
  ];
}

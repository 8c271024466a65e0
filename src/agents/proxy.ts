import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { costOf, type Price } from '../models/prices.js';
import type { Usage } from '../models/types.js';
import type { Budget } from '../run/budget.js';
import { apiOf, StreamMeter, usageFromJson, type MeteredApi } from './usage.js';

/** Where the proxy forwards one wire to, with the real key (which never leaves the harness process). */
export interface Upstream {
  /** As the official SDKs take it: Anthropic without `/v1`, OpenAI with it. */
  baseUrl: string;
  apiKey: string;
}

export interface MeteredCall {
  api: MeteredApi;
  model: string | null;
  stream: boolean;
  status: number;
  /** Null when the reply carried no usage: the call's cost is then unknown, never 0. */
  usage: Usage | null;
  cost: number | null;
  latencyMs: number;
  at: string;
}

export interface ProxyFault {
  cause: string;
  message: string;
  at: string;
}

/** What one agent attempt did through the proxy. */
export interface AttemptMeter {
  calls: MeteredCall[];
  faults: ProxyFault[];
  /** A call was refused because --max-cost was reached. */
  refusedByBudget: boolean;
  /** Credentials the agent presented (they should only ever be the placeholder). */
  presentedKeys: Set<string>;
}

export interface ProxyOptions {
  upstreams: { anthropic?: Upstream; openai?: Upstream };
  price: Price | null;
  budget: Budget;
  timeoutMs: number;
  /** Each call's request and reply (bounded), for transcripts.jsonl. */
  onCall?: (call: MeteredCall, request: unknown, reply: string) => void;
}

const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
const TRANSCRIPT_CHARS = 200_000;

function send(res: ServerResponse, status: number, api: MeteredApi | null, message: string): void {
  const body =
    api === 'anthropic-messages'
      ? { type: 'error', error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message } }
      : { error: { message, type: 'aibench_proxy', code: null } };
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * The agent's only way out of its sandbox: a local HTTP server speaking Anthropic Messages and OpenAI
 * Chat Completions and Responses (streaming included). It swaps the agent's placeholder key for the
 * real one, forwards, reads each reply's usage (from the JSON body or from the SSE events as they pass)
 * and records it, priced, into the current attempt. With --max-cost reached it refuses calls.
 */
export class MeteringProxy {
  private server: Server | null = null;
  private meter: AttemptMeter | null = null;

  constructor(private readonly opts: ProxyOptions) {}

  /** Listens on a unix socket (bound into the sandbox) or on a loopback TCP port (process-level isolation). */
  async listen(target: { socket: string } | { port: 0 }): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      if ('socket' in target) this.server!.listen(target.socket, resolve);
      else this.server!.listen(0, '127.0.0.1', resolve);
    });
  }

  /** The TCP port (when listening on TCP). */
  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** Starts metering a new attempt; calls arriving outside an attempt are refused. */
  begin(): AttemptMeter {
    this.meter = { calls: [], faults: [], refusedByBudget: false, presentedKeys: new Set() };
    return this.meter;
  }

  end(): void {
    this.meter = null;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const api = apiOf(url.pathname);
    const meter = this.meter;
    try {
      if (req.method !== 'POST' || !api)
        return send(res, 404, api, `aibench proxy: no route ${req.method} ${url.pathname}`);
      if (!meter) return send(res, 409, api, 'aibench proxy: no attempt is running');
      const key = req.headers['x-api-key'] ?? req.headers.authorization;
      if (key) meter.presentedKeys.add(String(key).replace(/^Bearer\s+/i, ''));
      const upstream =
        api === 'anthropic-messages' ? this.opts.upstreams.anthropic : this.opts.upstreams.openai;
      if (!upstream)
        return send(res, 404, api, `aibench proxy: this agent's model is not reached over ${api}`);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of req) {
        size += (c as Buffer).length;
        if (size > MAX_REQUEST_BYTES) return send(res, 413, api, 'aibench proxy: request too large');
        chunks.push(c as Buffer);
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return send(res, 400, api, 'aibench proxy: request body is not JSON');
      }
      if (this.opts.budget.exhausted) {
        meter.refusedByBudget = true;
        return send(res, 429, api, 'aibench proxy: --max-cost reached; no further model calls');
      }
      const stream = body.stream === true;
      // Chat Completions streams report usage only when asked: the harness always asks.
      if (api === 'openai-chat' && stream)
        body.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
      await this.forward(api, upstream, url, req, body, stream, meter, res);
    } catch (err) {
      send(res, 500, api, `aibench proxy: ${(err as Error).message}`);
    }
  }

  private async forward(
    api: MeteredApi,
    upstream: Upstream,
    url: URL,
    req: IncomingMessage,
    body: Record<string, unknown>,
    stream: boolean,
    meter: AttemptMeter,
    res: ServerResponse,
  ): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const h of ['anthropic-version', 'anthropic-beta', 'accept', 'openai-beta']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    if (api === 'anthropic-messages') headers['x-api-key'] = upstream.apiKey;
    else headers.authorization = `Bearer ${upstream.apiKey}`;
    const suffix =
      api === 'anthropic-messages'
        ? url.pathname.replace(/^.*(\/v1\/messages)$/, '$1')
        : url.pathname.replace(/^.*?(\/(chat\/completions|responses))$/, '$1');
    const target = `${upstream.baseUrl.replace(/\/+$/, '')}${suffix}${url.search}`;
    const started = Date.now();
    const at = new Date().toISOString();
    let reply: Response;
    try {
      reply = await fetch(target, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (err) {
      const cause = (err as Error).name === 'TimeoutError' ? 'timeout' : 'upstream-unreachable';
      meter.faults.push({ cause, message: `${api}: ${(err as Error).message}`, at });
      return send(res, 502, api, `aibench proxy: upstream ${cause}`);
    }
    if (reply.status >= 500 || reply.status === 429)
      meter.faults.push({ cause: `upstream-${reply.status}`, message: `${api}: HTTP ${reply.status}`, at });
    const type = reply.headers.get('content-type') ?? 'application/json';
    res.writeHead(reply.status, { 'content-type': type });
    const sse = type.includes('text/event-stream');
    const streamMeter = new StreamMeter(api);
    let text = '';
    const decoder = new TextDecoder();
    if (reply.body) {
      for await (const chunk of reply.body as unknown as AsyncIterable<Uint8Array>) {
        res.write(chunk);
        const piece = decoder.decode(chunk, { stream: true });
        if (sse) streamMeter.push(piece);
        if (text.length < TRANSCRIPT_CHARS || !sse) text += piece;
      }
    }
    res.end();
    let usage: Usage | null = null;
    let model: string | null = typeof body.model === 'string' ? body.model : null;
    if (sse) {
      usage = streamMeter.usage;
      model = streamMeter.model ?? model;
    } else if (reply.ok) {
      try {
        const parsed = usageFromJson(api, JSON.parse(text));
        usage = parsed.usage;
        model = parsed.model ?? model;
      } catch {
        meter.faults.push({ cause: 'malformed-response', message: `${api}: reply is not JSON`, at });
      }
    }
    const cost = usage ? costOf(usage, this.opts.price) : reply.ok ? null : 0;
    const call: MeteredCall = {
      api,
      model,
      stream,
      status: reply.status,
      usage,
      cost,
      latencyMs: Date.now() - started,
      at,
    };
    meter.calls.push(call);
    this.opts.budget.add(cost);
    this.opts.onCall?.(call, body, text.slice(0, TRANSCRIPT_CHARS));
  }
}

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { MeteringProxy } from '../src/agents/proxy.js';
import { StreamMeter } from '../src/agents/usage.js';
import { lookupPrice, priceTable } from '../src/models/prices.js';
import { Budget } from '../src/run/budget.js';

const GPT5 = lookupPrice(priceTable(), 'openai', 'gpt-5')!; // $1.25 in, $10 out, $0.125 cached in

interface Seen {
  path: string;
  auth: string | undefined;
  body: Record<string, unknown>;
}

/** An OpenAI upstream speaking Chat Completions and Responses, streamed (SSE) and not. */
async function openaiUpstream(): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    seen.push({ path: req.url!, auth: req.headers.authorization, body });
    const usage = {
      prompt_tokens: 1000,
      completion_tokens: 300,
      total_tokens: 1300,
      prompt_tokens_details: { cached_tokens: 400 },
      completion_tokens_details: { reasoning_tokens: 120 },
    };
    const sse = (events: unknown[]) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const e of events) res.write(`data: ${JSON.stringify(e)}\n\n`);
      res.end('data: [DONE]\n\n');
    };
    if (req.url === '/v1/chat/completions') {
      const chunk = (delta: object, extra: object = {}) => ({
        id: 'c1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'gpt-5-2025',
        choices: [{ index: 0, delta, finish_reason: null }],
        ...extra,
      });
      if (body.stream) {
        const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
        return sse([
          chunk({ role: 'assistant', content: 'hel' }),
          chunk({ content: 'lo' }),
          ...(includeUsage ? [{ ...chunk({}), choices: [], usage }] : []),
        ]);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          created: 1,
          model: 'gpt-5-2025',
          choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }],
          usage,
        }),
      );
    }
    const response = {
      id: 'r1',
      object: 'response',
      created_at: 1,
      model: 'gpt-5-2025',
      status: 'completed',
      output: [
        {
          type: 'message',
          id: 'm1',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'hi', annotations: [] }],
        },
      ],
      usage: {
        input_tokens: 2000,
        input_tokens_details: { cached_tokens: 1500 },
        output_tokens: 700,
        output_tokens_details: { reasoning_tokens: 500 },
        total_tokens: 2700,
      },
    };
    if (body.stream)
      return sse([
        {
          type: 'response.created',
          sequence_number: 0,
          response: { ...response, status: 'in_progress', usage: null },
        },
        {
          type: 'response.output_text.delta',
          sequence_number: 1,
          item_id: 'm1',
          output_index: 0,
          content_index: 0,
          delta: 'hi',
        },
        { type: 'response.completed', sequence_number: 2, response },
      ]);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(response));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(cap: number | null = null, upstreamUrl?: string) {
  const upstream = await openaiUpstream();
  cleanups.push(upstream.close);
  const budget = new Budget(cap);
  const proxy = new MeteringProxy({
    upstreams: { openai: { baseUrl: upstreamUrl ?? upstream.url, apiKey: 'sk-real' } },
    price: GPT5,
    budget,
    timeoutMs: 5000,
  });
  await proxy.listen({ port: 0 });
  cleanups.push(() => proxy.close());
  const client = new OpenAI({
    apiKey: 'placeholder',
    baseURL: `http://127.0.0.1:${proxy.port}/v1`,
    maxRetries: 0,
  });
  return { upstream, proxy, client, budget, meter: proxy.begin() };
}

describe('metering proxy (OpenAI Chat Completions and Responses, streamed and not)', () => {
  it('forwards with the real key, meters every call from the JSON body or the SSE events, and prices it', async () => {
    const { upstream, client, meter } = await setup();
    await client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] });
    const stream = await client.chat.completions.create({
      model: 'gpt-5',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    expect(text).toBe('hello');
    await client.responses.create({ model: 'gpt-5', input: 'hi' });
    const rs = await client.responses.create({ model: 'gpt-5', input: 'hi', stream: true });
    for await (const event of rs) void event;

    expect(upstream.seen.map((s) => s.auth)).toEqual(Array(4).fill('Bearer sk-real'));
    expect([...meter.presentedKeys]).toEqual(['placeholder']);
    // A streamed chat call is made to report its usage.
    expect(upstream.seen[1]!.body.stream_options).toEqual({ include_usage: true });
    expect(meter.calls.map((c) => [c.api, c.stream, c.model])).toEqual([
      ['openai-chat', false, 'gpt-5-2025'],
      ['openai-chat', true, 'gpt-5-2025'],
      ['openai-responses', false, 'gpt-5-2025'],
      ['openai-responses', true, 'gpt-5-2025'],
    ]);
    const chatUsage = {
      inputTokens: 600,
      outputTokens: 300,
      cacheWriteTokens: 0,
      cacheReadTokens: 400,
      reasoningTokens: 120,
    };
    const respUsage = {
      inputTokens: 500,
      outputTokens: 700,
      cacheWriteTokens: 0,
      cacheReadTokens: 1500,
      reasoningTokens: 500,
    };
    expect(meter.calls.map((c) => c.usage)).toEqual([chatUsage, chatUsage, respUsage, respUsage]);
    const chatCost = (600 * 1.25 + 300 * 10 + 400 * 0.125) / 1e6;
    const respCost = (500 * 1.25 + 700 * 10 + 1500 * 0.125) / 1e6;
    expect(meter.calls[1]!.cost).toBeCloseTo(chatCost, 12);
    expect(meter.calls[3]!.cost).toBeCloseTo(respCost, 12);
  });

  it('refuses calls once --max-cost is reached, and records the refusal', async () => {
    const { client, meter, budget, upstream } = await setup(0.001);
    await client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] });
    expect(budget.exhausted).toBe(true);
    await expect(
      client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ status: 429 });
    expect(meter.refusedByBudget).toBe(true);
    expect(upstream.seen).toHaveLength(1);
    expect(meter.calls).toHaveLength(1);
  });

  it('an unreachable upstream is a recorded fault (502 to the agent), never a metered call', async () => {
    const { client, meter } = await setup(null, 'http://127.0.0.1:9/v1');
    await expect(
      client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 502 });
    expect(meter.faults.map((f) => f.cause)).toEqual(['upstream-unreachable']);
    expect(meter.calls).toEqual([]);
  });

  it('reads usage from SSE events split across arbitrary chunk boundaries', () => {
    const events = [
      {
        type: 'message_start',
        message: {
          model: 'claude-x',
          usage: { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: 5 },
        },
      },
      { type: 'message_delta', usage: { output_tokens: 42 } },
    ]
      .map((e) => `event: ${e.type}\r\ndata: ${JSON.stringify(e)}\r\n\r\n`)
      .join('');
    const meter = new StreamMeter('anthropic-messages');
    for (let i = 0; i < events.length; i += 7) meter.push(events.slice(i, i + 7));
    expect(meter.usage).toEqual({
      inputTokens: 10,
      outputTokens: 42,
      cacheWriteTokens: 0,
      cacheReadTokens: 5,
      reasoningTokens: 0,
    });
    expect(meter.model).toBe('claude-x');
  });
});

import { sendJson, sseStream, startLocalServer } from './mock-server.js';

export interface ToolCall {
  stream: boolean;
  model: string;
  tools: string[];
  toolResult: boolean;
  key: string | undefined;
}

const USAGE = {
  input_tokens: 1000,
  output_tokens: 200,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

/**
 * An Anthropic Messages server that drives a real coding agent (Claude Code) with tool use, streamed as
 * the CLI asks: first a `Read` of each file (the CLI's Write refuses to overwrite a file it has not
 * read), then a `Write` of each, then the end of the turn. Paths are relative to the working directory.
 * Every call bills 1,000 input and 200 output tokens.
 */
export async function startToolMock(
  files: Map<string, string>,
): Promise<{ url: string; calls: ToolCall[]; stop: () => Promise<void> }> {
  const calls: ToolCall[] = [];
  const server = await startLocalServer((req, raw, res) => {
    if (req.method !== 'POST' || !/^\/v1\/messages(\?|$)/.test(req.url ?? ''))
      return sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'no route' } });
    const body = JSON.parse(raw) as {
      model: string;
      stream?: boolean;
      tools?: { name: string }[];
      messages: { content: unknown }[];
    };
    const last = body.messages.at(-1)?.content;
    const toolResult = Array.isArray(last) && last.some((b: { type?: string }) => b.type === 'tool_result');
    const tools = (body.tools ?? []).map((t) => t.name);
    calls.push({
      stream: body.stream === true,
      model: body.model,
      tools,
      toolResult,
      key: req.headers['x-api-key'] as string | undefined,
    });
    // The CLI may merge tool results into one message: the step is read from which results came back.
    const resultIds = JSON.stringify(body.messages).match(/"tool_use_id":"toolu_\d/g) ?? [];
    const step = !tools.includes('Write')
      ? 2
      : resultIds.some((id) => id.endsWith('1'))
        ? 2
        : resultIds.length
          ? 1
          : 0;
    const useTool = step < 2;
    const blocks = useTool
      ? [...files].map(([rel, content], i) => ({
          type: 'tool_use',
          id: `toolu_${step}_${i}`,
          name: step === 0 ? 'Read' : 'Write',
          input: step === 0 ? { file_path: rel } : { file_path: rel, content },
        }))
      : [{ type: 'text', text: 'Done.' }];
    const stop = useTool ? 'tool_use' : 'end_turn';
    if (!body.stream)
      return sendJson(res, 200, {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: blocks,
        stop_reason: stop,
        stop_sequence: null,
        usage: USAGE,
      });
    const ev = sseStream(res);
    ev('message_start', {
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...USAGE, output_tokens: 1 },
      },
    });
    blocks.forEach((b, index) => {
      if (b.type === 'text') {
        ev('content_block_start', { index, content_block: { type: 'text', text: '' } });
        ev('content_block_delta', {
          index,
          delta: { type: 'text_delta', text: (b as { text: string }).text },
        });
      } else {
        const t = b as { id: string; name: string; input: object };
        ev('content_block_start', {
          index,
          content_block: { type: 'tool_use', id: t.id, name: t.name, input: {} },
        });
        ev('content_block_delta', {
          index,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(t.input) },
        });
      }
      ev('content_block_stop', { index });
    });
    ev('message_delta', {
      delta: { stop_reason: stop, stop_sequence: null },
      usage: { output_tokens: USAGE.output_tokens },
    });
    ev('message_stop', {});
    res.end();
  });
  return { url: server.url, calls, stop: server.stop };
}

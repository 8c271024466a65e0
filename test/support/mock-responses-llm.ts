import { sendJson, sseStream, startLocalServer } from './mock-server.js';

/** One call the coding agent made to the mock Responses API. */
export interface ResponsesCall {
  stream: boolean;
  model: string;
  /** Names of the tools the agent offered. */
  tools: string[];
  /** The outputs of earlier tool calls the agent sent back in this request's input. */
  toolOutputs: string[];
  key: string | undefined;
}

/** Billed per call: 1,000 input tokens of which 400 were read from the cache; 200 output of which 50 reasoning. */
export const RESPONSES_USAGE = {
  input_tokens: 1000,
  input_tokens_details: { cached_tokens: 400 },
  output_tokens: 200,
  output_tokens_details: { reasoning_tokens: 50 },
  total_tokens: 1200,
};

/** The patch Codex's own apply_patch tool takes: each file added whole (an existing file is replaced). */
export function addFilesPatch(files: Map<string, string>): string {
  const body = [...files].map(([rel, content]) =>
    [
      `*** Add File: ${rel}`,
      ...content
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => `+${l}`),
    ].join('\n'),
  );
  return ['*** Begin Patch', ...body, '*** End Patch'].join('\n');
}

interface InputItem {
  type?: string;
  output?: unknown;
}

/**
 * An OpenAI Responses server (`POST /v1/responses`) that drives the real Codex CLI, streamed event by
 * event as the API sends them (response.created, output items added and done with their deltas,
 * response.completed with usage). The first turn reasons, then calls Codex's shell tool with an
 * `apply_patch` invocation writing `files` (relative to the working directory), which Codex intercepts
 * and applies with its own patch tool; once the tool's output comes back, it answers and ends the turn.
 */
export async function startResponsesMock(
  files: Map<string, string>,
): Promise<{ url: string; calls: ResponsesCall[]; stop: () => Promise<void> }> {
  const calls: ResponsesCall[] = [];
  let seq = 0;
  const server = await startLocalServer((req, raw, res) => {
    if (req.method !== 'POST' || !/^\/v1\/responses(\?|$)/.test(req.url ?? ''))
      return sendJson(res, 404, { error: { message: 'no route', type: 'invalid_request_error' } });
    const body = JSON.parse(raw) as {
      model: string;
      stream?: boolean;
      tools?: { name?: string; type: string }[];
      input: InputItem[];
    };
    const toolOutputs = body.input
      .filter((i) => i.type === 'function_call_output' || i.type === 'custom_tool_call_output')
      .map((i) => (typeof i.output === 'string' ? i.output : JSON.stringify(i.output)));
    const auth = req.headers.authorization;
    calls.push({
      stream: body.stream === true,
      model: body.model,
      tools: (body.tools ?? []).map((t) => t.name ?? t.type),
      toolOutputs,
      key: auth?.replace(/^Bearer\s+/i, ''),
    });
    const n = calls.length;
    const reasoning = {
      type: 'reasoning',
      id: `rs_${n}`,
      summary: [],
      encrypted_content: Buffer.from(`mock reasoning ${n}`).toString('base64'),
    };
    const action = toolOutputs.length
      ? {
          type: 'message',
          id: `msg_${n}`,
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Done: the files are written.', annotations: [] }],
        }
      : {
          type: 'function_call',
          id: `fc_${n}`,
          call_id: `call_${n}`,
          name: 'exec_command',
          arguments: JSON.stringify({ cmd: `apply_patch <<'PATCH'\n${addFilesPatch(files)}\nPATCH` }),
          status: 'completed',
        };
    const response = {
      id: `resp_${n}`,
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      status: 'in_progress',
      model: body.model,
      output: [] as object[],
      usage: null as object | null,
    };
    if (!body.stream)
      return sendJson(res, 200, {
        ...response,
        status: 'completed',
        output: [reasoning, action],
        usage: RESPONSES_USAGE,
      });
    const write = sseStream(res);
    const ev = (type: string, data: object) => write(type, { ...data, sequence_number: seq++ });
    ev('response.created', { response });
    ev('response.in_progress', { response });
    ev('response.output_item.added', { output_index: 0, item: { ...reasoning, encrypted_content: null } });
    ev('response.output_item.done', { output_index: 0, item: reasoning });
    if (action.type === 'message') {
      const text = (action.content as { text: string }[])[0]!.text;
      ev('response.output_item.added', {
        output_index: 1,
        item: { ...action, status: 'in_progress', content: [] },
      });
      ev('response.content_part.added', {
        item_id: action.id,
        output_index: 1,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      });
      ev('response.output_text.delta', {
        item_id: action.id,
        output_index: 1,
        content_index: 0,
        delta: text,
      });
      ev('response.output_text.done', { item_id: action.id, output_index: 1, content_index: 0, text });
      ev('response.content_part.done', {
        item_id: action.id,
        output_index: 1,
        content_index: 0,
        part: { type: 'output_text', text, annotations: [] },
      });
    } else {
      const args = (action as { arguments: string }).arguments;
      ev('response.output_item.added', {
        output_index: 1,
        item: { ...action, arguments: '', status: 'in_progress' },
      });
      ev('response.function_call_arguments.delta', { item_id: action.id, output_index: 1, delta: args });
      ev('response.function_call_arguments.done', { item_id: action.id, output_index: 1, arguments: args });
    }
    ev('response.output_item.done', { output_index: 1, item: action });
    ev('response.completed', {
      response: { ...response, status: 'completed', output: [reasoning, action], usage: RESPONSES_USAGE },
    });
    res.end();
  });
  return { url: server.url, calls, stop: server.stop };
}

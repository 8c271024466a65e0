import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server on a free loopback port, with the URL to reach it and a stop that never hangs. */
export interface LocalServer {
  url: string;
  stop: () => Promise<void>;
}

/** Starts `handler` on 127.0.0.1 with a free port; the request body is read whole before it is called. */
export async function startLocalServer(
  handler: (req: IncomingMessage, body: string, res: ServerResponse) => void | Promise<void>,
): Promise<LocalServer> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    await handler(req, Buffer.concat(chunks).toString('utf8'), res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Opens a server-sent-event stream; each call writes one event, named by its `type` as the vendors do. */
export function sseStream(res: ServerResponse): (type: string, data: object) => void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  return (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

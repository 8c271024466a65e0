import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Entry {
  id: number;
  key: string;
  version: string;
  scope: string;
  created: number;
  chunks: { start: number; data: Buffer }[];
  committed: Buffer | null;
}

/**
 * A local stand-in for the Actions cache service (v1, the `_apis/artifactcache` REST protocol that
 * @actions/cache speaks when ACTIONS_CACHE_URL is set): look-up by exact key then by prefix (newest
 * first), reserve (409 when the key exists), chunked upload with Content-Range, commit, download.
 *
 * Scopes as on GitHub: a run reads the caches of its own ref and of the default branch, and writes to
 * its own ref only. A run's ref is part of the URL it is given ({@link urlFor}), as the runtime token
 * carries it on GitHub.
 */
export class MockActionsCache {
  readonly entries: Entry[] = [];
  private server: Server | null = null;
  private nextId = 1;

  constructor(readonly defaultRef = 'refs/heads/main') {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The ACTIONS_CACHE_URL a run on `ref` gets (trailing slash, as the runner sets it). */
  urlFor(ref: string): string {
    return `${this.url}/scope/${encodeURIComponent(ref)}/`;
  }

  /** Committed keys, oldest first. */
  keys(): string[] {
    return this.entries.filter((e) => e.committed).map((e) => e.key);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private json(res: ServerResponse, status: number, body?: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);
    const download = /^\/download\/(\d+)$/.exec(url.pathname);
    if (download) {
      const entry = this.entries.find((e) => e.id === Number(download[1]));
      if (!entry?.committed) return this.json(res, 404, { message: 'not found' });
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': entry.committed.length,
      });
      return void res.end(entry.committed);
    }
    const m = /^\/scope\/([^/]+)\/_apis\/artifactcache\/(.*)$/.exec(url.pathname);
    if (!m) return this.json(res, 404, { message: 'not found' });
    const scope = decodeURIComponent(m[1]!);
    const resource = m[2]!;
    const readable = (e: Entry) => !!e.committed && (e.scope === scope || e.scope === this.defaultRef);
    if (resource === 'cache' && req.method === 'GET') {
      const version = url.searchParams.get('version');
      const keys = (url.searchParams.get('keys') ?? '').split(',').filter(Boolean);
      const candidates = this.entries
        .filter((e) => readable(e) && e.version === version)
        // Own scope before the default branch's, newest first within each.
        .sort((a, b) => Number(b.scope === scope) - Number(a.scope === scope) || b.created - a.created);
      for (const key of keys) {
        const hit = candidates.find((e) => e.key === key) ?? candidates.find((e) => e.key.startsWith(key));
        if (hit)
          return this.json(res, 200, {
            cacheKey: hit.key,
            scope: hit.scope,
            creationTime: new Date(hit.created).toISOString(),
            archiveLocation: `${this.url}/download/${hit.id}`,
          });
      }
      return this.json(res, 204);
    }
    if (resource === 'caches' && req.method === 'POST') {
      const body = JSON.parse(raw.toString('utf8')) as { key: string; version: string };
      if (this.entries.some((e) => e.key === body.key && e.version === body.version && e.scope === scope))
        return this.json(res, 409, {
          message: `Cache already exists. Scope: ${scope}, Key: ${body.key}, Version: ${body.version}`,
        });
      const entry: Entry = {
        id: this.nextId++,
        key: body.key,
        version: body.version,
        scope,
        created: Date.now() + this.nextId,
        chunks: [],
        committed: null,
      };
      this.entries.push(entry);
      return this.json(res, 201, { cacheId: entry.id });
    }
    const one = /^caches\/(\d+)$/.exec(resource);
    const entry = one ? this.entries.find((e) => e.id === Number(one[1]) && e.scope === scope) : undefined;
    if (entry && req.method === 'PATCH') {
      const range = /^bytes (\d+)-(\d+)\//.exec(String(req.headers['content-range'] ?? ''));
      if (!range) return this.json(res, 400, { message: 'Content-Range required' });
      entry.chunks.push({ start: Number(range[1]), data: raw });
      return this.json(res, 204);
    }
    if (entry && req.method === 'POST') {
      const { size } = JSON.parse(raw.toString('utf8')) as { size: number };
      const data = Buffer.alloc(size);
      for (const c of entry.chunks) c.data.copy(data, c.start);
      entry.committed = data;
      return this.json(res, 204);
    }
    return this.json(res, 404, { message: 'not found' });
  }
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An issue comment as the REST API returns it (the fields clients read, in their real shapes). */
export interface MockComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: { login: string; id: number; type: 'User' | 'Bot' };
  created_at: string;
  updated_at: string;
  author_association: string;
  performed_via_github_app: null;
}

export interface MockGithubRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

const DOCS = 'https://docs.github.com/rest/issues/comments';

/**
 * A local stand-in for the GitHub REST API's issue-comment endpoints — list (paginated with a Link
 * header, per_page ≤ 100, default 30), create, update, delete — with GitHub's status codes and error
 * bodies: 401 without a token, 403 "Resource not accessible by integration" for a read-only token, 422
 * for a body over 65,536 characters. Every request is recorded.
 */
export class MockGithubApi {
  readonly requests: MockGithubRequest[] = [];
  readonly comments = new Map<number, { issue: number; comment: MockComment }>();
  /** Token values that may only read (a fork PR's GITHUB_TOKEN). */
  readonly readOnlyTokens = new Set<string>();
  private server: Server | null = null;
  private nextId = 1000;

  constructor(
    readonly owner = 'atomicolabs',
    readonly repo = 'demo',
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
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

  /** Comments on one issue, oldest first. */
  commentsOn(issue: number): MockComment[] {
    return [...this.comments.values()].filter((c) => c.issue === issue).map((c) => c.comment);
  }

  /** Seeds comments by other users (to push ours onto a later page). */
  seed(issue: number, count: number, login = 'octocat'): void {
    for (let i = 0; i < count; i++) this.add(issue, `comment ${i + 1} by ${login}`, login);
  }

  private add(issue: number, body: string, login: string): MockComment {
    const id = this.nextId++;
    const now = new Date(Date.UTC(2026, 10, 1) + id * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const api = `${this.url}/repos/${this.owner}/${this.repo}`;
    const comment: MockComment = {
      id,
      node_id: `IC_kwDO${id.toString(36)}`,
      url: `${api}/issues/comments/${id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${api}/issues/${issue}`,
      body,
      user:
        login === 'github-actions[bot]'
          ? { login, id: 41898282, type: 'Bot' }
          : { login, id: 583231, type: 'User' },
      created_at: now,
      updated_at: now,
      author_association: login === 'github-actions[bot]' ? 'NONE' : 'MEMBER',
      performed_via_github_app: null,
    };
    this.comments.set(id, { issue, comment });
    return comment;
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      ...headers,
    });
    res.end(status === 204 ? undefined : JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const body = text ? (JSON.parse(text) as { body?: string }) : null;
    this.requests.push({
      method: req.method ?? '',
      path: `${url.pathname}${url.search}`,
      authorization: req.headers.authorization,
      body,
    });
    const token = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token)
      return this.send(res, 401, {
        message: 'Requires authentication',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    const base = `/repos/${this.owner}/${this.repo}/issues`;
    const pathname = url.pathname.replace(/^\/repositories\/4242\//, `/repos/${this.owner}/${this.repo}/`);
    const list = new RegExp(`^${base}/(\\d+)/comments$`).exec(pathname);
    const one = new RegExp(`^${base}/comments/(\\d+)$`).exec(pathname);
    const writing = req.method !== 'GET';
    if (writing && this.readOnlyTokens.has(token)) {
      return this.send(res, 403, {
        message: 'Resource not accessible by integration',
        documentation_url: `${DOCS}#create-an-issue-comment`,
        status: '403',
      });
    }
    if (writing && typeof body?.body === 'string' && body.body.length > 65_536) {
      return this.send(res, 422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: 'body is too long (maximum is 65536 characters)',
          },
        ],
        documentation_url: `${DOCS}#create-an-issue-comment`,
        status: '422',
      });
    }
    if (list && req.method === 'GET') return this.list(res, Number(list[1]), url);
    if (list && req.method === 'POST')
      return this.send(res, 201, this.add(Number(list[1]), body?.body ?? '', 'github-actions[bot]'));
    const existing = one ? this.comments.get(Number(one[1])) : undefined;
    if (one && !existing)
      return this.send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    if (existing && req.method === 'PATCH') {
      existing.comment.body = body?.body ?? '';
      existing.comment.updated_at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      return this.send(res, 200, existing.comment);
    }
    if (existing && req.method === 'DELETE') {
      this.comments.delete(existing.comment.id);
      return this.send(res, 204, null);
    }
    return this.send(res, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    });
  }

  private list(res: ServerResponse, issue: number, url: URL): void {
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30);
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const all = this.commentsOn(issue);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    // GitHub's Link header points at /repositories/{id}/… URLs; clients must follow them as given.
    const link = (p: number, rel: string) =>
      `<${this.url}/repositories/4242/issues/${issue}/comments?per_page=${perPage}&page=${p}>; rel="${rel}"`;
    const links = [
      page > 1 ? link(page - 1, 'prev') : '',
      page < last ? link(page + 1, 'next') : '',
      page < last ? link(last, 'last') : '',
      page > 1 ? link(1, 'first') : '',
    ].filter(Boolean);
    this.send(
      res,
      200,
      all.slice((page - 1) * perPage, page * perPage),
      links.length ? { link: links.join(', ') } : {},
    );
  }
}

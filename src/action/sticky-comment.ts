import { getOctokit } from '@actions/github';

/**
 * Which sticky comment a step owns. An explicit `comment-id` input names it; by default (the input's
 * default is the job's matrix as JSON) it is workflow/job, plus the step when a job runs the action
 * more than once (GITHUB_ACTION gets a `_2` suffix, or is the step's own id) and the matrix values,
 * so matrix legs and a second aibench step do not overwrite each other's comment.
 */
export function stickyCommentId(input: string, ctx: { workflow: string; job: string; step: string }): string {
  const text = input.trim();
  if (text && text !== 'null' && !text.startsWith('{')) return text;
  const parts = [`${ctx.workflow}/${ctx.job}`];
  if (ctx.step && (!ctx.step.startsWith('__') || /_\d+$/.test(ctx.step))) parts.push(ctx.step);
  if (text.startsWith('{')) {
    try {
      const matrix = JSON.parse(text) as Record<string, unknown>;
      const values = Object.entries(matrix).map(
        ([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
      );
      if (values.length) parts.push(`(${values.join(', ')})`);
    } catch {
      parts.push(text);
    }
  }
  return parts.join(' ');
}

export interface StickyCommentOptions {
  token: string;
  apiUrl: string;
  owner: string;
  repo: string;
  issue: number;
  /** Hidden marker the body starts with: how the comment is found again. */
  marker: string;
  body: string;
  /** When false an existing comment is still updated, but none is created (comment: on-change, nothing changed). */
  create: boolean;
}

export type StickyCommentResult =
  | { action: 'created' | 'updated'; id: number; url: string }
  | { action: 'skipped'; reason: string }
  | { action: 'failed'; status: number | null; reason: string };

interface IssueComment {
  id: number;
  body?: string | null;
  html_url: string;
}

function describe(err: unknown): { status: number | null; reason: string } {
  const e = err as { status?: number; message?: string };
  const status = typeof e.status === 'number' ? e.status : null;
  const message = (e.message ?? String(err)).split('\n')[0]!;
  if (status === 403 || status === 404) {
    return {
      status,
      reason: `HTTP ${status} (${message}): the token cannot write to this pull request. Fork PRs get a read-only token; otherwise give the job \`permissions: pull-requests: write\`. The results are in the job summary`,
    };
  }
  return { status, reason: status ? `HTTP ${status} (${message})` : message };
}

/**
 * Creates or updates the one comment of this workflow + job on a PR, found by its hidden marker across
 * every page of the issue's comments. Duplicates left by an earlier race are deleted so exactly one
 * remains. Never throws: a refused or failed request comes back as `failed` for the caller to warn about.
 */
export async function upsertStickyComment(opts: StickyCommentOptions): Promise<StickyCommentResult> {
  const octokit = getOctokit(opts.token, { baseUrl: opts.apiUrl });
  const target = { owner: opts.owner, repo: opts.repo };
  try {
    const mine: IssueComment[] = [];
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
      ...target,
      issue_number: opts.issue,
      per_page: 100,
    })) {
      // startsWith, not includes: a reply quoting our comment carries the marker too, but not first.
      mine.push(...(page.data as IssueComment[]).filter((c) => c.body?.trimStart().startsWith(opts.marker)));
    }
    const [existing, ...duplicates] = mine;
    if (existing) {
      const { data } = await octokit.rest.issues.updateComment({
        ...target,
        comment_id: existing.id,
        body: opts.body,
      });
      for (const d of duplicates)
        await octokit.rest.issues.deleteComment({ ...target, comment_id: d.id }).catch(() => undefined);
      return { action: 'updated', id: data.id, url: data.html_url };
    }
    if (!opts.create)
      return { action: 'skipped', reason: 'nothing changed against the baseline (comment: on-change)' };
    const { data } = await octokit.rest.issues.createComment({
      ...target,
      issue_number: opts.issue,
      body: opts.body,
    });
    return { action: 'created', id: data.id, url: data.html_url };
  } catch (err) {
    return { action: 'failed', ...describe(err) };
  }
}

import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** The pull request a run belongs to, from the event payload. */
export interface PullRequestInfo {
  number: number;
  headSha: string | null;
  /** Head repository differs from the base: GitHub withholds secrets and gives a read-only token. */
  fork: boolean;
}

/** What the runner tells the action about where and why it runs (GITHUB_* variables and the event). */
export interface RunContext {
  eventName: string;
  repo: { owner: string; repo: string } | null;
  serverUrl: string;
  apiUrl: string;
  sha: string | null;
  ref: string | null;
  workflow: string;
  job: string;
  /** GITHUB_ACTION: the step's id, or `__owner_action` with a `_2`, `_3` … suffix for later uses in one job. */
  step: string;
  runId: string | null;
  runAttempt: string | null;
  /** The run's page (its job summaries and artifacts live there). */
  runUrl: string | null;
  repoUrl: string | null;
  pr: PullRequestInfo | null;
  /** A push, schedule or manual run on the default branch: its results may become the baseline. */
  onDefaultBranch: boolean;
  runnerTemp: string;
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review']);

interface EventPayload {
  pull_request?: {
    number?: number;
    head?: { sha?: string; repo?: { full_name?: string } | null };
    base?: { repo?: { full_name?: string } };
  };
  repository?: { default_branch?: string; full_name?: string };
}

function readEvent(file: string | undefined): EventPayload {
  if (!file || !existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as EventPayload;
  } catch {
    return {};
  }
}

/** Reads the run's context from the environment a runner sets; missing pieces become null, never a throw. */
export function readContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const payload = readEvent(env.GITHUB_EVENT_PATH);
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '');
  const repoUrl = owner && repo ? `${serverUrl}/${owner}/${repo}` : null;
  const runId = env.GITHUB_RUN_ID ?? null;
  const runAttempt = env.GITHUB_RUN_ATTEMPT ?? null;
  const pull = payload.pull_request;
  let pr: PullRequestInfo | null = null;
  if (PR_EVENTS.has(eventName) && typeof pull?.number === 'number') {
    const head = pull.head?.repo?.full_name;
    const base = pull.base?.repo?.full_name ?? payload.repository?.full_name;
    // A deleted head repository (null) is a fork too: it was never this repository.
    pr = {
      number: pull.number,
      headSha: pull.head?.sha ?? null,
      fork: !head || (base !== undefined && head !== base),
    };
  }
  const ref = env.GITHUB_REF ?? null;
  const defaultBranch = payload.repository?.default_branch;
  // Scheduled runs always run on the default branch; their payload does not name it.
  const onDefaultBranch =
    eventName === 'schedule' ||
    (['push', 'workflow_dispatch'].includes(eventName) &&
      !!defaultBranch &&
      ref === `refs/heads/${defaultBranch}`);
  return {
    eventName,
    repo: owner && repo ? { owner, repo } : null,
    serverUrl,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
    sha: env.GITHUB_SHA ?? null,
    ref,
    workflow: env.GITHUB_WORKFLOW ?? 'workflow',
    job: env.GITHUB_JOB ?? 'job',
    step: env.GITHUB_ACTION ?? '',
    runId,
    runAttempt,
    runUrl:
      repoUrl && runId
        ? `${repoUrl}/actions/runs/${runId}${runAttempt && runAttempt !== '1' ? `/attempts/${runAttempt}` : ''}`
        : null,
    repoUrl,
    pr,
    onDefaultBranch,
    runnerTemp: env.RUNNER_TEMP || os.tmpdir(),
  };
}

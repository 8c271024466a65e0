import { addUsage, sumCosts } from '../models/prices.js';
import { ZERO_USAGE, type Usage } from '../models/types.js';
import type { AttemptRecord } from '../results/schema.js';

/**
 * An agent's attempt the moment the agent exited, before grading: what it cost (every model call the
 * proxy metered) and the editable files it left. Journaled (`type: agent-paid`) so that `--resume`
 * grades these files instead of running — and paying for — the agent again.
 */
export interface AgentPaid {
  n: number;
  /** The attempt record as known before grading: its grading fields are empty. */
  record: AttemptRecord;
  /** The editable files collected from the workspace, as grading takes them. */
  files: [string, string][];
  /** What collecting rejected (non-editable changes, links, oversized files). */
  rejected: { path: string; reason: string }[];
}

/** One model call the proxy metered, journaled as it happens (`type: agent-call`). */
export interface AgentCallBill {
  n: number;
  usage: Usage | null;
  cost: number | null;
}

/** An `agent-paid` journal line, and whether its attempt was graded (journaled) after it. */
export interface AgentPaidEntry {
  paid: AgentPaid;
  graded: boolean;
}

/** Where an interrupted agent trial picks up: read from its journaled attempts and agent runs. */
export interface AgentResumePoint {
  /** Nothing is left to do: the last attempt passed, ended the trial, or used the last feedback. */
  finished: boolean;
  /** The attempt number to continue with (infra attempts do not consume one, as for chat models). */
  next: number;
  /** The agent run that was paid for but not graded: it is graded, never run again. */
  pending: AgentPaid | null;
  /** The files the agent left last (pending or graded): the fresh workspace starts from them. */
  seed: Map<string, string> | null;
  /** The grader's feedback on the last graded attempt, for the prompt of the next run. */
  feedback: string | null;
  /**
   * Calls paid for by a run the interruption cut off while the agent was working (no files were
   * collected, so the run is made again): billed to the attempt that re-runs it, never dropped.
   */
  carried: { calls: number; usage: Usage; cost: number | null } | null;
}

/**
 * Decides how an agent trial resumes. The agent's own session (its conversation, caches, notes) lived
 * in a workspace no journal holds, so the next run starts a new session in a fresh workspace holding the
 * last files the agent left, told the task again with the grader's feedback. What was paid for is kept:
 * graded attempts as they are, an ungraded run graded from its journaled files.
 */
export function agentResumePoint(
  prior: AttemptRecord[],
  runs: AgentPaidEntry[],
  retryInfra: boolean,
  unbilled: AgentCallBill[] = [],
): AgentResumePoint {
  const last = prior.at(-1);
  const finished =
    last !== undefined &&
    (last.outcome === 'pass' || (last.outcome === 'infra' ? !retryInfra : !last.feedback));
  const next = prior.filter((a) => a.outcome !== 'infra').length + 1;
  const lastRun = runs.at(-1);
  const pending = lastRun && !lastRun.graded && lastRun.paid.n === next ? lastRun.paid : null;
  return {
    finished,
    next,
    pending: finished ? null : pending,
    seed: lastRun ? new Map(lastRun.paid.files) : null,
    feedback: [...prior].reverse().find((a) => a.outcome !== 'infra')?.feedback ?? null,
    carried: unbilled.length
      ? {
          calls: unbilled.length,
          usage: unbilled.reduce<Usage>((u, c) => addUsage(u, c.usage ?? ZERO_USAGE), ZERO_USAGE),
          cost: sumCosts(unbilled.map((c) => c.cost)),
        }
      : null,
  };
}

import path from 'node:path';
import { gradeFiles } from '../grade/grade.js';
import { ungraded } from '../grade/types.js';
import { addUsage, sumCosts } from '../models/prices.js';
import { ZERO_USAGE, type ModelSpec, type Usage } from '../models/types.js';
import type { AttemptRecord, TrialRecord } from '../results/schema.js';
import { schedulePriority } from '../run/schedule.js';
import type { TrialContext } from '../run/trial.js';
import { summarizeTrial } from '../run/trial-record.js';
import type { Task } from '../tasks/loader.js';
import { collectWorkspace } from './collect.js';
import type { AgentDefinition } from './presets.js';
import { agentResumePoint, type AgentPaid, type AgentResumePoint } from './resume.js';
import { MeteringProxy, type AttemptMeter, type Upstream } from './proxy.js';
import {
  agentResumePrompt,
  agentRetryPrompt,
  agentTaskPrompt,
  prepareAgentWorkspace,
  removeAgentWorkspace,
  runAgentProcess,
  type AgentWorkspace,
} from './runner.js';

/** The second provider shape: a command run in the workspace, its model calls metered by the harness. */
export interface AgentProvider {
  readonly kind: 'agent';
  readonly spec: ModelSpec;
  readonly def: AgentDefinition;
  /** Where the proxy forwards, with the real key (held here, never passed to the agent). */
  readonly upstreams: { anthropic?: Upstream; openai?: Upstream };
  readonly timeoutMs: number;
}

export function isAgent(p: { spec: ModelSpec }): p is AgentProvider {
  return (p as AgentProvider).kind === 'agent';
}

/** How the agent was isolated, as recorded in results. */
export function agentIsolation(level: string): string {
  return level === 'namespaces'
    ? 'namespaces: own network namespace (loopback only); the metering proxy reached through a unix socket bound into the sandbox'
    : 'process: the metering proxy on loopback TCP; the network is NOT isolated (install bubblewrap)';
}

const REPLY_CHARS = 20_000;

function tail(text: string, chars: number): string {
  return text.length > chars ? `[…]\n${text.slice(-chars)}` : text;
}

/**
 * One trial of an agent on one task: the agent works in a fresh workspace (starter files, no hidden
 * tests), then what it left is graded exactly as a chat reply's files are; on failure it runs again in
 * the same workspace with the grader's feedback as its prompt. Every model call it makes is metered by
 * the proxy; --max-cost is enforced there. Each run is journaled (`agent-paid`: cost and files) before
 * grading, so a resumed trial grades it instead of paying for it again (see `agentResumePoint`).
 */
export async function runAgentTrial(
  agent: AgentProvider,
  task: Task,
  trial: number,
  ctx: TrialContext,
): Promise<TrialRecord | null> {
  const model = agent.spec.name;
  const key = { model, task: task.key, trial };
  const env = ctx.grade.env;
  // The agent's workspace links the suite's fixture: its set-up must be done before the agent starts.
  await ctx.ready(task);
  const nodeModules = env.fixtures.get(task.suite.name);
  const resume = agentResumePoint(
    ctx.prior ?? [],
    ctx.agentRuns ?? [],
    Boolean(ctx.retryInfra),
    ctx.agentUnbilled,
  );
  const attempts: AttemptRecord[] = [...(ctx.prior ?? [])];
  if (resume.finished) return finishTrial(model, task, trial, attempts, false, ctx);
  const ws: AgentWorkspace = prepareAgentWorkspace(task, nodeModules, resume.seed ?? undefined);
  let attemptNo = 0;
  const proxy = new MeteringProxy({
    upstreams: agent.upstreams,
    price: ctx.price,
    budget: ctx.budget,
    timeoutMs: agent.timeoutMs,
    onCall: (call, request, reply) => {
      ctx.journal.agentCall(key, { n: attemptNo, usage: call.usage, cost: call.cost });
      ctx.journal.transcript({ type: 'agent-call', ...key, attempt: attemptNo, ...call, request, reply });
    },
  });
  const namespaces = env.sandbox.level === 'namespaces';
  const socket = path.join(ws.io, 'proxy.sock');
  const rc: RunContext = { agent, task, key, ws, proxy, socket, nodeModules, ctx };
  let stoppedByBudget = false;
  // The agent has not run in this workspace yet: a resumed trial's first run starts a new session.
  let ranHere = false;
  try {
    await proxy.listen(namespaces ? { socket } : { port: 0 });
    let prompt =
      resume.next > 1 && resume.feedback
        ? agentResumePrompt(task, resume.feedback, resume.next - 1, ctx.attempts)
        : agentTaskPrompt(task);
    for (let n = resume.next; n <= ctx.attempts; n++) {
      attemptNo = n;
      let paid: AgentPaid | null = n === resume.next ? resume.pending : null;
      if (!paid) {
        if (ctx.budget.exhausted) {
          stoppedByBudget = true;
          break;
        }
        const ran = await runOnce(rc, prompt, n, ranHere);
        ranHere = true;
        if (n === resume.next && resume.carried) billCarried(ran.done ?? ran.paid.record, resume.carried);
        if (ran.done) {
          stoppedByBudget ||= ran.done.faults.some((f) => f.cause === 'budget-exhausted');
          attempts.push(ran.done);
          ctx.journal.attempt(key, ran.done);
          ctx.onAttempt?.(ran.done);
          if (!ran.done.feedback) break;
          prompt = agentRetryPrompt(ran.done.feedback, n, ctx.attempts);
          continue;
        }
        paid = ran.paid;
        ctx.journal.agentPaid(key, paid);
      }
      const files = new Map(paid.files);
      ctx.onPhase?.(n, 'awaiting-grader');
      const graded = await ctx.gradePool.use(
        (slot) => {
          ctx.onPhase?.(n, 'grading');
          return gradeFiles(task, files, { ...ctx.grade, slot }, paid.rejected);
        },
        schedulePriority(ctx.expectedGradeMs(task), n),
      );
      // A failure after the vendor failed the agent is the infrastructure's, not the agent's.
      const infra = graded.outcome !== 'pass' && paid.record.faults.some((f) => f.cause !== 'interrupted');
      const record: AttemptRecord = {
        ...paid.record,
        outcome: infra ? 'infra' : graded.outcome,
        files: graded.files,
        rejected: graded.rejected,
        steps: graded.steps,
        tests: graded.tests,
        failingTests: graded.failingTests,
        feedback: n < ctx.attempts && !infra ? graded.feedback : null,
        suspect: graded.suspect,
        gradeMs: graded.gradeMs,
      };
      attempts.push(record);
      ctx.journal.attempt(key, record);
      ctx.onAttempt?.(record);
      if (record.outcome === 'pass' || record.outcome === 'infra' || !record.feedback) break;
      // A graded run resumed from the journal has no session in this workspace to continue.
      prompt = ranHere
        ? agentRetryPrompt(record.feedback, n, ctx.attempts)
        : agentResumePrompt(task, record.feedback, n, ctx.attempts);
    }
  } finally {
    await proxy.close();
    removeAgentWorkspace(ws);
  }
  return finishTrial(model, task, trial, attempts, stoppedByBudget, ctx);
}

/** Bills the calls of a run an interruption cut off to the attempt that made that run again. */
function billCarried(record: AttemptRecord, carried: NonNullable<AgentResumePoint['carried']>): void {
  record.usage = addUsage(record.usage, carried.usage);
  record.cost = sumCosts([record.cost, carried.cost]);
  record.faults.unshift({
    cause: 'interrupted',
    message: `the run was interrupted while the agent worked; its ${carried.calls} metered call(s) are billed to this attempt, which ran it again`,
    retried: true,
    at: new Date().toISOString(),
  });
}

function finishTrial(
  model: string,
  task: Task,
  trial: number,
  attempts: AttemptRecord[],
  stoppedByBudget: boolean,
  ctx: TrialContext,
): TrialRecord | null {
  if (!attempts.length) return null;
  const key = { model, task: task.key, trial };
  const stoppedBy = stoppedByBudget ? ('budget' as const) : null;
  ctx.journal.trial(key, attempts.length, stoppedBy);
  return summarizeTrial(key, attempts, stoppedBy);
}

/** What one run needs besides its prompt: the trial's workspace and proxy, and where to journal. */
interface RunContext {
  agent: AgentProvider;
  task: Task;
  key: { model: string; task: string; trial: number };
  ws: AgentWorkspace;
  proxy: MeteringProxy;
  socket: string;
  nodeModules: string | undefined;
  ctx: TrialContext;
}

/**
 * Runs the agent once and meters it. Returns either a finished attempt that needs no grading (the proxy
 * refused a call past --max-cost; the agent timed out) or the paid run with the files it left.
 */
async function runOnce(
  rc: RunContext,
  prompt: string,
  n: number,
  continues: boolean,
): Promise<{ done: AttemptRecord; paid?: never } | { paid: AgentPaid; done?: never }> {
  const { agent, key, ws, proxy, ctx } = rc;
  const env = ctx.grade.env;
  const startedAt = new Date().toISOString();
  const meter: AttemptMeter = proxy.begin();
  ctx.journal.transcript({ type: 'request', ...key, attempt: n, agent: agent.def.name, prompt });
  const run = await ctx.modelPool.use(
    () => {
      ctx.onPhase?.(n, 'model');
      return runAgentProcess({
        def: agent.def,
        ws,
        prompt,
        attempt: n,
        continues,
        sandbox: env.sandbox,
        proxy: env.sandbox.level === 'namespaces' ? { socket: rc.socket } : { port: proxy.port },
        hostEnv: process.env,
        readable: rc.nodeModules ? [rc.nodeModules] : [],
      });
    },
    schedulePriority(ctx.expectedGradeMs(rc.task), n),
  );
  proxy.end();
  ctx.journal.transcript({
    type: 'reply',
    ...key,
    attempt: n,
    exitCode: run.exitCode,
    timedOut: run.timedOut,
    stdout: tail(run.stdout, REPLY_CHARS),
    stderr: tail(run.stderr, REPLY_CHARS),
  });
  const faults = meter.faults.map((f) => ({ cause: f.cause, message: f.message, retried: false, at: f.at }));
  const common = {
    n,
    reply: tail(`${run.stdout}${run.stderr ? `\n[stderr]\n${run.stderr}` : ''}`, REPLY_CHARS),
    modelId: meter.calls.findLast((c) => c.model)?.model ?? null,
    stopReason: run.timedOut ? 'timeout' : `exit ${run.exitCode ?? run.signal ?? 'unknown'}`,
    faults,
    usage: meter.calls.reduce<Usage>((u, c) => addUsage(u, c.usage ?? ZERO_USAGE), ZERO_USAGE),
    cost: sumCosts(meter.calls.map((c) => c.cost)),
    modelMs: run.durationMs,
    startedAt,
  };
  if (meter.refusedByBudget) {
    faults.push({
      cause: 'budget-exhausted',
      message: '--max-cost reached: the proxy refused a call',
      retried: false,
      at: new Date().toISOString(),
    });
    return { done: { ...common, outcome: 'infra', ...ungraded(), gradeMs: 0 } };
  }
  if (run.launched === false) {
    // The sandbox never reached the agent (a mount, rlimit or cgroup failure): the host's fault, not
    // the agent's, told by the launcher's byte (grade/sandbox.ts), never by what was printed.
    faults.push({
      cause: 'harness',
      message: `the sandbox did not start the agent (${run.timedOut ? 'timed out' : `exit ${run.exitCode ?? run.signal}`}): ${tail(run.stderr, 300).trim()}`,
      retried: false,
      at: new Date().toISOString(),
    });
    return { done: { ...common, outcome: 'infra', ...ungraded(), gradeMs: 0 } };
  }
  if (run.timedOut) {
    const feedback = `Result: FAILED (timeout): you did not finish within ${Math.round(agent.def.timeoutMs / 1000)} s and were stopped.`;
    return {
      done: {
        ...common,
        outcome: 'timeout',
        ...ungraded(),
        feedback: n < ctx.attempts ? feedback : null,
        gradeMs: 0,
      },
    };
  }
  const { files, rejected } = collectWorkspace(ws.dir, rc.task, ws.baseline);
  return {
    paid: {
      n,
      record: { ...common, outcome: 'infra', ...ungraded(), gradeMs: 0 },
      files: [...files],
      rejected,
    },
  };
}

import path from 'node:path';
import { gradeFiles } from '../grade/grade.js';
import { ungraded } from '../grade/types.js';
import { addUsage, sumCosts } from '../models/prices.js';
import { ZERO_USAGE, type ModelSpec, type Usage } from '../models/types.js';
import type { AttemptRecord, TrialRecord } from '../results/schema.js';
import type { TrialContext } from '../run/trial.js';
import type { Task } from '../tasks/loader.js';
import { collectWorkspace } from './collect.js';
import type { AgentDefinition } from './presets.js';
import { MeteringProxy, type AttemptMeter, type Upstream } from './proxy.js';
import {
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
 * the proxy; --max-cost is enforced there.
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
  const nodeModules = env.fixtures.get(task.suite.name);
  const ws: AgentWorkspace = prepareAgentWorkspace(task, nodeModules);
  let attemptNo = 0;
  const proxy = new MeteringProxy({
    upstreams: agent.upstreams,
    price: ctx.price,
    budget: ctx.budget,
    timeoutMs: agent.timeoutMs,
    onCall: (call, request, reply) =>
      ctx.journal.transcript({ type: 'agent-call', ...key, attempt: attemptNo, ...call, request, reply }),
  });
  const namespaces = env.sandbox.level === 'namespaces';
  const socket = path.join(ws.io, 'proxy.sock');
  const attempts: AttemptRecord[] = [];
  let stoppedByBudget = false;
  try {
    await proxy.listen(namespaces ? { socket } : { port: 0 });
    let prompt = agentTaskPrompt(task);
    for (let n = 1; n <= ctx.attempts; n++) {
      if (ctx.budget.exhausted) {
        stoppedByBudget = true;
        break;
      }
      attemptNo = n;
      const startedAt = new Date().toISOString();
      const meter: AttemptMeter = proxy.begin();
      ctx.journal.transcript({ type: 'request', ...key, attempt: n, agent: agent.def.name, prompt });
      const run = await ctx.modelPool.use(() => {
        ctx.onPhase?.(n, 'model');
        return runAgentProcess({
          def: agent.def,
          ws,
          prompt,
          attempt: n,
          sandbox: env.sandbox,
          proxy: namespaces ? { socket } : { port: proxy.port },
          hostEnv: process.env,
          readable: nodeModules ? [nodeModules] : [],
        });
      });
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
      const usage = meter.calls.reduce<Usage>((u, c) => addUsage(u, c.usage ?? ZERO_USAGE), ZERO_USAGE);
      const cost = sumCosts(meter.calls.map((c) => c.cost));
      const faults = meter.faults.map((f) => ({
        cause: f.cause,
        message: f.message,
        retried: false,
        at: f.at,
      }));
      const common = {
        n,
        reply: tail(`${run.stdout}${run.stderr ? `\n[stderr]\n${run.stderr}` : ''}`, REPLY_CHARS),
        modelId: meter.calls.findLast((c) => c.model)?.model ?? null,
        stopReason: run.timedOut ? 'timeout' : `exit ${run.exitCode ?? run.signal ?? 'unknown'}`,
        faults,
        usage,
        cost,
        modelMs: run.durationMs,
        startedAt,
      };
      let record: AttemptRecord;
      if (meter.refusedByBudget) {
        faults.push({
          cause: 'budget-exhausted',
          message: '--max-cost reached: the proxy refused a call',
          retried: false,
          at: new Date().toISOString(),
        });
        stoppedByBudget = true;
        record = {
          ...common,
          outcome: 'infra',
          ...ungraded(),
          gradeMs: 0,
        };
      } else if (run.timedOut) {
        const feedback = `Result: FAILED (timeout): you did not finish within ${Math.round(agent.def.timeoutMs / 1000)} s and were stopped.`;
        record = {
          ...common,
          outcome: 'timeout',
          files: [],
          rejected: [],
          steps: [],
          tests: null,
          failingTests: [],
          feedback: n < ctx.attempts ? feedback : null,
          suspect: [],
          gradeMs: 0,
        };
      } else {
        const { files, rejected } = collectWorkspace(ws.dir, task, ws.baseline);
        ctx.onPhase?.(n, 'awaiting-grader');
        const graded = await ctx.gradePool.use((slot) => {
          ctx.onPhase?.(n, 'grading');
          return gradeFiles(task, files, { ...ctx.grade, slot }, rejected);
        });
        // A failure after the vendor failed the agent is the infrastructure's, not the agent's.
        const infra = graded.outcome !== 'pass' && meter.faults.length > 0;
        record = {
          ...common,
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
      }
      attempts.push(record);
      ctx.journal.attempt(key, record);
      ctx.onAttempt?.(record);
      if (record.outcome === 'pass' || record.outcome === 'infra' || !record.feedback) break;
      prompt = agentRetryPrompt(record.feedback, n, ctx.attempts);
    }
  } finally {
    await proxy.close();
    removeAgentWorkspace(ws);
  }
  if (!attempts.length) return null;
  const passedAt = attempts.find((a) => a.outcome === 'pass')?.n ?? null;
  const record: TrialRecord = {
    model,
    task: task.key,
    trial,
    passed: passedAt !== null,
    outcome: passedAt !== null ? 'pass' : attempts.at(-1)!.outcome,
    passedAtAttempt: passedAt,
    attempts,
    cost: sumCosts(attempts.map((a) => a.cost)),
    usage: attempts.reduce<Usage>((u, a) => addUsage(u, a.usage), ZERO_USAGE),
    modelMs: attempts.reduce((s, a) => s + a.modelMs, 0),
    gradeMs: attempts.reduce((s, a) => s + a.gradeMs, 0),
    stoppedBy: stoppedByBudget ? 'budget' : null,
  };
  ctx.journal.trial(record);
  return record;
}

import { failureReason } from '../report/reason.js';
import { gradeReply, type GradeOptions } from '../grade/grade.js';
import { specialCasingEvidence } from '../grade/suspect.js';
import { ungraded, type GradeResult } from '../grade/types.js';
import { oneLine } from '../errors.js';
import { FatalApiError, InfraFault } from '../models/faults.js';
import { addUsage, costOf, type Price } from '../models/prices.js';
import { ZERO_USAGE, type ChatMessage, type Provider, type Usage } from '../models/types.js';
import { retryMessageFor, taskMessageFor, type PromptProfile } from '../prompt/variants.js';
import type { AttemptRecord, TrialRecord } from '../results/schema.js';
import type { Task } from '../tasks/loader.js';
import type { Budget } from './budget.js';
import type { AgentCallBill, AgentPaidEntry } from '../agents/resume.js';
import type { Journal, PaidReply } from './journal.js';
import type { Pool } from './pool.js';
import { schedulePriority } from './schedule.js';
import { summarizeTrial } from './trial-record.js';

/**
 * Where an attempt is (progress display): its model call is in flight (inside a model slot), its reply is
 * waiting for a grading slot, or it is being graded.
 */
export type AttemptPhase = 'model' | 'awaiting-grader' | 'grading';

export interface TrialContext {
  attempts: number;
  maxTokens: number;
  /** The row's system prompt, templates and model settings (built-in or a variant's). */
  prompt: PromptProfile;
  price: Price | null;
  modelPool: Pool;
  gradePool: Pool;
  grade: Omit<GradeOptions, 'slot'>;
  budget: Budget;
  journal: Journal;
  /**
   * Resolves once the task's suite is ready to grade (fixture installed, toolchain checked). Set-up runs
   * concurrently with the model calls; only grading waits for it. Rejects when the set-up failed.
   */
  ready: (task: Task) => Promise<void>;
  /** Expected grading milliseconds of one attempt of a task (`schedule.ts`), for the pools' priorities. */
  expectedGradeMs: (task: Task) => number;
  /** Called after each attempt (progress display). */
  onAttempt?: (attempt: AttemptRecord) => void;
  /** Called when attempt `n` enters a phase (progress display); `onAttempt` ends it. */
  onPhase?: (n: number, phase: AttemptPhase) => void;
  /** Attempts an interrupted run already graded: replayed into the conversation, never re-requested. */
  prior?: AttemptRecord[];
  /** Replies an interrupted run paid for but had not graded yet, by attempt number: graded, not re-requested. */
  paid?: Map<number, PaidReply>;
  /** Agent runs an interrupted run paid for (graded or not): an ungraded one is graded, not run again. */
  agentRuns?: AgentPaidEntry[];
  /** Agent calls an interrupted run metered mid-way (its run is made again): billed to that attempt. */
  agentUnbilled?: AgentCallBill[];
  /** `--rerun-infra`: a prior trial ended by an API fault continues (its fault attempt kept, as paid). */
  retryInfra?: boolean;
}

/**
 * Grades a reply; whatever the harness throws (it should not) ends this attempt as `infra` with the
 * error recorded, never the run.
 */
async function gradeGuarded(task: Task, reply: string, opts: GradeOptions): Promise<GradeResult> {
  const started = Date.now();
  try {
    return await gradeReply(task, reply, opts);
  } catch (err) {
    return {
      outcome: 'infra',
      ...ungraded(),
      gradeMs: Date.now() - started,
      harnessFaults: [{ cause: 'harness', message: `grading failed inside the harness: ${oneLine(err)}` }],
    };
  }
}

/** The harness's own problems while grading, recorded with the attempt's faults (never retried). */
function harnessFaultRecords(graded: GradeResult): AttemptRecord['faults'] {
  const at = new Date().toISOString();
  return graded.harnessFaults.map((f) => ({ cause: f.cause, message: f.message, retried: false, at }));
}

type Requested =
  { kind: 'reply'; paid: PaidReply } | { kind: 'infra'; record: AttemptRecord } | { kind: 'budget' };

/**
 * One model call for attempt `n`: inside a model-pool slot, and only while the budget allows (checked
 * in the slot, so no queued request slips past the cap). The reply is journaled the moment it is paid
 * for, before grading: a crash after payment never causes a second payment.
 */
async function requestReply(
  provider: Provider,
  task: Task,
  trial: number,
  n: number,
  conversation: ChatMessage[],
  /** How many of `conversation`'s messages transcripts.jsonl already holds for this trial. */
  logged: number,
  ctx: TrialContext,
): Promise<Requested> {
  const key = { model: provider.spec.name, task: task.key, trial };
  const saved = ctx.paid?.get(n);
  if (saved) return { kind: 'reply', paid: saved };
  const startedAt = new Date().toISOString();
  const faults: AttemptRecord['faults'] = [];
  let billedByFaults: Usage = ZERO_USAGE;
  const onFault = (fault: InfraFault, willRetry: boolean): void => {
    faults.push({
      cause: fault.kind,
      message: fault.message,
      retried: willRetry,
      at: new Date().toISOString(),
    });
    if (fault.usage) billedByFaults = addUsage(billedByFaults, fault.usage);
    ctx.journal.transcript({
      type: 'fault',
      ...key,
      attempt: n,
      cause: fault.kind,
      message: fault.message,
      retried: willRetry,
    });
  };
  const requestStarted = Date.now();
  try {
    const paid = await ctx.modelPool.use(
      async (): Promise<PaidReply | null> => {
        if (ctx.budget.exhausted) return null;
        ctx.onPhase?.(n, 'model');
        // Only what is new since this trial's previous lines: the transcript grows linearly.
        ctx.journal.transcript({
          type: 'request',
          ...key,
          attempt: n,
          ...(logged === 0 ? { system: ctx.prompt.system } : {}),
          fromMessage: logged,
          messages: conversation.slice(logged),
        });
        const reply = await provider.chat({
          system: ctx.prompt.system,
          messages: conversation,
          maxTokens: ctx.maxTokens,
          settings: ctx.prompt.settings,
          context: { taskKey: task.key, trial, attempt: n },
          onFault,
        });
        const usage = addUsage(reply.usage, billedByFaults);
        const bill: PaidReply = { n, reply, usage, cost: costOf(usage, ctx.price), faults, startedAt };
        // Counted before the slot is released, so the next request in line sees this spend.
        ctx.budget.add(bill.cost);
        return bill;
      },
      schedulePriority(ctx.expectedGradeMs(task), n),
    );
    if (!paid) return { kind: 'budget' };
    const { reply } = paid;
    ctx.journal.transcript({
      type: 'reply',
      ...key,
      attempt: n,
      text: reply.text,
      usage: reply.usage,
      modelId: reply.modelId,
      latencyMs: reply.latencyMs,
    });
    ctx.journal.paid(key, paid);
    return { kind: 'reply', paid };
  } catch (err) {
    if (err instanceof FatalApiError) throw err;
    const fault = err instanceof InfraFault ? err : new InfraFault('harness', String(err), false);
    if (!faults.some((f) => f.message === fault.message && !f.retried)) onFault(fault, false);
    const cost = costOf(billedByFaults, ctx.price);
    ctx.budget.add(cost);
    const record: AttemptRecord = {
      n,
      outcome: 'infra',
      reply: null,
      modelId: null,
      stopReason: null,
      ...ungraded(),
      faults,
      usage: billedByFaults,
      cost,
      modelMs: Date.now() - requestStarted,
      gradeMs: 0,
      startedAt,
    };
    return { kind: 'infra', record };
  }
}

/**
 * One trial of one model on one task: up to N attempts, each graded, each failure's feedback sent back
 * in the same conversation. An API fault that survives the retries ends the trial as `infra` without
 * consuming an attempt; a fatal API error (bad model id, refused key) aborts the run.
 * Returns null when the budget stopped the trial before its first request.
 */
export async function runTrial(
  provider: Provider,
  task: Task,
  trial: number,
  ctx: TrialContext,
): Promise<TrialRecord | null> {
  const model = provider.spec.name;
  const conversation: ChatMessage[] = [taskMessageFor(task, ctx.prompt)];
  const attempts: AttemptRecord[] = [];
  const key = { model, task: task.key, trial };
  let logged = 0;
  let stoppedByBudget = false;
  for (const done of ctx.prior ?? []) {
    attempts.push(done);
    if (done.reply !== null && done.feedback)
      conversation.push(
        { role: 'assistant', content: done.reply },
        retryMessageFor(done.feedback, done.n, ctx.attempts, ctx.prompt),
      );
  }
  const last = attempts.at(-1);
  const finished =
    last !== undefined &&
    (last.outcome === 'pass' || (last.outcome === 'infra' ? !ctx.retryInfra : !last.feedback));
  // An infra attempt does not consume an attempt number, so numbering continues after the graded ones.
  const graded = attempts.filter((a) => a.outcome !== 'infra').length;

  for (let n = graded + 1; n <= ctx.attempts && !finished; n++) {
    const requested = await requestReply(provider, task, trial, n, conversation, logged, ctx);
    logged = conversation.length;
    if (requested.kind === 'budget') {
      stoppedByBudget = true;
      break;
    }
    if (requested.kind === 'infra') {
      attempts.push(requested.record);
      ctx.journal.attempt(key, requested.record);
      ctx.onAttempt?.(requested.record);
      break;
    }
    const { reply, usage, cost, faults, startedAt } = requested.paid;
    await ctx.ready(task);
    ctx.onPhase?.(n, 'awaiting-grader');
    const graded = await ctx.gradePool.use(
      (slot) => {
        ctx.onPhase?.(n, 'grading');
        return gradeGuarded(task, reply.text, { ...ctx.grade, slot });
      },
      schedulePriority(ctx.expectedGradeMs(task), n),
    );
    const previous = attempts.at(-1);
    if (previous?.feedback) {
      const known = [task.prompt, ...task.starter.values(), previous.reply ?? ''].join('\n');
      graded.suspect.push(...specialCasingEvidence(previous.feedback, reply.text, known));
    }
    const record: AttemptRecord = {
      n,
      outcome: graded.outcome,
      reply: reply.text,
      modelId: reply.modelId,
      stopReason: reply.stopReason,
      files: graded.files,
      rejected: graded.rejected,
      steps: graded.steps,
      tests: graded.tests,
      failingTests: graded.failingTests,
      feedback: n < ctx.attempts ? graded.feedback : null,
      reason: graded.feedback ? failureReason(graded.feedback) : null,
      suspect: graded.suspect,
      faults: [...faults, ...harnessFaultRecords(graded)],
      usage,
      cost,
      modelMs: reply.latencyMs,
      gradeMs: graded.gradeMs,
      startedAt,
    };
    attempts.push(record);
    ctx.journal.attempt(key, record, true);
    ctx.onAttempt?.(record);
    if (graded.outcome === 'pass' || graded.outcome === 'infra' || !record.feedback) break;
    conversation.push(
      { role: 'assistant', content: reply.text },
      retryMessageFor(record.feedback, n, ctx.attempts, ctx.prompt),
    );
    // The assistant turn is the `reply` line's text already: the next request line starts after it.
    logged += 1;
  }
  if (!attempts.length) return null;
  const stoppedBy = stoppedByBudget ? ('budget' as const) : null;
  ctx.journal.trial(key, attempts.length, stoppedBy);
  return summarizeTrial(key, attempts, stoppedBy);
}

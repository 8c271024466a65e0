import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunSettings } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { attemptSchema, trialSchema, type AttemptRecord, type TrialRecord } from '../results/schema.js';
import type { AgentCallBill, AgentPaid, AgentPaidEntry } from '../agents/resume.js';
import { OUTPUT_FILES, type PaidReply } from './journal.js';
import { summarizeTrial } from './trial-record.js';

/** The journal's first line: what the run was asked to do, so `--resume` redoes exactly that. */
export interface RunHeader {
  type: 'run';
  runId: string;
  startedAt: string;
  models: string[];
  tasks: string[];
  tasksPaths: string[];
  builtinTasks: boolean;
  settings: RunSettings;
  /** `--system-prompt` as given (absent when not used): re-read on resume. */
  systemPrompt?: string;
}

export interface JournalState {
  header: RunHeader;
  /** Attempts already paid for and graded, per trial key (`model|task|trial`), in order. */
  attempts: Map<string, AttemptRecord[]>;
  /** Trials that finished. */
  trials: Map<string, TrialRecord>;
  /** Replies paid for whose grading the interruption cut off, per trial key and attempt number. */
  paid: Map<string, Map<number, PaidReply>>;
  /** Agent runs paid for, per trial key in journal order, each marked graded once its attempt followed. */
  agentRuns: Map<string, AgentPaidEntry[]>;
  /** Agent calls metered after the trial's last journaled run or attempt: a run cut off mid-way. */
  agentUnbilled: Map<string, AgentCallBill[]>;
}

export function trialKey(model: string, task: string, trial: number): string {
  return `${model}|${task}|${trial}`;
}

/**
 * Reads an interrupted run's journal. A line cut by the crash (the last one, half-written) is ignored;
 * everything before it was paid for and is kept.
 */
export function readJournal(out: string): JournalState {
  const file = path.join(out, OUTPUT_FILES.journal);
  if (!existsSync(file))
    throw new UsageError(`--resume: ${out} holds no ${OUTPUT_FILES.journal}; nothing to resume`);
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const parsed: unknown[] = [];
  for (const [i, line] of lines.entries()) {
    try {
      parsed.push(JSON.parse(line));
    } catch {
      if (i !== lines.length - 1) throw new UsageError(`--resume: ${file} line ${i + 1} is corrupt`);
    }
  }
  const header = parsed[0] as RunHeader | undefined;
  if (header?.type !== 'run') throw new UsageError(`--resume: ${file} does not start with a run header`);
  const attempts = new Map<string, AttemptRecord[]>();
  const trials = new Map<string, TrialRecord>();
  const paid = new Map<string, Map<number, PaidReply>>();
  type Entry = {
    type: string;
    model?: string;
    task?: string;
    trial?: number;
    attempt?: Record<string, unknown>;
    /** On an attempt: `paid` when its reply text is the paid line's (not repeated). */
    reply?: string;
    /** On a trial marker: how many of the trial's last attempts make it up. */
    attempts?: number;
    stoppedBy?: 'budget' | null;
    /** A trial line of a journal written before trials were markers: the whole record. */
    record?: unknown;
    paid?: PaidReply | AgentPaid;
    call?: AgentCallBill;
  };
  const agentRuns = new Map<string, AgentPaidEntry[]>();
  const agentUnbilled = new Map<string, AgentCallBill[]>();
  for (const entry of parsed.slice(1) as Entry[]) {
    if (entry.type === 'paid' && entry.paid) {
      const key = trialKey(entry.model!, entry.task!, entry.trial!);
      paid.set(key, (paid.get(key) ?? new Map()).set(entry.paid.n, entry.paid as PaidReply));
    } else if (entry.type === 'agent-call' && entry.call) {
      const key = trialKey(entry.model!, entry.task!, entry.trial!);
      agentUnbilled.set(key, [...(agentUnbilled.get(key) ?? []), entry.call]);
    } else if (entry.type === 'agent-paid' && entry.paid) {
      const key = trialKey(entry.model!, entry.task!, entry.trial!);
      agentUnbilled.delete(key);
      agentRuns.set(key, [...(agentRuns.get(key) ?? []), { paid: entry.paid as AgentPaid, graded: false }]);
    } else if (entry.type === 'attempt' && entry.attempt) {
      const key = trialKey(entry.model!, entry.task!, entry.trial!);
      const raw =
        entry.reply === 'paid'
          ? {
              ...entry.attempt,
              reply: (paid.get(key)?.get(entry.attempt.n as number) as PaidReply | undefined)?.reply.text,
            }
          : entry.attempt;
      const attempt = attemptSchema.parse(raw);
      agentUnbilled.delete(key);
      attempts.set(key, [...(attempts.get(key) ?? []), attempt]);
      const run = agentRuns.get(key)?.at(-1);
      if (run?.paid.n === attempt.n) run.graded = true;
    } else if (entry.type === 'trial' && entry.record) {
      const record = trialSchema.parse(entry.record);
      trials.set(trialKey(record.model, record.task, record.trial), record);
    } else if (entry.type === 'trial') {
      const id = { model: entry.model!, task: entry.task!, trial: entry.trial! };
      const key = trialKey(id.model, id.task, id.trial);
      // The last N: an agent trial cut off by an interruption starts over, after its stale attempts.
      const n = entry.attempts ?? 0;
      const own = n > 0 ? (attempts.get(key) ?? []).slice(-n) : [];
      trials.set(key, trialSchema.parse(summarizeTrial(id, own, entry.stoppedBy ?? null)));
    }
  }
  // A paid reply that was graded afterwards is an attempt now: only the ungraded ones remain pending.
  for (const [key, list] of attempts) for (const a of list) paid.get(key)?.delete(a.n);
  return { header, attempts, trials, paid, agentRuns, agentUnbilled };
}

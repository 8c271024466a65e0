import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serializeResults } from '../results/io.js';
import type { AttemptRecord, Results, TrialRecord } from '../results/schema.js';
import type { ChatReply, Usage } from '../models/types.js';
import type { AgentCallBill, AgentPaid } from '../agents/resume.js';
import type { RunHeader } from './resume.js';

/** A model reply that was paid for, with what it cost (faults billed on the way included). */
export interface PaidReply {
  n: number;
  reply: ChatReply;
  usage: Usage;
  cost: number | null;
  faults: AttemptRecord['faults'];
  startedAt: string;
}

export const OUTPUT_FILES = {
  results: 'results.json',
  transcripts: 'transcripts.jsonl',
  journal: 'journal.jsonl',
  report: 'report.md',
} as const;

/** Writes a file whole or not at all (temp + rename), so a crash never leaves half a results file. */
export function writeAtomic(file: string, content: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

/**
 * The run's durable record, written as results arrive: every attempt is appended to journal.jsonl the
 * moment it is graded, every request and reply to transcripts.jsonl, and results.json is rewritten after
 * each trial. A crash loses at most the attempts in flight.
 */
export class Journal {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  file(name: keyof typeof OUTPUT_FILES): string {
    return path.join(this.dir, OUTPUT_FILES[name]);
  }

  header(header: RunHeader): void {
    appendFileSync(this.file('journal'), `${JSON.stringify(header)}\n`);
  }

  attempt(key: { model: string; task: string; trial: number }, attempt: AttemptRecord): void {
    appendFileSync(this.file('journal'), `${JSON.stringify({ type: 'attempt', ...key, attempt })}\n`);
  }

  /** A reply paid for, journaled before grading so a crash never makes us pay for it twice. */
  paid(key: { model: string; task: string; trial: number }, paid: PaidReply): void {
    appendFileSync(this.file('journal'), `${JSON.stringify({ type: 'paid', ...key, paid })}\n`);
  }

  /** An agent's run paid for (metered) with the files it left, journaled before grading: never run twice. */
  agentPaid(key: { model: string; task: string; trial: number }, paid: AgentPaid): void {
    appendFileSync(this.file('journal'), `${JSON.stringify({ type: 'agent-paid', ...key, paid })}\n`);
  }

  /** A model call an agent made, metered by the proxy: its bill survives a crash mid-run. */
  agentCall(key: { model: string; task: string; trial: number }, call: AgentCallBill): void {
    appendFileSync(this.file('journal'), `${JSON.stringify({ type: 'agent-call', ...key, call })}\n`);
  }

  trial(record: TrialRecord): void {
    appendFileSync(this.file('journal'), `${JSON.stringify({ type: 'trial', record })}\n`);
  }

  /** Marks the run as stopped by a signal (resume ignores the line and continues the run). */
  interrupted(signal: string): void {
    appendFileSync(
      this.file('journal'),
      `${JSON.stringify({ type: 'interrupted', signal, at: new Date().toISOString() })}\n`,
    );
  }

  transcript(entry: Record<string, unknown>): void {
    appendFileSync(
      this.file('transcripts'),
      `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`,
    );
  }

  results(results: Results): void {
    writeAtomic(this.file('results'), serializeResults(results));
  }

  report(markdown: string): void {
    writeAtomic(this.file('report'), markdown);
  }
}

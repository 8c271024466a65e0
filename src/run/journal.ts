import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { writeAtomic, writeAtomicPieces } from '../atomic-write.js';
import { writeResults } from '../results/io.js';
import { resultsJsonPieces } from '../results/json-pieces.js';
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

/** Which trial a journal line belongs to. */
export interface TrialKey {
  model: string;
  task: string;
  trial: number;
}

/**
 * The run's single durable record, append-only (journal.jsonl; its lines are listed in
 * docs/ARCHITECTURE.md): each reply the moment it is paid for, each attempt the moment it is graded
 * (its reply not repeated: it points at the `paid` line), and a one-line marker when a trial ends (the
 * trial is rebuilt from its attempts). Appending costs the same at the thousandth trial as at the
 * first; results.json is materialised from the run's state at the end and at bounded checkpoints
 * (`checkpoint.ts`), never per trial. A crash loses at most the attempts in flight.
 */
export class Journal {
  private readonly lines: Record<'journal' | 'transcripts', AppendOnly>;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.lines = {
      journal: new AppendOnly(this.file('journal')),
      transcripts: new AppendOnly(this.file('transcripts')),
    };
  }

  /** Closes the two append-only files (a later line reopens them). Never throws. */
  close(): void {
    this.lines.journal.close();
    this.lines.transcripts.close();
  }

  file(name: keyof typeof OUTPUT_FILES): string {
    return path.join(this.dir, OUTPUT_FILES[name]);
  }

  private append(entry: Record<string, unknown>): void {
    this.lines.journal.append(`${JSON.stringify(entry)}\n`);
  }

  header(header: RunHeader): void {
    this.append({ ...header });
  }

  /**
   * A graded attempt. When its reply was journaled by `paid` (chat models), the line says
   * `"reply":"paid"` instead of repeating it; `--resume` takes the text from the paid line.
   */
  attempt(key: TrialKey, attempt: AttemptRecord, replyPaid = false): void {
    if (replyPaid)
      this.append({ type: 'attempt', ...key, reply: 'paid', attempt: { ...attempt, reply: undefined } });
    else this.append({ type: 'attempt', ...key, attempt });
  }

  /** A reply paid for, journaled before grading so a crash never makes us pay for it twice. */
  paid(key: TrialKey, paid: PaidReply): void {
    this.append({ type: 'paid', ...key, paid });
  }

  /** An agent's run paid for (metered) with the files it left, journaled before grading: never run twice. */
  agentPaid(key: TrialKey, paid: AgentPaid): void {
    this.append({ type: 'agent-paid', ...key, paid });
  }

  /** A model call an agent made, metered by the proxy: its bill survives a crash mid-run. */
  agentCall(key: TrialKey, call: AgentCallBill): void {
    this.append({ type: 'agent-call', ...key, call });
  }

  /** A trial ended: its record is its last `attempts` attempts, summarised (`summarizeTrial`). */
  trial(key: TrialKey, attempts: number, stoppedBy: TrialRecord['stoppedBy']): void {
    this.append({ type: 'trial', ...key, attempts, stoppedBy });
  }

  /** Marks the run as stopped by a signal (resume ignores the line and continues the run). */
  interrupted(signal: string): void {
    this.append({ type: 'interrupted', signal, at: new Date().toISOString() });
  }

  transcript(entry: Record<string, unknown>): void {
    this.lines.transcripts.append(`${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`);
  }

  /** The final (or interrupted) results.json: validated and pretty-printed. */
  results(results: Results): void {
    writeResults(this.file('results'), results);
  }

  /**
   * A results.json checkpoint mid-run: the same object, compact and not re-validated (built by the
   * same typed code; the final write validates), so a checkpoint of a thousand trials costs a fraction
   * of the final write. Written a trial at a time, so it adds no memory proportional to the run.
   */
  checkpoint(results: Results): void {
    writeAtomicPieces(this.file('results'), resultsJsonPieces(results, { validate: false, indent: 0 }));
  }

  report(markdown: string): void {
    writeAtomic(this.file('report'), markdown);
  }
}

/**
 * A file only ever appended to, through one descriptor kept open: opening and closing it for every
 * line cost as much CPU as writing the line (a run appends a few lines per attempt). O_APPEND puts each
 * line at the end, as appendFileSync did, and the kernel has it as soon as the call returns.
 */
class AppendOnly {
  private fd: number | null = null;

  constructor(private readonly file: string) {}

  append(line: string): void {
    this.fd ??= openSync(this.file, 'a');
    const bytes = Buffer.from(line, 'utf8');
    for (let done = 0; done < bytes.length;) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }

  close(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed: nothing to free
    }
    this.fd = null;
  }
}

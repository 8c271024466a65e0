import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serializeResults } from '../results/io.js';
import type { AttemptRecord, Results, TrialRecord } from '../results/schema.js';

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

  attempt(key: { model: string; task: string; trial: number }, attempt: AttemptRecord): void {
    appendFileSync(this.file('journal'), `${JSON.stringify({ type: 'attempt', ...key, attempt })}\n`);
  }

  trial(record: TrialRecord): void {
    appendFileSync(this.file('journal'), `${JSON.stringify({ type: 'trial', record })}\n`);
  }

  transcript(entry: Record<string, unknown>): void {
    appendFileSync(this.file('transcripts'), `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`);
  }

  results(results: Results): void {
    writeAtomic(this.file('results'), serializeResults(results));
  }

  report(markdown: string): void {
    writeAtomic(this.file('report'), markdown);
  }
}

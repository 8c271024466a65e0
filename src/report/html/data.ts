import { createPatch } from 'diff';
import { singleEditablePath } from '../../grade/grade.js';
import { extractFiles } from '../../prompt/extract.js';
import type { AttemptRecord, Results } from '../../results/schema.js';
import type { Task } from '../../tasks/loader.js';

/** Inputs larger than this are not diffed (a hostile reply can be megabytes): the page says so. */
const MAX_DIFF_INPUT = 256 * 1024;
/** Myers' diff is quadratic in the edit distance: past this many edits the page shows a note instead. */
const MAX_EDIT_LENGTH = 4000;
/** When no diff can be made, this much of the raw reply is shown instead. */
const MAX_REPLY_EXCERPT = 16 * 1024;

export interface FileDiff {
  file: string;
  /** Index into `DrillData.diffs` (identical diffs across trials are stored once); null with a note. */
  diff: number | null;
  note?: string;
}

export type AttemptView = Omit<AttemptRecord, 'reply' | 'files'> & {
  files: FileDiff[];
  /** The reply's start, only when its files could not be diffed against the starter. */
  replyExcerpt: string | null;
};

export interface TrialView {
  model: string;
  task: string;
  suite: string;
  trial: number;
  outcome: string;
  passedAtAttempt: number | null;
  cost: number | null;
  modelMs: number;
  gradeMs: number;
  attempts: AttemptView[];
}

/** Everything the page's drill-down renders, embedded as JSON and rendered lazily in the browser. */
export interface DrillData {
  isolation: { level: string; features: string[]; missing: string[] };
  attemptsPerTrial: number;
  models: string[];
  suites: string[];
  trials: TrialView[];
  diffs: string[];
  /** Why diffs are missing for some tasks (not found, changed since the run). */
  notes: string[];
}

class DiffTable {
  readonly diffs: string[] = [];
  private readonly index = new Map<string, number>();
  add(text: string): number {
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.diffs.push(text) - 1;
      this.index.set(text, i);
    }
    return i;
  }
}

function diffFile(file: string, before: string, after: string, n: number, table: DiffTable): FileDiff {
  if (before.length > MAX_DIFF_INPUT || after.length > MAX_DIFF_INPUT)
    return { file, diff: null, note: `too large to diff (${after.length} characters)` };
  const patch = createPatch(file, before, after, 'starter', `attempt ${n}`, {
    context: 3,
    maxEditLength: MAX_EDIT_LENGTH,
  });
  if (patch === undefined) return { file, diff: null, note: 'too many changes to diff' };
  return { file, diff: table.add(patch) };
}

function attemptView(a: AttemptRecord, task: Task | null, table: DiffTable): AttemptView {
  const { reply, files, ...rest } = a;
  if (!reply)
    return {
      ...rest,
      files: files.map((file) => ({ file, diff: null, note: 'no reply recorded' })),
      replyExcerpt: null,
    };
  if (!task)
    return {
      ...rest,
      files: files.map((file) => ({ file, diff: null })),
      replyExcerpt: reply.slice(0, MAX_REPLY_EXCERPT),
    };
  // Re-extract exactly as the grader did, so the diff shows what was graded.
  const extracted = extractFiles(reply, {
    isEditable: task.isEditable,
    knownFiles: [...task.starter.keys()].filter((rel) => task.isEditable(rel)),
    singleEditable: singleEditablePath(task),
  }).files;
  return {
    ...rest,
    files: files.map((file) => {
      const after = extracted.get(file);
      return after === undefined
        ? { file, diff: null, note: 'not found in the reply' }
        : diffFile(file, task.starter.get(file) ?? '', after, a.n, table);
    }),
    replyExcerpt: null,
  };
}

/**
 * The drill-down data for every (model, task, trial). `tasks` supplies the starter files the diffs are
 * taken against; a task missing or changed since the run (its hash differs) gets the reply's start instead.
 */
export function drillData(results: Results, tasks: Task[] = []): DrillData {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const table = new DiffTable();
  const notes = new Set<string>();
  const usable = new Map<string, Task | null>();
  for (const t of results.tasks) {
    const task = byKey.get(t.key);
    if (!task) notes.add(`${t.key}: task files not found here, replies shown instead of diffs`);
    else if (task.hash !== t.hash)
      notes.add(`${t.key}: task changed since the run, replies shown instead of diffs`);
    usable.set(t.key, task && task.hash === t.hash ? task : null);
  }
  return {
    isolation: results.sandbox,
    attemptsPerTrial: results.config.attempts,
    models: results.models.map((m) => m.name),
    suites: [...new Set(results.tasks.map((t) => t.suite))],
    trials: results.trials.map((t) => ({
      model: t.model,
      task: t.task,
      suite: t.task.split('/')[0]!,
      trial: t.trial,
      outcome: t.outcome,
      passedAtAttempt: t.passedAtAttempt,
      cost: t.cost,
      modelMs: t.modelMs,
      gradeMs: t.gradeMs,
      attempts: t.attempts.map((a) => attemptView(a, usable.get(t.task) ?? null, table)),
    })),
    diffs: table.diffs,
    notes: [...notes],
  };
}

/**
 * JSON safe inside a `<script type="application/json">` element: no `<` (so no `</script>` or `<!--`
 * can end it early) and no line separators; `JSON.parse` reads it back unchanged.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

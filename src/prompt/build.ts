import type { ChatMessage } from '../models/types.js';
import { sha256, type FileMap } from '../tasks/files.js';
import type { Task } from '../tasks/loader.js';
import { TAMPER_CONTRACT } from '../grade/tamper.js';
import { formatFiles } from './format-files.js';

/**
 * How replies must be shaped for the harness to extract files. Kept after a team's own system prompt
 * (variant `contract: append`), since without it the harness cannot read the reply.
 */
export const OUTPUT_CONTRACT = `Output contract:
- Reply with the COMPLETE contents of every file you create or change, each in its own fenced code block.
- Put the file's path (relative to the repository root) in the code fence's info string after the language, e.g.
  \`\`\`tsx src/Component.tsx
  ...whole file...
  \`\`\`
- Only write files the task lets you edit. Never write tests, build configuration, manifests or lockfiles.
- Do not use diffs, placeholders or "rest unchanged" comments: each block replaces the whole file.
- ${TAMPER_CONTRACT}
- Your code is built and run against hidden tests. If it fails, you will get the grader's output and may reply with corrected files.`;

/** The built-in system prompt. Its hash is recorded in every result: a change here is a change of benchmark. */
export const SYSTEM_PROMPT = `You are an expert software engineer completing a task in an existing repository.

${OUTPUT_CONTRACT}`;

export const PROMPT_HASH = sha256(SYSTEM_PROMPT);

/** The pieces of the task message, each already formatted: what a team's task template can place. */
export interface TaskParts {
  ticket: string;
  editable: string;
  starter: string;
  context: string;
}

export function taskParts(task: Task): TaskParts {
  const editable = new Map([...task.starter].filter(([rel]) => task.isEditable(rel)));
  const readOnly = new Map([...task.starter].filter(([rel]) => !task.isEditable(rel)));
  const fixture = task.suite.fixture?.files;
  if (fixture?.has('package.json')) readOnly.set('package.json', fixture.get('package.json')!);
  return {
    ticket: task.prompt.trim(),
    editable: task.editable.map((g) => `\`${g}\``).join(', '),
    starter: editable.size ? formatFiles(editable) : '',
    context: readOnly.size ? formatFiles(readOnly as FileMap) : '',
  };
}

/** The first user message: the ticket, what may be edited, and the starter files (plus read-only context). */
export function buildTaskMessage(task: Task): ChatMessage {
  const p = taskParts(task);
  const parts = [p.ticket, `## Files you may write\nPaths matching: ${p.editable}`];
  if (p.starter) parts.push(`## Starter files (editable)\n\n${p.starter}`);
  if (p.context) parts.push(`## Repository context (read-only)\n\n${p.context}`);
  return { role: 'user', content: parts.join('\n\n') };
}

/** The retry turn: the grader's verdict and output, never the hidden tests themselves. */
export function buildFeedbackMessage(feedback: string, attempt: number, attempts: number): ChatMessage {
  const left = attempts - attempt;
  return {
    role: 'user',
    content: `Your submission failed grading (attempt ${attempt} of ${attempts}; ${left} left).\n\n${feedback}\n\nFix the problem and reply with the complete corrected files, following the same output contract.`,
  };
}

import type { ChatMessage } from '../models/types.js';
import { sha256, type FileMap } from '../tasks/files.js';
import type { Task } from '../tasks/loader.js';
import { TAMPER_CONTRACT } from '../grade/tamper.js';
import { formatFiles } from './format-files.js';

/** The output contract. Its hash is recorded in every result: a change here is a change of benchmark. */
export const SYSTEM_PROMPT = `You are an expert software engineer completing a task in an existing repository.

Output contract:
- Reply with the COMPLETE contents of every file you create or change, each in its own fenced code block.
- Put the file's path (relative to the repository root) in the code fence's info string after the language, e.g.
  \`\`\`tsx src/Component.tsx
  ...whole file...
  \`\`\`
- Only write files the task lets you edit. Never write tests, build configuration, manifests or lockfiles.
- Do not use diffs, placeholders or "rest unchanged" comments: each block replaces the whole file.
- ${TAMPER_CONTRACT}
- Your code is built and run against hidden tests. If it fails, you will get the grader's output and may reply with corrected files.`;

export const PROMPT_HASH = sha256(SYSTEM_PROMPT);

/** The first user message: the ticket, what may be edited, and the starter files (plus read-only context). */
export function buildTaskMessage(task: Task): ChatMessage {
  const editable = new Map([...task.starter].filter(([rel]) => task.isEditable(rel)));
  const readOnly = new Map([...task.starter].filter(([rel]) => !task.isEditable(rel)));
  const fixture = task.suite.fixture?.files;
  if (fixture?.has('package.json')) readOnly.set('package.json', fixture.get('package.json')!);
  const parts = [
    task.prompt.trim(),
    `## Files you may write\nPaths matching: ${task.editable.map((g) => `\`${g}\``).join(', ')}`,
  ];
  if (editable.size) parts.push(`## Starter files (editable)\n\n${formatFiles(editable)}`);
  if (readOnly.size) parts.push(`## Repository context (read-only)\n\n${formatFiles(readOnly as FileMap)}`);
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

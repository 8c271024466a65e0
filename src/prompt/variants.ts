import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { ChatMessage, ModelSettings } from '../models/types.js';
import { sha256 } from '../tasks/files.js';
import type { Task } from '../tasks/loader.js';
import {
  buildFeedbackMessage,
  buildTaskMessage,
  OUTPUT_CONTRACT,
  SYSTEM_PROMPT,
  taskParts,
} from './build.js';

/** A variant as declared under `variants:` in aibench.yml: prompt files a team ships, plus model settings. */
export const variantSchema = z.strictObject({
  /** Replaces the built-in system prompt; path relative to the config file. */
  system: z.string().min(1).optional(),
  /** `append`: the harness's output contract follows the team's prompt; `none`: the team's prompt alone. */
  contract: z.enum(['append', 'none']).default('append'),
  /** Template for the first user message ({{task}} is the harness's own message). */
  task: z.string().min(1).optional(),
  /** Template for each retry message ({{feedback}} is the grader's output). */
  retry: z.string().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(256).max(200_000).optional(),
  /** Anthropic extended-thinking budget (tokens). */
  thinking: z.number().int().min(1024).optional(),
  /** OpenAI reasoning effort. */
  reasoningEffort: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
  /** Prompt caching: Anthropic cache_control breakpoints on the stable prefix (OpenAI caches by itself). */
  cache: z.boolean().default(true),
});
export type VariantConfig = z.infer<typeof variantSchema>;

/** Placeholders each template may use; anything else in `{{…}}` is a typo the user is told about. */
const TASK_PLACEHOLDERS = ['task', 'ticket', 'editable', 'starter', 'context'] as const;
const RETRY_PLACEHOLDERS = ['feedback', 'attempt', 'attempts', 'left', 'default'] as const;

/** Everything that decides what one model row is sent: recorded per row in results. */
export interface PromptProfile {
  /** The variant's name (the model's @label), or null for the built-in prompt. */
  variant: string | null;
  system: string;
  taskTemplate: string | null;
  retryTemplate: string | null;
  /** Hash of system prompt + templates: a change is a change under test. */
  hash: string;
  /** Where the prompt came from, for the report: `built-in` or the files' paths. */
  source: { system: string; contract: 'append' | 'none'; task: string | null; retry: string | null };
  settings: ModelSettings;
  /** Overrides the run's --max-tokens for this row. */
  maxTokens: number | null;
}

function readPromptFile(file: string, what: string): string {
  if (!existsSync(file) || !statSync(file).isFile())
    throw new UsageError(`${what}: ${file} is not a file; fix the path (relative to aibench.yml)`);
  const text = readFileSync(file, 'utf8');
  if (!text.trim()) throw new UsageError(`${what}: ${file} is empty`);
  return text;
}

function checkPlaceholders(
  template: string,
  allowed: readonly string[],
  required: string[],
  what: string,
): void {
  for (const m of template.matchAll(/\{\{\s*([\w-]+)\s*\}\}/g)) {
    if (!allowed.includes(m[1]!))
      throw new UsageError(
        `${what}: unknown placeholder {{${m[1]}}} (use ${allowed.map((a) => `{{${a}}}`).join(', ')})`,
      );
  }
  if (!required.some((r) => new RegExp(`\\{\\{\\s*${r}\\s*\\}\\}`).test(template)))
    throw new UsageError(
      `${what}: the template must contain ${required.map((r) => `{{${r}}}`).join(' or ')}`,
    );
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([\w-]+)\s*\}\}/g, (_, key: string) => values[key] ?? '');
}

/** Without templates the hash is the system prompt's alone, as results before variants recorded it. */
function hashOf(system: string, task: string | null, retry: string | null): string {
  return task === null && retry === null ? sha256(system) : sha256(JSON.stringify({ system, task, retry }));
}

function display(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/** The built-in prompt, or the file given by `--system-prompt` (the output contract appended). */
export function defaultProfile(systemPromptFile?: string): PromptProfile {
  if (!systemPromptFile) {
    return {
      variant: null,
      system: SYSTEM_PROMPT,
      taskTemplate: null,
      retryTemplate: null,
      hash: hashOf(SYSTEM_PROMPT, null, null),
      source: { system: 'built-in', contract: 'append', task: null, retry: null },
      settings: { cache: true },
      maxTokens: null,
    };
  }
  const file = path.resolve(systemPromptFile);
  const system = `${readPromptFile(file, '--system-prompt').trim()}\n\n${OUTPUT_CONTRACT}`;
  return {
    variant: null,
    system,
    taskTemplate: null,
    retryTemplate: null,
    hash: hashOf(system, null, null),
    source: { system: display(file), contract: 'append', task: null, retry: null },
    settings: { cache: true },
    maxTokens: null,
  };
}

/**
 * Reads one declared variant's prompt files (paths already absolute, see loadConfigFile) and validates
 * its templates and settings, so a typo stops the run before anything is spent.
 */
export function loadVariant(name: string, decl: VariantConfig, fallback: PromptProfile): PromptProfile {
  const what = `variants.${name}`;
  const own = decl.system ? readPromptFile(decl.system, `${what}.system`).trim() : null;
  const base = own ?? fallback.system;
  const system = own && decl.contract === 'append' ? `${own}\n\n${OUTPUT_CONTRACT}` : base;
  const taskTemplate = decl.task ? readPromptFile(decl.task, `${what}.task`) : null;
  const retryTemplate = decl.retry ? readPromptFile(decl.retry, `${what}.retry`) : null;
  if (taskTemplate) checkPlaceholders(taskTemplate, TASK_PLACEHOLDERS, ['task', 'ticket'], `${what}.task`);
  if (retryTemplate)
    checkPlaceholders(retryTemplate, RETRY_PLACEHOLDERS, ['feedback', 'default'], `${what}.retry`);
  if (decl.thinking !== undefined && decl.temperature !== undefined)
    throw new UsageError(
      `${what}: extended thinking needs the default temperature; drop temperature or thinking`,
    );
  if (decl.thinking !== undefined && decl.maxTokens !== undefined && decl.maxTokens <= decl.thinking)
    throw new UsageError(
      `${what}: maxTokens (${decl.maxTokens}) must exceed the thinking budget (${decl.thinking})`,
    );
  const settings: ModelSettings = {
    cache: decl.cache,
    ...(decl.temperature !== undefined ? { temperature: decl.temperature } : {}),
    ...(decl.thinking !== undefined ? { thinking: decl.thinking } : {}),
    ...(decl.reasoningEffort !== undefined ? { reasoningEffort: decl.reasoningEffort } : {}),
  };
  return {
    variant: name,
    system,
    taskTemplate,
    retryTemplate,
    hash: hashOf(system, taskTemplate, retryTemplate),
    source: {
      system: decl.system ? display(decl.system) : fallback.source.system,
      contract: decl.contract,
      task: decl.task ? display(decl.task) : null,
      retry: decl.retry ? display(decl.retry) : null,
    },
    settings,
    maxTokens: decl.maxTokens ?? null,
  };
}

/**
 * The profile for each model row: the variant named by its @label when aibench.yml declares one, else
 * the default (built-in or --system-prompt).
 */
export function profilesFor(
  specs: { name: string; label?: string }[],
  variants: Record<string, VariantConfig>,
  systemPromptFile?: string,
): Map<string, PromptProfile> {
  const fallback = defaultProfile(systemPromptFile);
  const loaded = new Map<string, PromptProfile>();
  return new Map(
    specs.map((spec) => {
      const decl = spec.label ? variants[spec.label] : undefined;
      if (!decl) return [spec.name, fallback];
      if (!loaded.has(spec.label!)) loaded.set(spec.label!, loadVariant(spec.label!, decl, fallback));
      return [spec.name, loaded.get(spec.label!)!];
    }),
  );
}

/** Built task messages by task and profile (both live as long as the run that uses them). */
const taskMessages = new WeakMap<Task, WeakMap<PromptProfile, Readonly<ChatMessage>>>();

/**
 * The first user message under a profile: the harness's own, or the team's template filled in.
 * Built once per task and profile and shared, frozen: a run launches every trial at its start, and
 * 3,000 trials each holding its own copy of a 5–10 KB prompt were 30 MB of the heap until they ran.
 */
export function taskMessageFor(task: Task, profile: PromptProfile): Readonly<ChatMessage> {
  let byProfile = taskMessages.get(task);
  if (!byProfile) taskMessages.set(task, (byProfile = new WeakMap()));
  let message = byProfile.get(profile);
  if (!message) byProfile.set(profile, (message = Object.freeze(buildTaskMessageFor(task, profile))));
  return message;
}

function buildTaskMessageFor(task: Task, profile: PromptProfile): ChatMessage {
  const builtin = buildTaskMessage(task);
  if (!profile.taskTemplate) return builtin;
  return { role: 'user', content: fill(profile.taskTemplate, { task: builtin.content, ...taskParts(task) }) };
}

/** The retry message under a profile: the harness's own, or the team's template filled in. */
export function retryMessageFor(
  feedback: string,
  attempt: number,
  attempts: number,
  profile: PromptProfile,
): ChatMessage {
  const builtin = buildFeedbackMessage(feedback, attempt, attempts);
  if (!profile.retryTemplate) return builtin;
  return {
    role: 'user',
    content: fill(profile.retryTemplate, {
      feedback,
      attempt: String(attempt),
      attempts: String(attempts),
      left: String(attempts - attempt),
      default: builtin.content,
    }),
  };
}

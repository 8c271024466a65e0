import { z } from 'zod';

/** Bump on any incompatible change; readers refuse versions they do not know, with a clear message. */
export const RESULTS_SCHEMA_VERSION = 1;

export const failureClassSchema = z.enum(['malformed', 'build', 'test', 'timeout', 'check', 'infra']);
export type FailureClass = z.infer<typeof failureClassSchema>;
export const outcomeSchema = z.union([z.literal('pass'), failureClassSchema]);
export type Outcome = z.infer<typeof outcomeSchema>;

export const usageSchema = z.strictObject({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative(),
});

export const stepSchema = z.strictObject({
  name: z.string(),
  ok: z.boolean(),
  /** `unavailable`: the step could not run on this host (e.g. no nightly toolchain): never a pass. */
  status: z.enum(['ok', 'failed', 'timeout', 'unavailable', 'skipped']),
  durationMs: z.number().nonnegative(),
  exitCode: z.number().int().nullable(),
});

export const testCountsSchema = z.strictObject({
  expected: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
});

/** A fault seen while calling the model (retried or final). Billed tokens, if any, are in the attempt's usage. */
export const faultSchema = z.strictObject({
  cause: z.string(),
  message: z.string(),
  retried: z.boolean(),
  at: z.string(),
});

export const attemptSchema = z.strictObject({
  /** 1-based; an infra failure does not consume an attempt number. */
  n: z.number().int().positive(),
  outcome: outcomeSchema,
  reply: z.string().nullable(),
  modelId: z.string().nullable(),
  stopReason: z.string().nullable(),
  files: z.array(z.string()),
  rejected: z.array(z.strictObject({ path: z.string(), reason: z.string() })),
  steps: z.array(stepSchema),
  tests: testCountsSchema.nullable(),
  failingTests: z.array(z.string()),
  /** What the grader sent back for the next attempt (null when none was sent). */
  feedback: z.string().nullable(),
  /** Why the attempt failed, one bounded line for reviewers (class, first failing test and message, or first compiler error); absent on a pass. */
  reason: z.string().nullable().optional(),
  /** Evidence that the submission games the grader; empty for an honest attempt. */
  suspect: z.array(z.string()),
  faults: z.array(faultSchema),
  usage: usageSchema,
  /** USD; null when the model has no known price. */
  cost: z.number().nonnegative().nullable(),
  modelMs: z.number().nonnegative(),
  gradeMs: z.number().nonnegative(),
  startedAt: z.string(),
});
export type AttemptRecord = z.infer<typeof attemptSchema>;

export const trialSchema = z.strictObject({
  model: z.string(),
  task: z.string(),
  trial: z.number().int().positive(),
  passed: z.boolean(),
  /** pass, or the class of the last attempt. */
  outcome: outcomeSchema,
  passedAtAttempt: z.number().int().positive().nullable(),
  attempts: z.array(attemptSchema),
  cost: z.number().nonnegative().nullable(),
  usage: usageSchema,
  modelMs: z.number().nonnegative(),
  gradeMs: z.number().nonnegative(),
  /** `budget`: --max-cost stopped the trial before it used its attempts (not counted as graded). */
  stoppedBy: z.enum(['budget']).nullable(),
});
export type TrialRecord = z.infer<typeof trialSchema>;

export const priceEntrySchema = z.strictObject({
  input: z.number(),
  output: z.number(),
  cacheWrite: z.number(),
  cacheRead: z.number(),
});

/** The row's prompt: its hash (the thing a prompt PR changes) and where its parts came from. */
export const modelPromptSchema = z.strictObject({
  hash: z.string(),
  variant: z.string().nullable(),
  system: z.string(),
  contract: z.enum(['append', 'none']),
  task: z.string().nullable(),
  retry: z.string().nullable(),
});

/** Model settings the row ran with; absent keys were the vendor's defaults. */
export const modelSettingsSchema = z.strictObject({
  maxTokens: z.number().int().positive(),
  cache: z.boolean(),
  temperature: z.number().optional(),
  thinking: z.number().int().optional(),
  reasoningEffort: z.string().optional(),
});

export const resultsSchema = z.strictObject({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  runId: z.string(),
  /** `interrupted`: stopped by Ctrl-C or SIGTERM; continue it with `aibench run --resume <out>`. */
  status: z.enum(['running', 'complete', 'budget-exhausted', 'interrupted', 'aborted']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  harness: z.strictObject({ version: z.string(), commit: z.string().nullable() }),
  fingerprints: z.strictObject({ tasks: z.string(), prompt: z.string(), prices: z.string() }),
  prices: z.strictObject({ asOf: z.string(), models: z.record(z.string(), priceEntrySchema.nullable()) }),
  toolchains: z.record(z.string(), z.string()),
  sandbox: z.strictObject({ level: z.string(), features: z.array(z.string()), missing: z.array(z.string()) }),
  config: z.strictObject({
    attempts: z.number().int().positive(),
    trials: z.number().int().positive(),
    concurrency: z.number().int().positive(),
    maxTokens: z.number().int().positive(),
    feedbackChars: z.number().int().positive(),
    maxCost: z.number().nonnegative().nullable(),
  }),
  models: z.array(
    z.strictObject({
      name: z.string(),
      spec: z.string(),
      provider: z.string(),
      model: z.string(),
      /** What this row was prompted with (absent in results written before variants existed). */
      prompt: modelPromptSchema.optional(),
      settings: modelSettingsSchema.optional(),
      /** Agent rows: the model its metered calls are priced as, and the isolation it ran under. */
      agent: z.strictObject({ pricedAs: z.string(), isolation: z.string() }).optional(),
    }),
  ),
  tasks: z.array(
    z.strictObject({
      key: z.string(),
      suite: z.string(),
      id: z.string(),
      level: z.number(),
      title: z.string(),
      hash: z.string(),
    }),
  ),
  trials: z.array(trialSchema),
  warnings: z.array(z.string()),
});
export type Results = z.infer<typeof resultsSchema>;

import { z } from 'zod';
import { priceSchema } from '../models/prices.js';
import { variantSchema } from '../prompt/variants.js';
import { agentConfigSchema } from '../agents/config.js';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name like ACME_API_KEY');

/** An OpenAI-compatible (or Anthropic-compatible) endpoint the user declares. */
export const providerConfigSchema = z.strictObject({
  baseUrl: z.url(),
  /** Env var holding the key; omit for keyless local servers. */
  apiKeyEnv: envName.optional(),
  wire: z.enum(['openai', 'anthropic']).default('openai'),
});

/** Knobs shared by the CLI flags, the action inputs and the config file's `run:` section. */
export const runSettingsSchema = z.strictObject({
  attempts: z.number().int().min(1).max(10),
  trials: z.number().int().min(1).max(100),
  concurrency: z.number().int().min(1).max(64),
  gradeConcurrency: z.number().int().min(1).max(32),
  maxTokens: z.number().int().min(256).max(200_000),
  feedbackChars: z.number().int().min(200).max(100_000),
  requestTimeoutSec: z.number().min(1).max(3600),
  retries: z.number().int().min(0).max(20),
  maxCost: z.number().positive().nullable(),
});
export type RunSettings = z.infer<typeof runSettingsSchema>;

/** `aibench.yml` */
export const configFileSchema = z.strictObject({
  providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/), providerConfigSchema).default({}),
  prices: z
    .strictObject({ asOf: z.string().optional(), models: z.record(z.string(), priceSchema).default({}) })
    .optional(),
  run: runSettingsSchema.partial().default({}),
  /** Prompts under test: `--models anthropic/claude-sonnet-4-6@<name>` runs that model with this variant. */
  variants: z
    .record(
      z.string().regex(/^[\w.-]+$/, 'letters, digits, . _ - (it is used as a model @label)'),
      variantSchema,
    )
    .default({}),
  /** Agents under test: `--models agent:<name>` runs this command in each attempt's workspace. */
  agents: z.record(z.string().regex(/^[\w.-]+$/, 'letters, digits, . _ -'), agentConfigSchema).default({}),
  /** Extra task roots (folders of suites), relative to the config file. */
  tasksPath: z.array(z.string()).optional(),
});
export type ConfigFile = z.infer<typeof configFileSchema>;
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

import { z } from 'zod';

/** `tasks/<suite>/suite.yml` */
export const suiteFileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  title: z.string().min(1).optional(),
  toolchain: z.enum(['node', 'rust', 'go', 'python']),
  /** node only: folder (relative to the suite) with package.json, lockfile and config files. */
  fixture: z.string().min(1).optional(),
});
export type SuiteFile = z.infer<typeof suiteFileSchema>;

const forbidCheckSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.literal('forbid'),
  /** A regular expression that must not match any file the model wrote. */
  pattern: z.string().min(1),
  message: z.string().min(1),
});

const tsanCheckSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.literal('tsan'),
  /** The `[[test]]` target (harness = false) to run under ThreadSanitizer. */
  target: z.string().regex(/^[A-Za-z0-9_-]+$/),
  timeout: z.number().positive().max(3600).optional(),
  /** A TSan suppressions file in `hidden/` (workspace-relative), for false reports TSan cannot avoid. */
  suppressions: z
    .string()
    .regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9_./-]+$/, 'a relative path inside hidden/')
    .optional(),
});

/**
 * rust: items the submission's library and binaries must not use, judged on the MIR the build printed
 * (fully-qualified, resolved paths: `use std::sync::Mutex as M` still prints `std::sync::Mutex`; a
 * comment or a string never counts). A path also covers what lies under it (`std::sync::mpsc`).
 */
const rustForbidCheckSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.literal('rust-forbid'),
  paths: z
    .array(z.string().regex(/^[a-z_][a-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)+$/, 'like std::sync::Mutex'))
    .min(1),
  message: z.string().min(1),
});

/** go: a type the submission must not carry, judged on go/types' resolution (`sync.Mutex`, or `chan`). */
const goForbidCheckSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.literal('go-forbid'),
  types: z.array(z.string().regex(/^(?:chan|[a-z0-9_./]+\.[A-Za-z_]\w*)$/, 'like sync.Mutex, or chan')).min(1),
  message: z.string().min(1),
});

/** go: the hidden tests (those `run` matches) again under the race detector (`go test -race`). */
const raceCheckSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.literal('race'),
  /** A `-test.run` pattern (Go regexp syntax) selecting the stress tests; all hidden tests by default. */
  run: z.string().min(1).optional(),
  timeout: z.number().positive().max(3600).optional(),
});

export const checkSchema = z.discriminatedUnion('kind', [
  forbidCheckSchema,
  rustForbidCheckSchema,
  tsanCheckSchema,
  goForbidCheckSchema,
  raceCheckSchema,
]);
export type Check = z.infer<typeof checkSchema>;

/** `tasks/<suite>/<id>/task.yml` */
export const taskFileSchema = z.strictObject({
  id: z.string().regex(/^L[1-9][0-9]*-[a-z0-9-]+$/, 'like L1-statcard'),
  level: z.number().int().min(1).max(9),
  title: z.string().min(1),
  capability: z.string().min(1),
  editable: z.array(z.string().min(1)).min(1),
  tests: z.number().int().positive(),
  timeouts: z
    .strictObject({
      build: z.number().positive().max(3600).optional(),
      test: z.number().positive().max(3600).optional(),
    })
    .optional(),
  checks: z.array(checkSchema).default([]),
  /** Tamper-scan rules this task needs lifted (e.g. fs-access for a file tool), or `*` for none at all. */
  allow: z.array(z.string().min(1)).default([]),
});
export type TaskFile = z.infer<typeof taskFileSchema>;

/** Front matter of `mutants/<name>/why.md`: what `aibench validate` must observe. */
export const mutantExpectationSchema = z.strictObject({
  class: z.enum(['malformed', 'build', 'test', 'timeout', 'check']),
  fails: z.array(z.string().min(1)).optional(),
});
export type MutantExpectation = z.infer<typeof mutantExpectationSchema>;

/** Formats a zod error as `field.path: message` for the first issue. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length ? issue.path.join('.') : '(top level)';
  return `${path}: ${issue.message}`;
}

import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { describeZodError } from '../tasks/schema.js';
import { writeAtomicPieces } from '../atomic-write.js';
import { resultsJsonPieces } from './json-pieces.js';
import { RESULTS_SCHEMA_VERSION, resultsSchema, type Results } from './schema.js';

/** Validates results before they are written: a malformed results file must never leave the harness. */
export function serializeResults(results: Results): string {
  return [...resultsJsonPieces(results, { validate: true, indent: 2 })].join('');
}

/**
 * Writes results.json validated and pretty-printed, whole or not at all, one trial at a time: the
 * file of a long run is never one string in memory.
 */
export function writeResults(file: string, results: Results): void {
  writeAtomicPieces(file, resultsJsonPieces(results, { validate: true, indent: 2 }));
}

/** Reads and validates a results file; refuses other schema versions with a message that says what to do. */
export function readResults(file: string): Results {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such results file` : `${file}: not valid JSON`);
  }
  const version = (raw as { schemaVersion?: unknown })?.schemaVersion;
  if (version !== RESULTS_SCHEMA_VERSION) {
    throw new UsageError(
      `${file}: results schema version ${JSON.stringify(version)} is not supported (this aibench reads version ${RESULTS_SCHEMA_VERSION}); re-run it with this version`,
    );
  }
  const parsed = resultsSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${file}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

import { randomUUID } from 'node:crypto';
import { resultsSchema, trialSchema, type Results } from './schema.js';

/**
 * results.json as a sequence of strings: everything but the trials split around them, then one trial
 * at a time. Joined, the pieces are exactly `JSON.stringify(results, null, indent)`; written one after
 * another (`writeAtomicPieces`), a thousand trials' file (tens of MB, mostly replies) is never one
 * string in memory, which made every checkpoint a spike in RSS proportional to the run.
 * With `validate`, each trial is checked on its own (the schema has no rule across trials), so a
 * malformed record still never leaves the harness, without the deep copy a whole-file parse makes.
 */
export function* resultsJsonPieces(
  results: Results,
  opts: { validate: boolean; indent: 0 | 2 },
): Generator<string> {
  const rest = opts.validate ? resultsSchema.parse({ ...results, trials: [] }) : results;
  // A fresh random marker stands where the trials go: no string from the run (a reply is the model's
  // text) can be it, so splitting on it cuts at that one place.
  const marker = `aibench-trials-${randomUUID()}`;
  const [head, tail] = JSON.stringify({ ...rest, trials: marker }, null, opts.indent).split(
    JSON.stringify(marker),
  );
  yield head!;
  const trials = results.trials;
  if (!trials.length) yield '[]';
  else if (!opts.indent) {
    yield '[';
    for (const [i, t] of trials.entries())
      yield `${i ? ',' : ''}${JSON.stringify(opts.validate ? trialSchema.parse(t) : t)}`;
    yield ']';
  } else {
    // Array items of a top-level key sit two levels deep: JSON.stringify indents them by 4 and puts
    // the closing bracket at 2. A JSON string never holds a raw newline, so indenting lines is exact.
    yield '[\n';
    for (const [i, t] of trials.entries()) {
      const json = JSON.stringify(opts.validate ? trialSchema.parse(t) : t, null, 2);
      yield `${i ? ',\n' : ''}    ${json.replaceAll('\n', '\n    ')}`;
    }
    yield '\n  ]';
  }
  yield `${tail!}\n`;
}

// Module hooks for the run benchmark: every import of the harness's grader (src/grade/grade.ts, in
// whichever checkout is measured) resolves to the simulated grader instead.
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const STUB = pathToFileURL(path.join(import.meta.dirname, 'stub-grade.mts')).href;

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  return resolved.url.endsWith('/src/grade/grade.ts') ? { ...resolved, url: STUB } : resolved;
}

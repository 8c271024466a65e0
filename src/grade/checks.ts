import type { FileMap } from '../tasks/files.js';
import type { Check } from '../tasks/schema.js';

/**
 * Source checks that need no toolchain: a `forbid` pattern must not match any file the model wrote.
 * Returns the first violation as feedback, or null.
 */
export function forbiddenPatternViolation(
  checks: Check[],
  modelFiles: FileMap,
): { check: string; message: string } | null {
  for (const check of checks) {
    if (check.kind !== 'forbid') continue;
    const re = new RegExp(check.pattern, 'm');
    for (const [rel, content] of modelFiles) {
      const m = re.exec(content);
      if (m) {
        const line = content.slice(0, m.index).split('\n').length;
        return { check: check.name, message: `${check.message} (found \`${m[0]}\` in ${rel}:${line})` };
      }
    }
  }
  return null;
}

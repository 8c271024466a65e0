import path from 'node:path';
import ts from 'typescript';
import type { FileMap } from '../../tasks/files.js';
import type { Task } from '../../tasks/loader.js';
import type { TamperHit } from '../tamper.js';
import type { ModulePolicy } from './ts-modules.js';
import { NODE_RULES } from './ts-rules.js';
import { walkFile, type RawHit } from './ts-walk.js';

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

/** What a node task's submission may import: the fixture's runtime `dependencies`, never its hidden files. */
export function nodeModulePolicy(task: Task): ModulePolicy {
  let packages: string[] | null = null;
  const manifest = task.suite.fixture?.files.get('package.json');
  if (manifest) {
    try {
      packages = Object.keys((JSON.parse(manifest) as { dependencies?: object }).dependencies ?? {});
    } catch {
      // An unreadable manifest fails the install long before this; judge by the deny-list alone.
    }
  }
  const hiddenPaths = [...task.hidden.keys()];
  const tops = new Set(hiddenPaths.filter((rel) => rel.includes('/')).map((rel) => rel.split('/')[0]!));
  const hiddenDirs = [...tops].filter(
    (top) => !['ts', 'tsx', 'js', 'jsx'].some((ext) => task.isEditable(`${top}/x.${ext}`)),
  );
  return { packages, hiddenPaths, hiddenDirs };
}

/**
 * Pure: the tamper rules a node submission's scripts break, one hit per rule (the first found), after
 * resolving every name — aliases, destructuring, `import * as`, const aliases of `globalThis` — so the
 * spelling does not matter and comments and strings never count. One parse and two walks per file:
 * linear in the size of the submission. A file nested too deeply to walk is refused (`unscannable`).
 */
export function scanNodeSubmission(files: FileMap, allow: string[], policy: ModulePolicy): TamperHit[] {
  if (allow.includes('*')) return [];
  const found = new Map<string, TamperHit>();
  for (const [file, content] of files) {
    const kind = SCRIPT_KINDS[path.posix.extname(file)];
    if (kind === undefined) continue;
    const raw: RawHit[] = [];
    let sf: ts.SourceFile | undefined;
    try {
      sf = ts.createSourceFile(file, content, ts.ScriptTarget.Latest, true, kind);
      walkFile(sf, file, policy, raw);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      raw.length = 0;
      if (!found.has('unscannable'))
        found.set('unscannable', {
          rule: 'unscannable',
          message: NODE_RULES.unscannable,
          file,
          line: 1,
          excerpt: '',
        });
      continue;
    }
    for (const h of raw) {
      if (found.has(h.rule) || allow.includes(h.rule)) continue;
      const line = sf.getLineAndCharacterOfPosition(h.node.getStart(sf)).line;
      const lineText = content.slice(
        sf.getLineStarts()[line],
        sf.getLineStarts()[line + 1] ?? content.length,
      );
      found.set(h.rule, {
        rule: h.rule,
        message: `${NODE_RULES[h.rule]}: ${h.why}`,
        file,
        line: line + 1,
        excerpt: lineText.trim().slice(0, 160),
      });
    }
  }
  return [...found.values()];
}

import { builtinModules } from 'node:module';
import path from 'node:path';
import { TEST_PACKAGES, type NodeRuleId } from './ts-rules.js';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]!]));

export interface ModulePolicy {
  /** Packages the task provides to components (the fixture's `dependencies`); null: any non-test package. */
  packages: string[] | null;
  /** Project-relative paths of the hidden files (tests): no submission module may import them. */
  hiddenPaths: string[];
  /** Top-level folders holding hidden files and nothing editable (`tests`): nothing in them may be imported. */
  hiddenDirs: string[];
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const stripExtension = (p: string) => p.replace(/\.(?:[cm]?[jt]sx?|json)$/, '');

/**
 * Pure: the rule a module specifier breaks when `file` imports it, or null. Bundler queries
 * (`?raw`, `?url`…), absolute and virtual paths, paths leaving the project or naming a hidden file,
 * Node built-ins, the test toolchain and packages the task does not provide are refused.
 */
export function judgeSpecifier(
  spec: string,
  file: string,
  policy: ModulePolicy,
): { rule: NodeRuleId; why: string } | null {
  if (/[?#]/.test(spec) || spec.startsWith('/') || spec.startsWith('\0') || /^[a-z][\w+.-]*:/i.test(spec)) {
    if (spec.startsWith('node:')) {
      const name = spec.slice(5);
      return { rule: name.startsWith('inspector') ? 'inspector' : 'node-builtins', why: `imports "${spec}"` };
    }
    return { rule: 'bundler-import', why: `imports "${spec}" (bundler query, absolute or virtual path)` };
  }
  if (spec.startsWith('.')) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    if (target === '..' || target.startsWith('../') || path.posix.isAbsolute(target))
      return { rule: 'bundler-import', why: `imports "${spec}", outside the project` };
    const bare = stripExtension(target);
    const hidden =
      policy.hiddenPaths.some((h) => bare === stripExtension(h)) ||
      policy.hiddenDirs.some((d) => bare === d || bare.startsWith(`${d}/`));
    return hidden ? { rule: 'bundler-import', why: `imports "${spec}", a hidden test file` } : null;
  }
  if (BUILTINS.has(spec) || BUILTINS.has(packageName(spec)))
    return { rule: spec.startsWith('inspector') ? 'inspector' : 'node-builtins', why: `imports "${spec}"` };
  if (TEST_PACKAGES.some((re) => re.test(spec))) return { rule: 'test-framework', why: `imports "${spec}"` };
  if (policy.packages && !policy.packages.includes(packageName(spec)))
    return { rule: 'test-framework', why: `imports "${spec}", a package the task does not provide` };
  return null;
}

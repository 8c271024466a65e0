import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** A file tree held in memory: POSIX relative path -> contents. Tasks are small; this keeps grading pure. */
export type FileMap = Map<string, string>;

/** Reads every regular file under `dir` (recursively) into a FileMap; `skip` filters relative paths. */
export function readTree(dir: string, skip: (rel: string) => boolean = () => false): FileMap {
  const files: FileMap = new Map();
  if (!existsSync(dir)) return files;
  const walk = (abs: string, rel: string): void => {
    for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name === 'node_modules' || entry.name === 'target') continue;
      if (skip(childRel)) continue;
      const childAbs = path.join(abs, entry.name);
      if (entry.isDirectory()) walk(childAbs, childRel);
      else if (entry.isFile()) files.set(childRel, readFileSync(childAbs, 'utf8'));
    }
  };
  walk(dir, '');
  return files;
}

/** A stable content hash of several trees (paths and contents), used as a fingerprint. */
export function hashFiles(...trees: FileMap[]): string {
  const hash = createHash('sha256');
  for (const tree of trees) {
    for (const [rel, content] of [...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      hash.update(rel).update('\0').update(content).update('\0');
    }
    hash.update('\u0001');
  }
  return hash.digest('hex').slice(0, 16);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

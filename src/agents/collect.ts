import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import type { FileMap } from '../tasks/files.js';
import type { Task } from '../tasks/loader.js';

/** Caps on what an agent's workspace may hand to grading: the agent left it, so it is hostile input. */
export const COLLECT_LIMITS = {
  fileBytes: 1024 * 1024,
  totalBytes: 16 * 1024 * 1024,
  files: 2000,
  depth: 16,
};

const SKIP_DIRS = new Set(['node_modules', 'target', '.git']);

export interface Collected {
  /** Editable files the agent left (regular files only, within the caps). */
  files: FileMap;
  /** Everything else it changed or added, ignored for grading and listed with the reason. */
  rejected: { path: string; reason: string }[];
}

/** Reads a regular file without following a link or blocking on a FIFO swapped in after lstat. */
function readRegular(abs: string, limit: number): string | null {
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    // The path may have been swapped for a FIFO or device since lstat: only a regular file is read.
    if (!fstatSync(fd).isFile()) return null;
    const buf = Buffer.alloc(limit + 1);
    let size = 0;
    for (;;) {
      const n = readSync(fd, buf, size, buf.length - size, null);
      if (n <= 0) break;
      size += n;
      if (size > limit) return null;
    }
    return buf.subarray(0, size).toString('utf8');
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * What the agent left in its workspace, as grading takes it: lstat only (symlinks, FIFOs, sockets and
 * devices are never followed or opened), regular files under a size cap, bounded count and depth.
 * Editable paths go to grading; other files the agent changed or added are ignored and listed.
 */
export function collectWorkspace(dir: string, task: Task, baseline: FileMap): Collected {
  const files: FileMap = new Map();
  const rejected: Collected['rejected'] = [];
  let total = 0;
  let seen = 0;
  const walk = (abs: string, rel: string, depth: number): void => {
    if (depth > COLLECT_LIMITS.depth) {
      rejected.push({ path: rel, reason: `nested deeper than ${COLLECT_LIMITS.depth} folders` });
      return;
    }
    let entries: string[];
    try {
      entries = readdirSync(abs).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const childRel = rel ? `${rel}/${name}` : name;
      const childAbs = path.join(abs, name);
      let st;
      try {
        st = lstatSync(childAbs);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name)) walk(childAbs, childRel, depth + 1);
        continue;
      }
      if (++seen > COLLECT_LIMITS.files) {
        rejected.push({ path: childRel, reason: `more than ${COLLECT_LIMITS.files} files` });
        return;
      }
      const editable = task.isEditable(childRel);
      if (!st.isFile()) {
        if (editable || !baseline.has(childRel))
          rejected.push({
            path: childRel,
            reason: st.isSymbolicLink() ? 'a symbolic link, not a file' : 'not a regular file',
          });
        continue;
      }
      if (st.size > COLLECT_LIMITS.fileBytes || total + st.size > COLLECT_LIMITS.totalBytes) {
        rejected.push({
          path: childRel,
          reason: `larger than the ${COLLECT_LIMITS.fileBytes} bytes allowed`,
        });
        continue;
      }
      const content = readRegular(childAbs, COLLECT_LIMITS.fileBytes);
      if (content === null) {
        rejected.push({ path: childRel, reason: 'could not be read as a regular file' });
        continue;
      }
      total += content.length;
      if (editable) files.set(childRel, content);
      else if (baseline.get(childRel) !== content)
        rejected.push({ path: childRel, reason: 'not an editable file for this task: ignored' });
    }
  };
  walk(dir, '', 0);
  return { files, rejected };
}

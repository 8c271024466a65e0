import path from 'node:path';
import { parsePatch } from 'diff';
import type { FileMap } from '../tasks/files.js';

export interface Extraction {
  files: FileMap;
  rejected: { path: string; reason: string }[];
  /** True when a single unlabeled block was taken as the task's single editable file. */
  inferred: boolean;
}

interface Block {
  info: string;
  body: string;
  /** The last non-empty line before the opening fence (for "path line" conventions). */
  before: string;
}

const OPEN_FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/** Splits a reply into fenced blocks (``` or ~~~, any length ≥ 3, closed by a fence at least as long). */
export function fencedBlocks(reply: string): Block[] {
  const lines = reply.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let lastText = '';
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN_FENCE.exec(lines[i]!);
    if (!open) {
      if (lines[i]!.trim()) lastText = lines[i]!.trim();
      continue;
    }
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    const closes = (line: string): boolean => {
      const t = line.trim();
      return t.length >= fence.length && t[0] === fence[0] && /^(`+|~+)$/.test(t);
    };
    while (j < lines.length && !closes(lines[j]!)) body.push(lines[j++]!);
    blocks.push({ info: open[3]!.trim(), body: body.join('\n'), before: lastText });
    lastText = '';
    i = j;
  }
  return blocks;
}

const PATHLIKE = /^[\w@.\-/]+\.[A-Za-z0-9]+$|^[\w@.\-/]*\/[\w@.-]+$/;

function stripDecoration(text: string): string {
  return text
    .replace(/^#+\s*/, '')
    .replace(/^(?:\/\/|#|--|\/\*)\s*/, '')
    .replace(/\s*\*\/$/, '')
    .replace(/^(?:file(?:name)?|path)\s*[:=]\s*/i, '')
    .replace(/^[*_`'"]+|[*_`'":]+$/g, '')
    .trim();
}

/** The path a block claims, by the conventions models actually use; null when it names none. */
export function pathOf(block: Block): { path: string; fromFirstLine: boolean } | null {
  const attr = /\b(?:file|filename|title|path)\s*=\s*["']?([^"'\s]+)["']?/i.exec(block.info);
  if (attr?.[1]) return { path: attr[1], fromFirstLine: false };
  // ```tsx src/App.tsx   |   ```src/App.tsx   |   ```rust:src/lib.rs
  const words = block.info.split(/\s+/).flatMap((w) => w.split(':'));
  const inInfo = words.find(
    (w, idx) => (idx > 0 || w.includes('.') || w.includes('/')) && PATHLIKE.test(w) && !/^\.\w+$/.test(w),
  );
  if (inInfo) return { path: inInfo, fromFirstLine: false };
  const before = stripDecoration(block.before);
  if (PATHLIKE.test(before) && before.includes('.')) return { path: before, fromFirstLine: false };
  const first = block.body.split('\n', 1)[0]?.trim() ?? '';
  if (/^(?:\/\/|#|--|\/\*)/.test(first)) {
    const candidate = stripDecoration(first);
    if (PATHLIKE.test(candidate) && candidate.includes('/')) return { path: candidate, fromFirstLine: true };
  }
  return null;
}

export const DIFF_REJECTED =
  'a diff, not a file: diffs are not accepted; send the complete new contents of each file you change';

/**
 * True when `text` is a unified diff (`--- a/…`, `+++ b/…`, `@@ -l,n +l,n @@` hunks), as the `diff`
 * library parses it: graded as a file it would only fail to compile, so it is refused as malformed.
 */
export function isUnifiedDiff(text: string): boolean {
  if (!/^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/m.test(text)) return false;
  try {
    return parsePatch(text).some((p) => p.hunks.length > 0);
  } catch {
    // A hunk whose lines do not follow the format: still a diff attempt, not source code.
    return /^(?:---|\+\+\+) /m.test(text);
  }
}

/** The file a diff names (its `+++` side, else `---`), for the rejection message. */
function diffTarget(text: string): string {
  const name = /^\+\+\+ (?:b\/)?(\S+)/m.exec(text)?.[1] ?? /^--- (?:a\/)?(\S+)/m.exec(text)?.[1];
  return name && name !== '/dev/null' ? name : '(diff)';
}

/** Normalises a claimed path; null when it escapes the workspace (absolute, `..`, drive letters). */
export function safeRelativePath(raw: string): string | null {
  const slashed = raw.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!slashed || slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed) || slashed.includes('\0'))
    return null;
  if (slashed.split('/').some((seg) => seg === '..')) return null;
  const normal = path.posix.normalize(slashed);
  return normal.startsWith('..') || normal === '.' ? null : normal;
}

/**
 * Extracts whole files from a model reply. Accepts only paths matching the task's editable globs;
 * everything else is rejected with a reason the feedback can repeat. When the task has exactly one
 * editable file and the reply exactly one block with no path, that block is taken as the file.
 */
export interface ExtractionRules {
  isEditable: (rel: string) => boolean;
  /** Editable files the starter already has: a bare `main.rs` maps to `src/main.rs` when unique. */
  knownFiles: string[];
  /** The task's one editable path, when it has exactly one (not a glob). */
  singleEditable: string | null;
}

export function extractFiles(reply: string, rules: ExtractionRules): Extraction {
  const { isEditable, knownFiles, singleEditable } = rules;
  const files: FileMap = new Map();
  const rejected: Extraction['rejected'] = [];
  const blocks = fencedBlocks(reply);
  const unnamed: Block[] = [];
  for (const block of blocks) {
    if (/^(?:diff|patch|udiff)$/i.test(block.info.split(/\s+/)[0] ?? '') || isUnifiedDiff(block.body)) {
      rejected.push({ path: diffTarget(block.body), reason: DIFF_REJECTED });
      continue;
    }
    const claimed = pathOf(block);
    if (!claimed) {
      unnamed.push(block);
      continue;
    }
    let rel = safeRelativePath(claimed.path);
    if (rel && !isEditable(rel) && !rel.includes('/')) {
      const sameName = knownFiles.filter((k) => k.endsWith(`/${rel}`));
      if (sameName.length === 1) rel = sameName[0]!;
    }
    if (!rel) {
      rejected.push({ path: claimed.path, reason: 'path escapes the repository (absolute or ..)' });
      continue;
    }
    if (!isEditable(rel)) {
      rejected.push({ path: rel, reason: 'not an editable file for this task' });
      continue;
    }
    const body = block.body.endsWith('\n') ? block.body : `${block.body}\n`;
    files.set(rel, body);
  }
  // A bare (unfenced) diff is refused the same way, so the feedback says why nothing was taken.
  if (!blocks.length && isUnifiedDiff(reply))
    rejected.push({ path: diffTarget(reply), reason: DIFF_REJECTED });
  let inferred = false;
  if (!files.size && !rejected.length && singleEditable && unnamed.length === 1) {
    files.set(singleEditable, unnamed[0]!.body.endsWith('\n') ? unnamed[0]!.body : `${unnamed[0]!.body}\n`);
    inferred = true;
  }
  return { files, rejected, inferred };
}

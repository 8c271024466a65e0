import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FileMap } from '../tasks/files.js';
import type { Task } from '../tasks/loader.js';
import { removeTree } from './remove-tree.js';

export interface Workspace {
  /** The project folder the toolchain runs in. */
  dir: string;
  /** Writable scratch (HOME, TMPDIR) for the untrusted code; outside `dir`. */
  scratch: string;
  /** Harness-only folder (reports); the untrusted process is not told of it. */
  private: string;
  root: string;
  /** Absolute paths of the files the harness restored last (hidden tests, configs, manifests). */
  protectedPaths: string[];
}

function writeTree(dir: string, files: FileMap): void {
  for (const [rel, content] of files) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

/** Top-level folders holding hidden files and nothing editable (e.g. `tests/`): read-only as a whole, so no test can be added. */
function protectedDirs(task: Task): string[] {
  const tops = new Set(
    [...task.hidden.keys()].filter((rel) => rel.includes('/')).map((rel) => rel.split('/')[0]!),
  );
  return [...tops].filter(
    (top) =>
      !task.isEditable(`${top}/x.ts`) && !task.isEditable(`${top}/x.rs`) && !task.isEditable(`${top}/x.tsx`),
  );
}

/**
 * Why a reply's file cannot be written into the workspace (null when it can): a path whose folder is a
 * file of the task or of the reply (`src/lib.rs/x.rs` next to `src/lib.rs`), or that would have to be
 * a folder for another file, or a name longer than file systems allow. Refused as a rejected file,
 * never an exception out of workspace creation.
 */
export function unwritablePath(
  rel: string,
  taskFiles: string[],
  replyFiles: Iterable<string>,
): string | null {
  if (rel.split('/').some((part) => Buffer.byteLength(part) > 255)) return 'a path segment is over 255 bytes';
  const files = new Set([...taskFiles, ...replyFiles]);
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const folder = parts.slice(0, i).join('/');
    if (files.has(folder)) return `${folder} is a file, not a folder`;
  }
  // Against the task's files only: of a reply's `x.rs` and `x.rs/y.rs`, the file is kept.
  const under = [...taskFiles].find((f) => f.startsWith(`${rel}/`));
  return under ? `${rel} would have to be a folder for ${under}` : null;
}

/**
 * Creates the folder holding workspaces, replacing a symlink planted in its place (without namespaces,
 * untrusted code runs as the harness's user and could redirect the next workspaces elsewhere).
 */
function ensureRealFolder(dir: string): void {
  try {
    if (lstatSync(dir).isSymbolicLink()) unlinkSync(dir);
  } catch {
    // Absent: created below.
  }
  mkdirSync(dir, { recursive: true });
}

/**
 * A fresh workspace for one grading: starter → the model's (already editable-filtered) files → hidden
 * tests and protected files last, so a submission can neither replace nor add test or build configuration.
 * `nodeModules`, for node suites, is the run's shared fixture install, linked — never installed here.
 */
export function createWorkspace(
  parent: string,
  task: Task,
  modelFiles: FileMap,
  nodeModules?: string,
): Workspace {
  ensureRealFolder(parent);
  const root = mkdtempSync(path.join(parent, `${task.suite.name}-${task.id}-`));
  const dir = path.join(root, 'project');
  const protectedRel = [
    ...task.hidden.keys(),
    ...(task.suite.fixture?.files.keys() ?? []),
    ...[...task.starter.keys()].filter((rel) => !task.isEditable(rel)),
  ];
  const ws: Workspace = {
    root,
    dir,
    scratch: path.join(root, 'scratch'),
    private: path.join(root, 'private'),
    protectedPaths: [...new Set([...protectedRel, ...protectedDirs(task)])].map((rel) => path.join(dir, rel)),
  };
  try {
    for (const d of [ws.dir, ws.scratch, ws.private]) mkdirSync(d, { recursive: true });
    writeTree(ws.dir, task.starter);
    writeTree(ws.dir, modelFiles);
    writeTree(ws.dir, task.hidden);
    if (task.suite.fixture) writeTree(ws.dir, task.suite.fixture.files);
    if (nodeModules) {
      rmSync(path.join(ws.dir, 'node_modules'), { recursive: true, force: true });
      symlinkSync(nodeModules, path.join(ws.dir, 'node_modules'), 'dir');
    }
  } catch (err) {
    // A half-written workspace (a full disk) is not left behind; the caller records the error.
    try {
      rmSync(root, { recursive: true, force: true });
    } catch {
      // Nothing untrusted ran in it yet; what cannot be removed now is the disk's problem.
    }
    throw err;
  }
  return ws;
}

/**
 * Removes a grading's workspace, whatever the submission left in it (trees deeper than PATH_MAX,
 * read-only folders, FIFOs, symlinks — never followed). Never throws: returns a warning for the attempt
 * when the folder could not be removed entirely.
 */
export async function removeWorkspace(ws: Workspace): Promise<string | null> {
  const r = await removeTree(ws.root);
  return r.removed ? null : `the grading workspace ${ws.root} could not be removed: ${r.error}`;
}

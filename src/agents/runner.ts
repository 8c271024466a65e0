import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execCapped, type ExecResult } from '../grade/exec.js';
import type { Sandbox } from '../grade/sandbox.js';
import { sandboxEnv } from '../grade/sandbox-env.js';
import { formatFiles } from '../prompt/format-files.js';
import type { FileMap } from '../tasks/files.js';
import type { Task } from '../tasks/loader.js';
import { IN_SANDBOX_PORT, writeForwarder } from './forwarder.js';
import type { AgentDefinition } from './presets.js';

/** The key the agent holds: the proxy swaps it for the real one, so a leak of it is worth nothing. */
export const PLACEHOLDER_KEY = 'aibench-placeholder-key';

/** An agent's workspace for one trial: kept across its attempts, so a retry continues where it stopped. */
export interface AgentWorkspace {
  root: string;
  /** The project: starter files and the suite's fixture files; hidden tests are never here. */
  dir: string;
  /** HOME and TMPDIR of the agent. */
  scratch: string;
  /** Read-only for the agent: the task file, the forwarder, the proxy's socket. */
  io: string;
  /** What the agent started from: changes to non-editable files are reported against it. */
  baseline: FileMap;
}

function writeTree(dir: string, files: FileMap): void {
  for (const [rel, content] of files) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

/**
 * Lays out the task as a developer would see it: starter files, the suite's fixture, no hidden tests;
 * with `seed` (a resumed trial), the editable files the agent left last laid over the starter.
 */
export function prepareAgentWorkspace(task: Task, nodeModules?: string, seed?: FileMap): AgentWorkspace {
  const parent = path.join(os.tmpdir(), 'aibench-agents');
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(path.join(parent, `${task.suite.name}-${task.id}-`));
  const ws = {
    root,
    dir: path.join(root, 'project'),
    scratch: path.join(root, 'scratch'),
    io: path.join(root, 'io'),
    baseline: new Map([...task.starter, ...(task.suite.fixture?.files ?? [])]),
  };
  for (const d of [ws.dir, ws.scratch, ws.io]) mkdirSync(d, { recursive: true });
  // The sandbox runs as another uid: the folders it works in must be its to write.
  for (const d of [root, ws.dir, ws.scratch, ws.io]) chmodSync(d, 0o777);
  writeTree(ws.dir, ws.baseline);
  if (seed) writeTree(ws.dir, new Map([...seed].filter(([rel]) => task.isEditable(rel))));
  if (nodeModules) symlinkSync(nodeModules, path.join(ws.dir, 'node_modules'), 'dir');
  return ws;
}

export function removeAgentWorkspace(ws: AgentWorkspace): void {
  try {
    rmSync(ws.root, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // Cleanup never throws: a leftover temp folder is not worth failing a run.
  }
}

/** The first prompt: the ticket and the rules; the agent reads and edits the files itself. */
export function agentTaskPrompt(task: Task): string {
  const readOnly = new Map([...task.starter].filter(([rel]) => !task.isEditable(rel)));
  return [
    task.prompt.trim(),
    `## Rules\nWork in the current directory, editing files in place. You may write only files matching: ${task.editable.map((g) => `\`${g}\``).join(', ')}; changes to any other file are ignored. Hidden tests will be run against your files after you finish; do not write tests, build configuration, manifests or lockfiles.`,
    ...(readOnly.size ? [`## Read-only context\n\n${formatFiles(readOnly)}`] : []),
  ].join('\n\n');
}

/** The retry prompt: the grader's verdict and output, never the hidden tests themselves. */
export function agentRetryPrompt(feedback: string, attempt: number, attempts: number): string {
  return `Your work failed grading (attempt ${attempt} of ${attempts}; ${attempts - attempt} left).\n\n${feedback}\n\nFix the problem by editing the files in the current directory.`;
}

/**
 * The first prompt of a resumed trial: the agent's earlier session is gone (it lived in a workspace no
 * journal holds), so it gets the task again, told that its last files are in place and why they failed.
 */
export function agentResumePrompt(task: Task, feedback: string, attempt: number, attempts: number): string {
  return `${agentTaskPrompt(task)}\n\n## Your earlier attempt\nThe files in the current directory are the ones you left in your previous session.\n\n${agentRetryPrompt(feedback, attempt, attempts)}`;
}

export interface AgentProcessOptions {
  def: AgentDefinition;
  ws: AgentWorkspace;
  prompt: string;
  attempt: number;
  /** The agent ran before in this workspace: it continues its own session. */
  continues: boolean;
  sandbox: Sandbox;
  /** Where the agent reaches the proxy: a unix socket (namespaces) or a loopback TCP port (process level). */
  proxy: { socket: string } | { port: number };
  hostEnv: NodeJS.ProcessEnv;
  /** Read-only folders grading also exposes (the suite's shared node_modules). */
  readable: string[];
}

/**
 * Runs the agent once in its workspace, in the grading sandbox, with the placeholder key and the proxy
 * as its only way out. Killed with its whole process group at its timeout.
 */
export async function runAgentProcess(o: AgentProcessOptions): Promise<ExecResult> {
  const taskFile = path.join(o.ws.io, `task-${o.attempt}.md`);
  writeFileSync(taskFile, o.prompt);
  const base = `http://127.0.0.1:${'socket' in o.proxy ? IN_SANDBOX_PORT : o.proxy.port}`;
  const env = sandboxEnv(
    o.ws.scratch,
    {
      ...o.def.env,
      ANTHROPIC_BASE_URL: base,
      OPENAI_BASE_URL: `${base}/v1`,
      ANTHROPIC_API_KEY: PLACEHOLDER_KEY,
      OPENAI_API_KEY: PLACEHOLDER_KEY,
      AIBENCH_TASK_FILE: taskFile,
      AIBENCH_ATTEMPT: String(o.attempt),
    },
    o.hostEnv,
  );
  const agentArgv = o.def.argv(o.prompt, {
    attempt: o.attempt,
    continues: o.continues,
    proxy: { anthropic: base, openai: `${base}/v1` },
  });
  const argv =
    'socket' in o.proxy
      ? [process.execPath, writeForwarder(o.ws.io), o.proxy.socket, String(IN_SANDBOX_PORT), ...agentArgv]
      : agentArgv;
  const wrapped = o.sandbox.wrap(argv, {
    writable: [o.ws.dir, o.ws.scratch],
    readable: [o.ws.io, ...o.def.readable, ...o.readable],
  });
  try {
    return await execCapped(wrapped.argv, {
      cwd: o.ws.dir,
      env,
      timeoutMs: o.def.timeoutMs,
      stdin: o.prompt,
      outputCap: 256 * 1024,
      launchFd: wrapped.launchFd,
    });
  } finally {
    try {
      wrapped.cleanup();
    } catch {
      // Cleanup never throws.
    }
  }
}

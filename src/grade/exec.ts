import { spawn } from 'node:child_process';
import { watchDiskUse, type DiskWatch } from './disk-watch.js';

/** What one step of untrusted (or toolchain) execution produced. */
export interface ExecResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Killed for flooding its output past the limit. */
  outputExceeded: boolean;
  /** Killed for writing more than its disk quota (see {@link ExecOptions.diskWatch}). */
  diskExceeded: boolean;
  /** Output as kept under the cap: head and tail, with a marker where the middle was dropped. */
  stdout: string;
  stderr: string;
  /** Bytes actually written, before capping. */
  stdoutBytes: number;
  stderrBytes: number;
  durationMs: number;
  /** With {@link ExecOptions.launchFd}: whether the launcher reported reaching the command. */
  launched?: boolean;
}

/** A command that ran for no time and said nothing: the start of a sum of results, or a stand-in. */
export function emptyExecResult(): ExecResult {
  return {
    exitCode: 0,
    signal: null,
    timedOut: false,
    outputExceeded: false,
    diskExceeded: false,
    stdout: '',
    stderr: '',
    stdoutBytes: 0,
    stderrBytes: 0,
    durationMs: 0,
  };
}

export interface ExecOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Bytes kept per stream (head + tail). */
  outputCap?: number;
  /** Total bytes of output after which the process group is killed (a flood is not a test run). */
  outputKillBytes?: number;
  stdin?: string;
  /** A folder whose disk use is polled while the command runs; past the cap the process group is killed. */
  diskWatch?: DiskWatch;
  /** A descriptor (3) given to the command as a pipe, on which a launcher reports reaching the command. */
  launchFd?: number;
}

const DEFAULT_CAP = 1024 * 1024;

/** Keeps the first and last `cap/2` bytes of a stream without ever holding more than `cap`. */
class CappedBuffer {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  total = 0;
  constructor(private readonly cap: number) {}
  push(chunk: Buffer): void {
    this.total += chunk.length;
    const half = this.cap / 2;
    if (this.headBytes < half) {
      const take = chunk.subarray(0, half - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      chunk = chunk.subarray(take.length);
    }
    if (!chunk.length) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes - (this.tail[0]?.length ?? 0) >= half) this.tailBytes -= this.tail.shift()!.length;
  }
  toString(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    let tail = Buffer.concat(this.tail);
    const dropped = this.total - this.headBytes - tail.length;
    if (dropped <= 0) return head + tail.toString('utf8');
    if (tail.length > this.cap / 2) tail = tail.subarray(tail.length - this.cap / 2);
    return `${head}\n[… ${this.total - this.headBytes - tail.length} bytes of output dropped …]\n${tail.toString('utf8')}`;
  }
}

/** Process groups of every untrusted step still running: what an interrupted run must not leave behind. */
const liveGroups = new Set<number>();

/** Kills every running step's process group (Ctrl-C, SIGTERM): nothing the run started outlives it. */
export function killAllGroups(): void {
  for (const pid of liveGroups) killGroup(pid);
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone: nothing left in the group.
  }
}

/**
 * Runs a command in its own process group with exactly `env` (no inheritance), a wall-clock limit and
 * capped output. On timeout — and after a normal exit, to reap anything it left running — the whole
 * group is killed, so a submission cannot leave a fork bomb or a sleeper behind.
 */
export function execCapped(argv: string[], opts: ExecOptions): Promise<ExecResult> {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error('execCapped: empty command');
  const cap = opts.outputCap ?? DEFAULT_CAP;
  const started = Date.now();
  return new Promise((resolve) => {
    if (opts.launchFd !== undefined && opts.launchFd !== 3) throw new Error('execCapped: launchFd must be 3');
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: opts.launchFd === undefined ? ['pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    let launchedCommand = false;
    const launch = child.stdio[3] as NodeJS.ReadableStream | undefined;
    launch?.on('data', () => (launchedCommand = true));
    launch?.on('error', () => {});
    if (child.pid) liveGroups.add(child.pid);
    const out = new CappedBuffer(cap);
    const err = new CappedBuffer(cap);
    let timedOut = false;
    let outputExceeded = false;
    let diskExceeded = false;
    const stopDiskWatch = opts.diskWatch
      ? watchDiskUse(opts.diskWatch, () => {
          diskExceeded = true;
          killGroup(child.pid);
        })
      : () => {};
    const killBytes = opts.outputKillBytes ?? 64 * 1024 * 1024;
    const watch = (): void => {
      if (!outputExceeded && out.total + err.total > killBytes) {
        outputExceeded = true;
        killGroup(child.pid);
      }
    };
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    child.stdout.on('data', (c: Buffer) => {
      out.push(c);
      watch();
    });
    child.stderr.on('data', (c: Buffer) => {
      err.push(c);
      watch();
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.stdin ?? '');
    const finish = (): void => {
      if (settled) return;
      settled = true;
      stopDiskWatch();
      if (child.pid) liveGroups.delete(child.pid);
      clearTimeout(timer);
      clearTimeout(grace);
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        outputExceeded,
        diskExceeded,
        stdout: out.toString(),
        stderr: err.toString(),
        stdoutBytes: out.total,
        stderrBytes: err.total,
        durationMs: Date.now() - started,
        ...(launch ? { launched: launchedCommand } : {}),
      });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, opts.timeoutMs);
    let grace: NodeJS.Timeout | undefined;
    child.on('error', (e) => {
      err.push(Buffer.from(`failed to start ${cmd}: ${e.message}\n`));
      exit = { code: null, signal: null };
      finish();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Reap the rest of the group; its members may still hold our pipes open.
      killGroup(child.pid);
      grace = setTimeout(finish, 2000);
    });
    child.on('close', finish);
  });
}

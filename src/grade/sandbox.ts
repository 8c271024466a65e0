import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DiskWatch } from './disk-watch.js';
import { toolchainHomes } from './sandbox-env.js';

const exec = promisify(execFile);

/** The isolation the host actually gave untrusted code; recorded in every results file and report. */
export interface SandboxLevel {
  level: 'namespaces' | 'process';
  features: string[];
  missing: string[];
}

/** Per step: what the untrusted process may write and read beyond the read-only system. */
export interface SandboxMounts {
  /** Writable: the attempt's workspace, its build cache. Everything else is read-only or hidden. */
  writable: string[];
  /** Re-exposed read-only inside hidden folders (toolchains, the shared fixture install). */
  readable: string[];
  /** Inside the writable ones but read-only: hidden tests and protected config, so code under test cannot rewrite them. */
  readOnly?: string[];
  /** Cap the address space (the Rust tools; not Node, whose V8 reserves large ranges, nor TSan's shadow memory). */
  limitAddressSpace?: boolean;
  /**
   * Scratch folders (HOME, TMPDIR, caches) that must already exist. With namespaces each is a fresh
   * tmpfs of {@link WORKSPACE_QUOTA_BYTES}, mounted last: what the step writes there is capped and
   * vanishes with it. Without, they stay folders on disk, under `quotaRoot`.
   */
  scratch?: string[];
  /** The workspace: where no size-limited tmpfs is available, its disk use is polled during the step and capped. */
  quotaRoot?: string;
  /**
   * Files shown read-only at another path, `[source, destination]` (a submission's binary where a
   * prebuilt test runs it from). The destination must exist. Only namespaces can do this: without them
   * `wrap` throws rather than run the step against whatever file sits at the destination.
   */
  binds?: [string, string][];
}

/** A wrapped command, and what the harness must do around it. */
export interface Wrapped {
  argv: string[];
  cleanup: () => void;
  /**
   * The descriptor on which the launcher, the last trusted link of the chain, writes one byte just
   * before it becomes the command (see {@link launched}). Give the command a pipe there.
   */
  launchFd: number;
  /** Set when the disk quota must be enforced by polling (no size-limited tmpfs on this host). */
  diskWatch?: DiskWatch;
}

/** Where {@link launched} writes its byte: the first descriptor after stdin, stdout and stderr. */
export const LAUNCH_FD = 3;

/**
 * The last trusted link before the command: writes one byte on {@link LAUNCH_FD}, closes it, and
 * becomes the command. A run without the byte never reached the command: the sandbox (cgroup join,
 * rlimits, bubblewrap's namespaces and mounts) failed to start, the host's fault, whatever the exit
 * code. The command cannot fake the opposite: by the time it runs, the byte is written and the
 * descriptor closed.
 */
export function launched(argv: string[]): string[] {
  return [
    '/bin/sh',
    '-c',
    `{ printf . >&${LAUNCH_FD}; } 2>/dev/null; exec ${LAUNCH_FD}>&-; exec "$@"`,
    'aibench-launch',
    ...argv,
  ];
}

/** How untrusted commands are wrapped on this host; decided once per run by {@link detectSandbox}. */
export interface Sandbox extends SandboxLevel {
  wrap(argv: string[], mounts: SandboxMounts): Wrapped;
}

/**
 * The disk a step may fill: each scratch tmpfs with namespaces, or the whole workspace (project,
 * scratch, report and, without namespaces, the Rust build folder) when polled. The pilot tasks write
 * far less (an L5 Rust grading: ~70 MiB of build output, leased apart from the workspace; an L5 React
 * grading: under 1 MiB).
 */
export const WORKSPACE_QUOTA_BYTES = 512 * 1024 ** 2;
/** The empty tmpfs that hides a host folder, and /dev/shm: room for stray temp files only. */
const SMALL_TMPFS_BYTES = 64 * 1024 ** 2;
const MIB = 1024 ** 2;

const BASE_FEATURES = [
  'process-group-kill',
  'env-allowlist',
  'wall-clock-limit',
  'output-cap',
  'fresh-workspace',
  'protected-files-restored-last',
];

/** Folders the untrusted process must not see: the harness, its outputs, the checkout, credentials. */
export function hiddenPaths(hostEnv: NodeJS.ProcessEnv, extra: string[]): string[] {
  const candidates = [
    os.tmpdir(),
    '/tmp',
    '/var/tmp',
    hostEnv.HOME ?? os.homedir(),
    '/root',
    '/home',
    process.cwd(),
    hostEnv.GITHUB_WORKSPACE,
    hostEnv.RUNNER_TEMP,
    // Host sockets (docker, dbus, databases) live here; a read-only mount does not stop connect().
    '/run',
    '/var/run',
    ...extra,
  ];
  // Real paths: /var/run is usually a link to /run, and a mount must name the real folder.
  const real = candidates
    .filter((p): p is string => Boolean(p) && existsSync(p!))
    .map((p) => realpathSync(path.resolve(p)));
  return [...new Set(real)]
    .filter((p) => p.split('/').filter(Boolean).length >= 1)
    .filter((p) => !['/usr', '/bin', '/lib', '/etc', '/opt', '/proc', '/dev', '/sys'].includes(p));
}

function uidProcessCount(): number {
  let n = 0;
  const uid = process.getuid?.() ?? 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (new RegExp(`^Uid:\\s+${uid}\\b`, 'm').test(readFileSync(`/proc/${pid}/status`, 'utf8'))) n++;
    } catch {
      // The process ended while we looked.
    }
  }
  return n;
}

/**
 * Resource limits through prlimit: no core dumps, bounded file size (a submission cannot fill the
 * disk), bounded processes (a fork bomb stalls, the machine stays usable), bounded address space for
 * the Rust tools.
 */
function limitArgs(mounts: SandboxMounts, nprocBound: number | null): string[] {
  if (nprocBound === null) return [];
  const args = ['prlimit', '--core=0', `--fsize=${1 << 30}`, `--nproc=${nprocBound}`, '--nofile=8192'];
  if (mounts.limitAddressSpace) args.push(`--as=${16 * 1024 ** 3}`);
  return [...args, '--'];
}

/** cgroup v1 (pids + memory) when the harness may create groups: a hard memory cap and a process cap. */
function cgroupV1(): { join: (id: string) => { prefix: string[]; cleanup: () => void } } | null {
  const pids = '/sys/fs/cgroup/pids';
  const memory = '/sys/fs/cgroup/memory';
  try {
    for (const root of [pids, memory]) mkdirSync(path.join(root, 'aibench'), { recursive: true });
  } catch {
    return null;
  }
  return {
    join(id) {
      const groups = [path.join(pids, 'aibench', id), path.join(memory, 'aibench', id)];
      try {
        for (const g of groups) mkdirSync(g, { recursive: true });
        writeFileSync(path.join(groups[0]!, 'pids.max'), '1024');
        writeFileSync(path.join(groups[1]!, 'memory.limit_in_bytes'), String(6 * 1024 ** 3));
      } catch {
        return { prefix: [], cleanup: () => {} };
      }
      const procs = groups.map((g) => `${g}/cgroup.procs`).join(' ');
      return {
        prefix: [
          'sh',
          '-c',
          `for f in ${procs}; do echo $$ > "$f" || exit 97; done; exec "$@"`,
          'aibench-sandbox',
        ],
        cleanup: () => {
          // Kill whatever is left in the group, including processes that left our process group
          // (setsid), then remove the groups once the kernel has reaped them.
          killCgroup(groups[0]!);
          removeWhenEmpty(groups);
        },
      };
    },
  };
}

function killCgroup(group: string): void {
  try {
    for (const pid of readFileSync(path.join(group, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  } catch {
    // The group is gone already.
  }
}

function removeWhenEmpty(groups: string[], tries = 20): void {
  const left = groups.filter((g) => {
    try {
      rmdirSync(g);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code !== 'ENOENT';
    }
  });
  if (left.length && tries > 0) setTimeout(() => removeWhenEmpty(left, tries - 1), 100).unref();
}

let counter = 0;

/**
 * Probes, once per run, the strongest isolation this host gives: bubblewrap namespaces (user, PID,
 * network with loopback only, IPC, UTS; read-only system; harness, checkout, home and temp folders
 * hidden), cgroup limits, and rlimits. Falls back to process-level isolation and says what is missing.
 */
export async function detectSandbox(hostEnv: NodeJS.ProcessEnv, protect: string[] = []): Promise<Sandbox> {
  const features = [...BASE_FEATURES];
  const missing: string[] = [];
  let bwrap = false;
  if (hostEnv.AIBENCH_SANDBOX !== 'process') {
    try {
      await exec(
        'bwrap',
        [
          '--unshare-all',
          '--unshare-user',
          '--die-with-parent',
          '--ro-bind',
          '/',
          '/',
          '--proc',
          '/proc',
          'true',
        ],
        { timeout: 10_000 },
      );
      bwrap = true;
    } catch {
      bwrap = false;
    }
  }
  // `--size` caps a tmpfs; older bubblewrap versions refuse the option.
  let sizedTmpfs = false;
  if (bwrap) {
    try {
      await exec(
        'bwrap',
        [
          '--unshare-all',
          '--unshare-user',
          '--ro-bind',
          '/',
          '/',
          '--size',
          String(MIB),
          '--tmpfs',
          '/tmp',
          'true',
        ],
        { timeout: 10_000 },
      );
      sizedTmpfs = true;
    } catch {
      sizedTmpfs = false;
    }
  }
  if (bwrap)
    features.push(
      'user-namespace',
      'pid-namespace',
      'network-namespace (loopback only)',
      'read-only-filesystem',
      'hidden-harness-and-home',
    );
  else
    missing.push('namespaces (install bubblewrap: user, PID and network namespaces, read-only filesystem)');
  const quota = `${WORKSPACE_QUOTA_BYTES / MIB} MiB`;
  if (sizedTmpfs)
    features.push(
      `workspace-quota (fresh ${quota} tmpfs per step for scratch; project read-only while tests run; hidden folders and /dev/shm ${SMALL_TMPFS_BYTES / MIB} MiB)`,
    );
  else {
    features.push(`workspace-quota (polled with du: a step whose workspace passes ${quota} is stopped)`);
    missing.push('hard disk quota (size-limited tmpfs: namespaces with a bubblewrap that has --size)');
  }
  // RLIMIT_NPROC counts every process of the real user: the bound sits above the count at run start.
  let nprocBound: number | null = null;
  try {
    await exec('prlimit', ['--core=0', '--', 'true'], { timeout: 10_000 });
    nprocBound = uidProcessCount() + 512;
    features.push('rlimits (processes, file size, core)');
  } catch {
    missing.push('rlimits (prlimit not found)');
  }
  const cgroup = hostEnv.AIBENCH_SANDBOX === 'process' ? null : cgroupV1();
  if (cgroup) features.push('cgroup (memory 6 GiB, 1024 processes)');
  else missing.push('cgroup memory/process caps (needs root or a delegated cgroup)');
  const hidden = hiddenPaths(hostEnv, protect);
  const { cargoHome, rustupHome } = toolchainHomes(hostEnv);
  const toolchains = [cargoHome, rustupHome, path.dirname(process.execPath)].filter((p) => existsSync(p));

  return {
    level: bwrap ? 'namespaces' : 'process',
    features,
    missing,
    wrap(argv, mounts) {
      const group = cgroup?.join(`${process.pid}-${++counter}`) ?? { prefix: [], cleanup: () => {} };
      const diskWatch =
        !sizedTmpfs && mounts.quotaRoot
          ? { dir: mounts.quotaRoot, maxBytes: WORKSPACE_QUOTA_BYTES }
          : undefined;
      if (!bwrap && mounts.binds?.length)
        throw new Error('a step that needs a bind mount cannot run without namespaces');
      if (!bwrap)
        return {
          argv: [...group.prefix, ...limitArgs(mounts, nprocBound), ...launched(argv)],
          cleanup: group.cleanup,
          diskWatch,
          launchFd: LAUNCH_FD,
        };
      const sized = (bytes: number): string[] => (sizedTmpfs ? ['--size', String(bytes)] : []);
      const box = [
        'bwrap',
        '--unshare-all',
        '--unshare-user',
        '--uid',
        '1000',
        '--gid',
        '1000',
        '--cap-drop',
        'ALL',
        '--die-with-parent',
        '--new-session',
        '--ro-bind',
        '/',
        '/',
        '--dev',
        '/dev',
        // /dev is a writable tmpfs of bubblewrap's: read-only but for a capped /dev/shm.
        ...sized(SMALL_TMPFS_BYTES),
        '--tmpfs',
        '/dev/shm',
        '--remount-ro',
        '/dev',
        '--proc',
        '/proc',
        ...hidden.flatMap((p) => [...sized(SMALL_TMPFS_BYTES), '--tmpfs', p]),
        ...[...toolchains, ...mounts.readable].flatMap((p) => ['--ro-bind', p, p]),
        ...mounts.writable.flatMap((p) => ['--bind', p, p]),
        ...(mounts.readOnly ?? []).filter((p) => existsSync(p)).flatMap((p) => ['--ro-bind', p, p]),
        ...(mounts.binds ?? []).flatMap(([from, to]) => ['--ro-bind', from, to]),
        // Last, so that a scratch folder inside a read-only project (a tool's cache) is still writable.
        ...(mounts.scratch ?? []).flatMap((p) =>
          sizedTmpfs ? [...sized(WORKSPACE_QUOTA_BYTES), '--tmpfs', p] : ['--bind', p, p],
        ),
        '--',
      ];
      return {
        argv: [...group.prefix, ...limitArgs(mounts, nprocBound), ...box, ...launched(argv)],
        cleanup: group.cleanup,
        diskWatch,
        launchFd: LAUNCH_FD,
      };
    },
  };
}

// CPU-seconds of everything a piece of work runs, sandboxed children included: the benchmark process
// moves itself into a fresh cgroup for the work (its children are born there, and bubblewrap's PID
// namespace does not leave it), and reads the group's CPU counter. rusage would miss the children a
// sandbox's own init reaps.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface Hierarchy {
  /** Where new groups are made. */
  parent: string;
  /** CPU-seconds a group used so far. */
  usage(group: string): number;
  /** The group this process was in, to move back to. */
  home: string;
}

function findHierarchy(): Hierarchy {
  const v1 = '/sys/fs/cgroup/cpuacct';
  if (existsSync(path.join(v1, 'cpuacct.usage'))) {
    const rel =
      /^\d+:[^:]*\bcpuacct\b[^:]*:(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1] ?? '/';
    return {
      parent: path.join(v1, 'aibench-bench'),
      home: path.join(v1, rel),
      usage: (g) => Number(readFileSync(path.join(g, 'cpuacct.usage'), 'utf8')) / 1e9,
    };
  }
  const v2 = '/sys/fs/cgroup';
  if (existsSync(path.join(v2, 'cgroup.controllers'))) {
    const rel = /^0::(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1] ?? '/';
    return {
      parent: path.join(v2, 'aibench-bench'),
      home: path.join(v2, rel),
      usage: (g) =>
        Number(/^usage_usec (\d+)$/m.exec(readFileSync(path.join(g, 'cpu.stat'), 'utf8'))?.[1] ?? NaN) / 1e6,
    };
  }
  throw new Error(
    'no cgroup CPU accounting here (cgroup v1 cpuacct or v2 cpu.stat): run as root or in a delegated cgroup',
  );
}

let hierarchy: Hierarchy | null = null;
let seq = 0;

/** Runs `work` in a fresh cgroup and returns its result with the CPU-seconds and wall seconds it took. */
export async function metered<T>(work: () => Promise<T>): Promise<{ value: T; cpu: number; wall: number }> {
  hierarchy ??= findHierarchy();
  const group = path.join(hierarchy.parent, `${process.pid}-${++seq}`);
  mkdirSync(group, { recursive: true });
  writeFileSync(path.join(group, 'cgroup.procs'), String(process.pid));
  const started = performance.now();
  try {
    const value = await work();
    return { value, cpu: hierarchy.usage(group), wall: (performance.now() - started) / 1000 };
  } finally {
    writeFileSync(path.join(hierarchy.home, 'cgroup.procs'), String(process.pid));
    for (let i = 0; i < 50; i++) {
      try {
        rmdirSync(group);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100)); // a child not yet reaped
      }
    }
  }
}

/** The machine's load and the CPU everything on it used over a window: how noisy a measurement was. */
export function machineCpuSeconds(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
}

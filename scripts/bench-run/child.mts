// One measured run of scripts/bench-run.mts, in a process of its own so CPU and peak RSS are this
// run's alone. argv[2]: JSON { root, models, tasks, trials, attempts, concurrency, gradeConcurrency,
// out, env, retainedEverySec? }. Prints one JSON line: wall and CPU from the plan to the end, peak RSS,
// per-trial times.
import { appendFileSync, readFileSync } from 'node:fs';
import v8 from 'node:v8';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const cfg = JSON.parse(process.argv[2]!) as {
  root: string;
  models: string[];
  tasks: string[];
  trials: number;
  attempts: number;
  concurrency: number;
  gradeConcurrency: number;
  out: string;
  env: Record<string, string>;
  retainedEverySec?: number;
};
const from = (rel: string) => import(pathToFileURL(path.join(cfg.root, rel)).href);
const { runBenchmark } = await from('src/run/run.ts');
const { DEFAULT_SETTINGS } = await from('src/config/load.ts');
const { configFileSchema } = await from('src/config/schema.ts');
// Loaded lazily by the run (figures at its end): loaded here, so tsx compiling TypeScript on the fly,
// which the shipped bundle never does, is not counted as the run's CPU. (Not every module: the bundle
// loads chunks on use too, and loading all of them, the TypeScript compiler included, would inflate RSS.)
await from('src/report/figures/render.ts');

/** This process's CPU seconds from /proc (user + system; the simulated grader spawns no children). */
function cpuSec(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / Number(process.env.CLK_TCK ?? 100);
}

let planned = 0;
let cpuAtPlan = 0;
let lastAttempt = 0;
let attempts = 0;
/** When CPU was last read (at an attempt's end), and how many attempts had ended by then. */
let cpuReadAt = 0;
let attemptsAtCpuRead = 0;
/** process.cpuUsage() at the plan and at the last reading while trials ran. */
let usageAtPlan: NodeJS.CpuUsage = process.cpuUsage();
let usageAtLastAttempt: NodeJS.CpuUsage = usageAtPlan;
let runningRss = 0;
let lastRssRead = -Infinity;
/** The breakdown at the last RSS read: V8's heap (reserved and used), and memory outside it. */
let memory: NodeJS.MemoryUsage | null = null;
/** V8's young and old generations at the last RSS read (reserved MB): which one grew. */
let generations: { young: number; old: number } | null = null;
const spaceMb = (name: string) =>
  (v8.getHeapSpaceStatistics().find((s) => s.space_name === name)?.space_size ?? 0) / 1024 ** 2;

const cpuSecBetween = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) =>
  (b.user - a.user + b.system - a.system) / 1e6;

/** VmHWM: the most this process ever had resident, in bytes. */
function peakRssBytes(): number {
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Number(kb) * 1024;
}
// cfg.retainedEverySec: a full collection that often, and the heap still in use after it: what the run
// retains, without the garbage V8 lets pile up between collections that RSS also counts. It costs CPU,
// so the bench measures it in runs of their own.
// AIBENCH_BENCH_TRACE=file: a memory timeline, one JSON line every 250 ms (and each retained reading).
// AIBENCH_BENCH_SNAPSHOT=sec:file: a heap snapshot that many seconds in (open in Chrome DevTools).
const started = performance.now();
const retained: { at: number; mb: number }[] = [];
const traceFile = process.env.AIBENCH_BENCH_TRACE;
const trace = (line: Record<string, number>) =>
  traceFile &&
  appendFileSync(traceFile, `${JSON.stringify({ t: Math.round(performance.now() - started), ...line })}\n`);
const timers = [
  cfg.retainedEverySec &&
    setInterval(() => {
      (globalThis as { gc?: () => void }).gc?.();
      retained.push({ at: performance.now(), mb: process.memoryUsage().heapUsed / 1024 ** 2 });
      trace({ retained: Math.round(retained.at(-1)!.mb) });
    }, cfg.retainedEverySec * 1000),
  traceFile &&
    setInterval(() => {
      const m = process.memoryUsage();
      const mb = (n: number) => Math.round(n / 1024 ** 2);
      const [young, old] = [spaceMb('new_space'), spaceMb('old_space')].map(Math.round);
      trace({ rss: mb(m.rss), used: mb(m.heapUsed), ext: mb(m.external), young: young!, old: old! });
    }, 250),
  process.env.AIBENCH_BENCH_SNAPSHOT &&
    setTimeout(
      () => v8.writeHeapSnapshot(process.env.AIBENCH_BENCH_SNAPSHOT!.split(':')[1]),
      Number(process.env.AIBENCH_BENCH_SNAPSHOT.split(':')[0]) * 1000,
    ),
];
const outcome = await runBenchmark({
  models: cfg.models,
  tasks: cfg.tasks,
  settings: {
    ...DEFAULT_SETTINGS,
    trials: cfg.trials,
    attempts: cfg.attempts,
    concurrency: cfg.concurrency,
    gradeConcurrency: cfg.gradeConcurrency,
  },
  config: configFileSchema.parse({}),
  out: cfg.out,
  env: { PATH: process.env.PATH, HOME: process.env.HOME, ...cfg.env },
  log: () => {},
  // While trials run (the end's report writing excluded): when the last attempt ended, and the kernel's
  // high-water mark of RSS by then. Read at most every 100 ms: a /proc read per attempt showed up in the
  // run's own CPU profile, and the mark only rises, so a later read covers every peak before it.
  onAttempt: () => {
    lastAttempt = performance.now();
    attempts++;
    // CPU read at most once a second: process.cpuUsage() (getrusage) cost 0.35–0.56 ms a call in this
    // process, which read on every attempt was 0.5–0.8% of a 1,000-trial run's wall, counted as the
    // harness's. The running window ends at the last reading, at most a second before the last attempt.
    if (lastAttempt - cpuReadAt >= 1000) {
      cpuReadAt = lastAttempt;
      attemptsAtCpuRead = attempts;
      usageAtLastAttempt = process.cpuUsage();
    }
    if (lastAttempt - lastRssRead < 100) return;
    lastRssRead = lastAttempt;
    runningRss = peakRssBytes();
    memory = process.memoryUsage();
    generations = { young: spaceMb('new_space'), old: spaceMb('old_space') };
  },
  onPlan: () => {
    planned = performance.now();
    cpuAtPlan = cpuSec();
    usageAtPlan = process.cpuUsage();
  },
});
for (const t of timers) if (t) clearTimeout(t);
const wallSec = (performance.now() - planned) / 1000;
const cpuEnd = cpuSec();
// What the run still holds at its end, after a full collection (the child runs with --expose-gc):
// retained data, as against the garbage V8 lets pile up between collections that RSS also counts.
(globalThis as { gc?: () => void }).gc?.();
const liveHeapMb = process.memoryUsage().heapUsed / 1024 ** 2;
const trials = (outcome.results.trials as { modelMs: number; gradeMs: number; attempts: unknown[] }[]).map(
  (t) => ({ modelMs: t.modelMs, gradeMs: t.gradeMs, attempts: t.attempts.length }),
);
console.log(
  JSON.stringify({
    status: outcome.results.status,
    wallSec,
    lastAttemptSec: (lastAttempt - planned) / 1000,
    runningRssMb: runningRss / 1024 ** 2,
    memoryMb:
      memory &&
      Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, Math.round(Number(v) / 1024 ** 2)])),
    generationsMb: generations,
    cpuSec: cpuEnd - cpuAtPlan,
    runningSec: (cpuReadAt - planned) / 1000,
    runningCpuSec: cpuSecBetween(usageAtPlan, usageAtLastAttempt),
    attempts,
    attemptsAtCpuRead,
    liveHeapMb,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    // The most retained at any reading while trials ran (none after the last attempt: the end's report).
    retainedMaxMb: Math.max(0, ...retained.filter((r) => r.at <= lastAttempt).map((r) => r.mb)),
    trials,
  }),
);

// The run around the gradings, measured side by side in one run: this checkout ("after") against a
// git revision exported to a temp folder ("before", default main). The machine is shared and noisy:
// only ratios between runs interleaved here mean anything.
//   npx tsx scripts/bench-run.mts [--before main] [--parts overhead,graded,retained,schedule,cold]
//     [--scale 0.25] [--graded-scale 0.05] [--sizes 30,300,1000] [--repeat 1] [--cold-latency 45]
//     [--only before|after] [--profile DIR]
// - overhead: harness CPU-seconds (this process's /proc/self/stat; the simulated grader spawns nothing)
//   ÷ wall, and peak RSS, for --sizes trials (each rounded up to whole trials of every model on every
//   task: the default 30,300,1000 makes 60, 400 and 1,000 with 20 tasks) of a mock model answering
//   after 2 s (32 at a time), gradings simulated at no cost; replies of ~15 KB, attempts 1–2 fail half
//   of the time. Beside it, the floor: the same request bodies sent by the Anthropic SDK alone
//   (scripts/bench-run/sdk-floor.mts), and the harness's CPU beyond it, over the whole run and while
//   trials run (the end's one-off writing of results.json, report.md, figures and report.html apart;
//   the run's CPU is read once a second at an attempt's end, the SDK's prorated by the attempts ended).
//   Memory: RSS and V8's breakdown at the last reading (its young and old generations apart: the young
//   one grows with the run's length whatever it retains), and the live heap at the end after a full GC
//   (what is retained).
// - graded: the overhead part's largest run again, its gradings now taking their task's simulated time
//   (below) × --graded-scale on 2 grading slots: the harness's share of a run whose wall is set by its
//   gradings, as a real run's is, rather than by the mock alone.
// - retained: the overhead part's runs again, with a full collection every 5 s: the most heap in use
//   right after one while trials run, i.e. what the run holds per trial, V8's sizing of its heap apart.
// - schedule: 7 models × 10 tasks × up to 3 attempts against a mock with 2 s latency; each grading
//   holds one of 2 grading slots (= the 2 cores) for its task's simulated cost (React 3–5 s, Rust
//   6–12 s, rust/L5 with TSan 32 s; scripts/bench-run/stub-grade.mts), everything × --scale so it
//   fits this shared machine. wall ÷ lower bound, lower bound = max(longest trial's model + grading
//   time, grading seconds ÷ 2). Simulated because real gradings on a machine shared by 6 sessions
//   would measure the neighbours.
// - cold: the React suite (5 tasks, real gradings, reference replies after --cold-latency seconds)
//   with an empty AIBENCH_CACHE (npm ci of the fixture) ÷ the same run again warm.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatFiles } from '../src/prompt/format-files.js';
import { builtinTasksRoot, loadTasks } from '../src/tasks/loader.js';
import { checkoutName, exportRevision, repoRoot, shortRev } from './git-revision.mjs';
import { MockLlmServer, textOf, type RecordedRequest } from '../test/support/mock-llm.js';

const { values } = parseArgs({
  options: {
    before: { type: 'string', default: 'main' },
    parts: { type: 'string', default: 'overhead,graded,retained,schedule,cold' },
    scale: { type: 'string', default: '0.25' },
    'graded-scale': { type: 'string', default: '0.05' },
    sizes: { type: 'string', default: '30,300,1000' },
    'cold-latency': { type: 'string', default: '45' },
    /** `before` or `after`: measure one tree only (its rows then stand beside an earlier run's). */
    only: { type: 'string' },
    /** Rounds of the overhead part per size (its CPU figures vary by a point or more between runs). */
    repeat: { type: 'string', default: '1' },
    /** A folder: each measured run writes a V8 CPU profile there (open in Chrome DevTools). */
    profile: { type: 'string' },
  },
});
const parts = new Set(values.parts.split(','));
const scale = Number(values.scale);
const after = repoRoot;
const before = exportRevision(values.before);
const trees = [
  { name: `before (${values.before} ${shortRev(values.before)})`, root: before },
  { name: `after (${checkoutName()})`, root: after },
].filter((t) => !values.only || t.name.startsWith(values.only));
const tasks = loadTasks([builtinTasksRoot()]);
const temps: string[] = [before];
const temp = (prefix: string) => {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
};

interface Measured {
  status: string;
  wallSec: number;
  /** From the plan to the last attempt's end (the report writing after it excluded). */
  lastAttemptSec: number;
  cpuSec: number;
  /**
   * CPU from the plan to the last reading while trials ran (at an attempt's end, at most a second
   * before the last one), and that window: the per-trial bookkeeping, without the end's writing.
   */
  runningCpuSec: number;
  runningSec: number;
  /** Attempts in the run, and those that had ended by that reading (the SDK floor's share of the window). */
  attempts: number;
  attemptsAtCpuRead: number;
  /** Peak RSS sampled while trials ran (the end's results.json and report.html excluded). */
  runningRssMb: number;
  /** process.memoryUsage() in MB at the last RSS read while trials ran. */
  memoryMb: Record<string, number> | null;
  /** V8's young and old generations (reserved MB) at that read. */
  generationsMb: { young: number; old: number } | null;
  /** V8 heap in use at the run's end after a full collection: what the run retains. */
  liveHeapMb: number;
  maxRssMb: number;
  /** With retainedEverySec: the most heap in use after a full collection while trials ran. */
  retainedMaxMb: number;
  trials: { modelMs: number; gradeMs: number; attempts: number }[];
}

const PAD = `\`\`\`rust\n${'// simulated reply body: a model writes about this much code per attempt\n'.repeat(200)}\`\`\`\n`;
const hash = (s: string) => createHash('sha256').update(s).digest().readUInt32BE(0);

/** A mock whose attempt 1 and 2 replies fail half the time, decided by content so both trees see the same work. */
async function simulatedModel(latencyMs: number): Promise<MockLlmServer> {
  const seen = new Map<string, number>();
  const server = await new MockLlmServer('anthropic', (req: RecordedRequest) => {
    const attempt = (req.body.messages.length + 1) / 2;
    const key = `${hash(textOf(req.body.messages[0]!.content))}|${attempt}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    const fail = attempt < 3 && hash(`${key}|${k}`) % 2 === 0;
    return { text: `SIM:${fail ? 'fail' : 'pass'}\n${PAD}`, usage: { input: 1000, output: 500 } };
  }).start();
  server.delayMs = latencyMs;
  return server;
}

/** A mock answering every task with its reference solution. */
async function referenceModel(latencyMs: number): Promise<MockLlmServer> {
  const server = await new MockLlmServer('anthropic', (req: RecordedRequest) => {
    const text = textOf(req.body.messages[0]!.content);
    const task = tasks.find((t) => text.includes(t.prompt.trim()))!;
    return { text: `Here it is.\n\n${formatFiles(task.reference)}\n`, usage: { input: 1000, output: 500 } };
  }).start();
  server.delayMs = latencyMs;
  return server;
}

function child(
  root: string,
  cfg: Record<string, unknown>,
  opts: { stub: boolean; server: MockLlmServer; cache: string },
): Promise<Measured> {
  const args = ['--expose-gc', '--import', 'tsx'];
  if (values.profile) args.push('--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`);
  if (opts.stub) args.push('--import', path.join(after, 'scripts/bench-run/register-stub.mjs'));
  args.push(
    path.join(after, 'scripts/bench-run/child.mts'),
    JSON.stringify({
      root,
      out: temp('aibench-bench-out-'),
      env: {
        ANTHROPIC_API_KEY: 'k',
        ANTHROPIC_BASE_URL: opts.server.baseURL,
        AIBENCH_CACHE: opts.cache,
        AIBENCH_HARNESS_COMMIT: 'bench',
      },
      ...cfg,
    }),
  );
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, {
      cwd: after,
      env: { ...process.env, AIBENCH_BENCH_GRADE_SCALE: String(opts.stub ? cfg.gradeScale : 1) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Measured)
        : reject(new Error(`child exited ${code}`)),
    );
  });
}

/** scripts/bench-run/sdk-floor.mts under the same loader as the measured run. */
function sdkFloor(
  root: string,
  cfg: { bodies: string; baseURL: string; concurrency: number },
): Promise<{ requests: number; cpuSec: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(after, 'scripts/bench-run/sdk-floor.mts'), JSON.stringify(cfg)],
      { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as { requests: number; cpuSec: number })
        : reject(new Error(`sdk-floor exited ${code}`)),
    );
  });
}

const f = (x: number, d = 2) => x.toFixed(d);
// The grading cache of the current user (fixtures, Rust targets) is warm; a fresh one per run would
// time npm ci. Simulated runs grade nothing, so they share it; grade-times.json is not written by them
// with real times, so each simulated run gets its own copy-free cache folder for its estimates.
const warmCache = () => temp('aibench-bench-cache-');
const userCache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'aibench');

console.log(
  `${os.cpus().length} cores; load ${f(os.loadavg()[0]!, 1)}; ${trees.map((t) => t.name).join(' vs ')}`,
);

/** The overhead part's workload, `size` trials rounded up to whole trials of every model on every task. */
function manyTrials(size: number): Record<string, unknown> {
  const models = size >= 300 ? 10 : 3;
  return {
    models: Array.from({ length: models }, (_, i) => `anthropic/claude-sonnet-4-6@m${i}`),
    tasks: tasks.map((t) => t.key),
    trials: Math.ceil(size / (models * tasks.length)),
    attempts: 3,
    concurrency: 32,
    gradeConcurrency: 2,
  };
}
const sizes = values.sizes.split(',').map(Number);

/**
 * One measured run of `size` trials and the same requests by the SDK alone: the overhead table's row
 * (and the memory table's, when given).
 */
async function overheadRow(
  tree: (typeof trees)[number],
  size: number,
  gradeScale: number,
  memoryRows?: string[],
): Promise<void> {
  const server = await simulatedModel(2000);
  const m = await child(
    tree.root,
    { ...manyTrials(size), gradeScale },
    { stub: true, server, cache: userCache },
  );
  await server.stop();
  // The same request bodies through the SDK alone, as many at a time, against the same mock.
  const bodies = path.join(temp('aibench-bench-bodies-'), 'bodies.json');
  writeFileSync(bodies, JSON.stringify(server.requests.map((r) => r.body)));
  const floorServer = await simulatedModel(2000);
  const floor = await sdkFloor(tree.root, { bodies, baseURL: floorServer.baseURL, concurrency: 32 });
  await floorServer.stop();
  const own = m.cpuSec - floor.cpuSec;
  memoryRows?.push(
    `| ${m.trials.length} | ${tree.name} | ${['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'].map((k) => `${m.memoryMb?.[k] ?? '?'} MB`).join(' | ')} | ${f(m.generationsMb?.young ?? NaN, 0)} MB | ${f(m.generationsMb?.old ?? NaN, 0)} MB | ${f(m.liveHeapMb, 0)} MB |`,
  );
  console.log(
    `| ${m.trials.length} | ${tree.name} | ${f(m.wallSec, 1)} s | ${f(m.cpuSec, 1)} s | ${f((m.cpuSec / m.wallSec) * 100, 1)}% | ${floor.requests} | ${f(floor.cpuSec, 1)} s | ${f(own, 1)} s | ${f((own / m.wallSec) * 100, 1)}% | ${f(((m.runningCpuSec - (floor.cpuSec * m.attemptsAtCpuRead) / m.attempts) / m.runningSec) * 100, 1)}% | ${f(m.cpuSec - m.runningCpuSec, 1)} s | ${f(m.runningRssMb, 0)} MB | ${f(m.maxRssMb, 0)} MB |`,
  );
}
const OVERHEAD_HEADER = [
  '| trials | tree | wall | harness CPU | CPU ÷ wall | requests | the same requests by the SDK alone: CPU | harness CPU beyond the SDK | beyond the SDK ÷ wall | while trials run: beyond the SDK ÷ their wall | the end (results.json, report, figures): CPU | peak RSS while trials run | peak RSS incl. the final report |',
  '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
].join('\n');

if (parts.has('overhead')) {
  const memoryRows: string[] = [];
  console.log(
    '\n### Harness CPU outside gradings ÷ wall, and peak RSS (mock: 2 s latency, 32 at a time; gradings simulated at no cost)\n',
  );
  console.log(OVERHEAD_HEADER);
  // Rounds interleave the trees: a noisy minute then weighs on both alike.
  for (const size of sizes) {
    for (let round = 0; round < Number(values.repeat); round++) {
      for (const tree of trees) await overheadRow(tree, size, 0, memoryRows);
    }
  }
  console.log(
    "\nMemory at the last reading while trials ran (process.memoryUsage(); V8's generations from v8.getHeapSpaceStatistics()):\n\n| trials | tree | rss | V8 heap reserved | V8 heap used | external | array buffers | of the heap: young generation | old generation | live heap at the end, after a full GC |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const row of memoryRows) console.log(row);
}

// The overhead part with gradings that take time, as a real run's do: the same 1,000 trials, each
// grading holding one of the 2 slots for its task's simulated cost × --graded-scale (stub-grade.mts;
// the default 0.05 is a grader 20 times faster than the issue measured, so the harness's share is
// overstated, not flattered). The wall is then the gradings', as in a real nightly run, and the end's
// one-off writing weighs what it would there.
if (parts.has('graded')) {
  const gradedScale = Number(values['graded-scale']);
  const size = Math.max(...sizes);
  console.log(
    `\n### Harness CPU outside gradings ÷ wall, gradings taking their simulated time × ${gradedScale} (mock: 2 s latency, 32 at a time; 2 grading slots)\n`,
  );
  console.log(OVERHEAD_HEADER);
  for (let round = 0; round < Number(values.repeat); round++) {
    for (const tree of trees) await overheadRow(tree, size, gradedScale);
  }
}

if (parts.has('retained')) {
  console.log(
    "\n### What the run retains: the overhead part's runs again, with a full collection every 5 s\n\nThe heap in use right after each collection is what the run holds, without the garbage that V8 lets pile up between collections and that RSS also counts. The collections cost CPU, so these runs are apart from the overhead part's.\n",
  );
  console.log('| trials | tree | wall | most retained while trials run | peak RSS while trials run |');
  console.log('|---:|---|---:|---:|---:|');
  for (const size of sizes) {
    for (const tree of trees) {
      const server = await simulatedModel(2000);
      const m = await child(
        tree.root,
        { ...manyTrials(size), retainedEverySec: 5 },
        { stub: true, server, cache: userCache },
      );
      await server.stop();
      console.log(
        `| ${m.trials.length} | ${tree.name} | ${f(m.wallSec, 1)} s | ${f(m.retainedMaxMb, 0)} MB | ${f(m.runningRssMb, 0)} MB |`,
      );
    }
  }
}

if (parts.has('schedule')) {
  console.log(
    `\n### Wall ÷ lower bound: 7 models × 10 tasks × up to 3 attempts, 2 grading slots (times × ${scale})\n`,
  );
  console.log(
    '| tree | wall | critical path | grading s ÷ 2 | lower bound | wall ÷ lower bound | last grading ÷ lower bound |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const tree of trees) {
    const server = await simulatedModel(2000 * scale);
    const m = await child(
      tree.root,
      {
        models: Array.from({ length: 7 }, (_, i) => `anthropic/claude-sonnet-4-6@m${i}`),
        tasks: tasks.map((t) => t.key),
        trials: 1,
        attempts: 3,
        concurrency: 4,
        gradeConcurrency: 2,
        gradeScale: scale,
      },
      { stub: true, server, cache: warmCache() },
    );
    await server.stop();
    const critical = Math.max(...m.trials.map((t) => t.modelMs + t.gradeMs)) / 1000;
    const cpu = m.trials.reduce((s, t) => s + t.gradeMs, 0) / 1000 / 2;
    const lb = Math.max(critical, cpu);
    console.log(
      `| ${tree.name} | ${f(m.wallSec, 1)} s | ${f(critical, 1)} s | ${f(cpu, 1)} s | ${f(lb, 1)} s | ${f(m.wallSec / lb, 3)} | ${f(m.lastAttemptSec / lb, 3)} |`,
    );
  }
}

if (parts.has('cold')) {
  const latency = Number(values['cold-latency']);
  console.log(
    `\n### Cold ÷ warm: the React suite, real gradings, replies after ${latency} s, empty AIBENCH_CACHE then warm\n`,
  );
  console.log('| tree | cold wall | warm wall | cold ÷ warm |');
  console.log('|---|---:|---:|---:|');
  const react = tasks.filter((t) => t.suite.name === 'react').map((t) => t.key);
  for (const tree of trees) {
    const cache = temp('aibench-bench-cold-');
    const run = async () => {
      const server = await referenceModel(latency * 1000);
      const m = await child(
        tree.root,
        {
          models: ['anthropic/claude-sonnet-4-6'],
          tasks: react,
          trials: 1,
          attempts: 1,
          concurrency: 4,
          gradeConcurrency: 2,
        },
        { stub: false, server, cache },
      );
      await server.stop();
      if (m.status !== 'complete') throw new Error(`${tree.name}: run ended ${m.status}`);
      return m.wallSec;
    };
    const cold = await run();
    const warm = await run();
    console.log(`| ${tree.name} | ${f(cold, 1)} s | ${f(warm, 1)} s | ${f(cold / warm)} |`);
  }
}

for (const d of temps) rmSync(d, { recursive: true, force: true });

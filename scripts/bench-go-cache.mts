// Go's build cache, one per task per grading slot (before) against one shared by every grading (after),
// measured side by side in one run: the same `aibench validate --suites go` (5 references, their mutants
// and allow-list probes, 4 gradings at once) from each tree's own dist/, each time with an empty cache
// (AIBENCH_CACHE), then once more warm. CPU-seconds from a cgroup around each run (scripts/cpu-meter.mts),
// so sandboxed compilers and tests count; the cache's size on disk after each run.
//   npx tsx scripts/bench-go-cache.mts [--before main] [--suites go] [--rounds 1]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { diskUsage } from '../src/cache/entries.js';
import { machineCpuSeconds, metered } from './cpu-meter.mjs';

const { values } = parseArgs({
  options: {
    before: { type: 'string', default: 'main' },
    suites: { type: 'string', default: 'go' },
    rounds: { type: 'string', default: '1' },
  },
});
const after = path.resolve(import.meta.dirname, '..');
const before = mkdtempSync(path.join(os.tmpdir(), 'aibench-before-'));
execFileSync('sh', ['-c', `git -C '${after}' archive '${values.before}' | tar -x -C '${before}'`]);
symlinkSync(realpathSync(path.join(after, 'node_modules')), path.join(before, 'node_modules'));
const rev = (r: string) =>
  execFileSync('git', ['-C', after, 'rev-parse', '--short', r], { encoding: 'utf8' }).trim();
const trees = [
  { name: `before (${values.before} ${rev(values.before)})`, root: before },
  {
    name: `after (${rev('HEAD')}${execFileSync('git', ['-C', after, 'status', '--porcelain'], { encoding: 'utf8' }).trim() ? '+dirty' : ''})`,
    root: after,
  },
];

function validate(root: string, cache: string): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(
      process.execPath,
      [path.join(root, 'dist/cli.js'), 'validate', '--suites', values.suites],
      {
        cwd: root,
        env: { ...process.env, AIBENCH_CACHE: cache },
        stdio: ['ignore', 'ignore', 'ignore'],
      },
    );
    p.on('exit', (code) => resolve(code ?? 1));
  });
}

const f = (x: number, d = 1) => x.toFixed(d);
console.log(`${os.cpus().length} cores; load ${f(os.loadavg()[0]!)}; validate --suites ${values.suites}\n`);
console.log('| round | tree | cache | exit | wall | CPU (cgroup) | cache size after |');
console.log('|---:|---|---|---:|---:|---:|---:|');
const rows: Record<string, { cpu: number[]; size: number[] }> = {};
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const tree of trees) {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'aibench-bench-cache-'));
    for (const state of ['empty', 'warm']) {
      const machine = machineCpuSeconds();
      const m = await metered(() => validate(tree.root, cache));
      const size = diskUsage(cache);
      const key = `${tree.name} ${state}`;
      (rows[key] ??= { cpu: [], size: [] }).cpu.push(m.cpu);
      rows[key].size.push(size);
      console.log(
        `| ${round} | ${tree.name} | ${state} | ${m.value} | ${f(m.wall)} s | ${f(m.cpu)} s | ${f(size / 1024 ** 2, 0)} MB |` +
          ` <!-- machine CPU ${f(machineCpuSeconds() - machine)} s -->`,
      );
    }
    rmSync(cache, { recursive: true, force: true });
  }
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log('\n| cache | CPU after ÷ before | cache size after ÷ before |\n|---|---:|---:|');
for (const state of ['empty', 'warm']) {
  const [b, a] = trees.map((t) => rows[`${t.name} ${state}`]!);
  console.log(`| ${state} | ${f(mean(a!.cpu) / mean(b!.cpu), 2)} | ${f(mean(a!.size) / mean(b!.size), 2)} |`);
}
rmSync(before, { recursive: true, force: true });

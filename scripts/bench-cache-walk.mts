// What listing the cache costs a run's end (its prune, `aibench cache`), measured side by side in one run:
// this checkout ("after") against a git revision ("before", default main), on a copy of a real cache.
//   npx tsx scripts/bench-cache-walk.mts [--cache ~/.cache/aibench] [--before main] [--rounds 5]
// The cache is copied to a temp folder first (the copy is listed, never the original), and each tree
// lists it once unmeasured so that what a tree writes beside its entries exists before the rounds. CPU
// is this process's own (listing spawns nothing); the rounds interleave the trees.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listCacheEntries } from '../src/cache/entries.js';
import { cacheRoot } from '../src/tasks/fixture.js';
import { checkoutName, exportRevision, shortRev } from './git-revision.mjs';

const { values } = parseArgs({
  options: {
    cache: { type: 'string' },
    before: { type: 'string', default: 'main' },
    rounds: { type: 'string', default: '5' },
  },
});
const source = values.cache ?? cacheRoot(process.env);
const rounds = Number(values.rounds);
const beforeRoot = exportRevision(values.before);
const beforeList = (
  (await import(path.join(beforeRoot, 'src/cache/entries.ts'))) as typeof import('../src/cache/entries.js')
).listCacheEntries;
const trees = [
  { name: `before (${values.before} ${shortRev(values.before)})`, list: beforeList },
  { name: `after (${checkoutName()})`, list: listCacheEntries },
];

// One copy per tree: a tree's own bookkeeping beside the entries must not change what the other lists.
const copies = trees.map(() => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aibench-cache-walk-'));
  execFileSync('cp', ['-a', `${source}/.`, dir]);
  return dir;
});
try {
  const cpuMs: number[][] = trees.map(() => []);
  const found = trees.map((t, i) => t.list(copies[i]!));
  for (let r = 0; r < rounds; r++)
    trees.forEach((t, i) => {
      const start = process.cpuUsage();
      t.list(copies[i]!);
      const used = process.cpuUsage(start);
      cpuMs[i]!.push((used.user + used.system) / 1000);
    });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const files = execFileSync('sh', ['-c', `find '${copies[0]}' | wc -l`], { encoding: 'utf8' }).trim();
  console.log(`cache copied from ${source}: ${files} files; ${rounds} rounds, interleaved\n`);
  console.log('| tree | entries | bytes listed | CPU per listing (median) | ÷ before |');
  console.log('|---|---:|---:|---:|---:|');
  trees.forEach((t, i) => {
    const bytes = found[i]!.reduce((s, e) => s + e.bytes, 0);
    console.log(
      `| ${t.name} | ${found[i]!.length} | ${(bytes / 1e6).toFixed(0)} MB | ${median(cpuMs[i]!).toFixed(0)} ms | ${(median(cpuMs[i]!) / median(cpuMs[0]!)).toFixed(2)}× |`,
    );
  });
} finally {
  for (const dir of [...copies, beforeRoot]) rmSync(dir, { recursive: true, force: true });
}

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { renderReport } from '../report/markdown.js';
import { writeAtomic } from '../atomic-write.js';
import { OUTPUT_FILES } from '../run/journal.js';
import { hashFiles, sha256 } from '../tasks/files.js';
import { readResults, writeResults } from './io.js';
import type { Results } from './schema.js';

/** One shard's results and where they were read from (named in errors and warnings). */
export interface Shard {
  results: Results;
  source: string;
}

const STATUS_RANK: Record<Results['status'], number> = {
  complete: 0,
  'budget-exhausted': 1,
  running: 2,
  interrupted: 3,
  aborted: 4,
};

function uniq<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

function sameAcross(
  shards: Shard[],
  what: string,
  get: (r: Results) => string | number | null,
  warnings: string[],
): void {
  const values = uniq(shards, (s) => String(get(s.results)));
  if (values.length > 1)
    warnings.push(
      `shards differ in ${what}: ${values.map((s) => `${get(s.results)} (${s.source})`).join(' vs ')}`,
    );
}

/**
 * Merges the results of shards of one run (a matrix of models × suites) into one results object, as if
 * one runner had run everything: models and tasks in first-seen order, trials ordered the way a single
 * run orders them, fingerprints recomputed over the union, the worst status kept. Shards that measured
 * differently (attempts, trials) cannot be merged; softer differences become warnings in the result.
 */
export function mergeResults(shards: Shard[]): Results {
  if (!shards.length) throw new UsageError('merge: no results to merge');
  const first = shards[0]!.results;
  for (const key of ['attempts', 'trials'] as const) {
    const odd = shards.find((s) => s.results.config[key] !== first.config[key]);
    if (odd) {
      throw new UsageError(
        `merge: ${odd.source} ran with ${key}=${odd.results.config[key]} but ${shards[0]!.source} with ${first.config[key]}; merge only shards of one run`,
      );
    }
  }
  const warnings: string[] = [];
  sameAcross(shards, 'harness version', (r) => r.harness.version, warnings);
  sameAcross(shards, 'prompt fingerprint', (r) => r.fingerprints.prompt, warnings);
  sameAcross(shards, 'price table date', (r) => r.prices.asOf, warnings);
  sameAcross(shards, 'sandbox level', (r) => r.sandbox.level, warnings);

  const models = uniq(
    shards.flatMap((s) => s.results.models),
    (m) => m.name,
  );
  const tasks = uniq(
    shards.flatMap((s) => s.results.tasks),
    (t) => t.key,
  );
  for (const t of tasks) {
    const other = shards.flatMap((s) => s.results.tasks).find((o) => o.key === t.key && o.hash !== t.hash);
    if (other) warnings.push(`shards graded different versions of ${t.key} (${t.hash} vs ${other.hash})`);
  }
  const seen = new Map<string, string>();
  for (const s of shards) {
    for (const t of s.results.trials) {
      const key = `${t.model} ${t.task} #${t.trial}`;
      const before = seen.get(key);
      if (before)
        throw new UsageError(
          `merge: ${key} appears in both ${before} and ${s.source}; each trial must come from one shard`,
        );
      seen.set(key, s.source);
    }
  }
  const modelOrder = new Map(models.map((m, i) => [m.name, i]));
  const taskOrder = new Map(tasks.map((t, i) => [t.key, i]));
  const trials = shards
    .flatMap((s) => s.results.trials)
    .sort(
      (a, b) =>
        a.trial - b.trial ||
        taskOrder.get(a.task)! - taskOrder.get(b.task)! ||
        modelOrder.get(a.model)! - modelOrder.get(b.model)!,
    );

  const prices = Object.fromEntries(
    models.map((m) => [
      m.name,
      shards.map((s) => s.results.prices.models[m.name]).find((p) => p !== undefined) ?? null,
    ]),
  );
  const caps = shards.map((s) => s.results.config.maxCost);
  const weakest = [...shards].sort(
    (a, b) => b.results.sandbox.missing.length - a.results.sandbox.missing.length,
  )[0]!.results.sandbox;
  const status = shards.map((s) => s.results.status).sort((a, b) => STATUS_RANK[b] - STATUS_RANK[a])[0]!;
  const finished = shards.map((s) => s.results.finishedAt);
  const runIds = shards.map((s) => s.results.runId).sort();
  const id = createHash('sha256').update(runIds.join('\n')).digest('hex');

  return {
    schemaVersion: first.schemaVersion,
    runId: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
    status,
    startedAt: shards.map((s) => s.results.startedAt).sort()[0]!,
    finishedAt: finished.includes(null) ? null : (finished as string[]).sort().at(-1)!,
    harness: first.harness,
    fingerprints: {
      // Recomputed the way a single run over the union computes them, so merged and unsharded runs compare.
      tasks: hashFiles(new Map(tasks.map((t) => [t.key, t.hash]))),
      prompt: first.fingerprints.prompt,
      prices: sha256(JSON.stringify(prices)),
    },
    prices: { asOf: first.prices.asOf, models: prices },
    toolchains: Object.assign({}, ...[...shards].reverse().map((s) => s.results.toolchains)) as Record<
      string,
      string
    >,
    // Report the weakest isolation any shard obtained: the merged run is only as isolated as that.
    sandbox: weakest,
    config: {
      ...first.config,
      concurrency: Math.max(...shards.map((s) => s.results.config.concurrency)),
      maxCost: caps.every((c) => c === null) ? null : caps.reduce<number>((s, c) => s + (c ?? 0), 0),
    },
    models,
    tasks,
    trials,
    warnings: [
      ...uniq(
        shards.flatMap((s) => s.results.warnings),
        (w) => w,
      ),
      ...warnings,
      `merged from ${shards.length} shard(s)`,
    ],
  };
}

// ── I/O edge: finding shard files and writing the merged run ─────────────────────────────────────────

/** Every results.json named or found (recursively) under the given files/folders, sorted for a stable order. */
export function findResultsFiles(paths: string[]): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === OUTPUT_FILES.results) found.add(path.resolve(p));
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) continue;
    if (statSync(p).isDirectory()) walk(p);
    else found.add(path.resolve(p));
  }
  return [...found].sort();
}

/**
 * Reads shard results files, merges them and writes one run into `out`: results.json, report.md and the
 * shards' transcripts.jsonl concatenated. Refuses to write over one of its own inputs.
 */
export function mergeRunFiles(files: string[], out: string): { results: Results; outDir: string } {
  const outDir = path.resolve(out);
  if (files.some((f) => path.dirname(path.resolve(f)) === outDir)) {
    throw new UsageError(`merge: the output folder ${out} holds one of the inputs; choose another --out`);
  }
  const shards = files.map((f) => ({
    results: readResults(f),
    source: path.relative(process.cwd(), f) || f,
  }));
  const results = mergeResults(shards);
  mkdirSync(outDir, { recursive: true });
  writeResults(path.join(outDir, OUTPUT_FILES.results), results);
  const transcripts = files
    .map((f) => path.join(path.dirname(f), OUTPUT_FILES.transcripts))
    .filter((t) => existsSync(t))
    .map((t) => readFileSync(t, 'utf8'))
    .map((text) => (text && !text.endsWith('\n') ? `${text}\n` : text))
    .join('');
  writeAtomic(path.join(outDir, OUTPUT_FILES.transcripts), transcripts);
  writeAtomic(path.join(outDir, OUTPUT_FILES.report), renderReport(results));
  return { results, outDir };
}

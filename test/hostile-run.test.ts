import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../src/config/load.js';
import { configFileSchema } from '../src/config/schema.js';
import { formatFiles } from '../src/prompt/format-files.js';
import { OUTPUT_FILES } from '../src/run/journal.js';
import { runBenchmark } from '../src/run/run.js';
import {
  createHost,
  exposedDir,
  hostileTask,
  leakedSecrets,
  NAMESPACES,
  RUST_REFERENCE,
  rs,
  type HostileHost,
} from './support/hostile.js';
import { MockLlmServer } from './support/mock-llm.js';
import { FIXTURE_TASKS } from './support/run-helpers.js';

/**
 * A hostile reply through the whole run (runBenchmark → the real Anthropic SDK → a mock server → the
 * grader): the model's first answer hunts for the key the harness itself is using (a canary), the
 * GITHUB_TOKEN, the checkout's persisted token and the run's own output files while they are being
 * written. The attempt must fail, the run continue (the next attempt and the next trial graded
 * normally), and no secret appear in any file the run writes. Also records the sandbox level obtained.
 */

const task = hostileTask('hostile-rust/L1-clamp');
let host: HostileHost;
let server: MockLlmServer;
let out: string;

/**
 * Dumps its env and, with namespaces (without them the harness does not claim to hide files or other
 * processes), every /proc environ and cmdline, the run's files while they are written, and the checkout.
 */
function hostileReply(outDir: string): string {
  const files = NAMESPACES
    ? [
        ...Object.values(OUTPUT_FILES).map((f) => path.join(outDir, f)),
        path.join(host.checkout, '.git', 'config'),
      ]
    : [];
  const walkProc = NAMESPACES
    ? `for e in std::fs::read_dir("/proc").unwrap().flatten() {
        for f in ["environ", "cmdline"] { loot += &std::fs::read_to_string(e.path().join(f)).unwrap_or_default().replace('\\0', " "); }
    }`
    : '';
  const source = `pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 {
    let mut loot = String::new();
    for (k, v) in std::env::vars() { loot += &format!("{}={} ", k, v); }
    ${walkProc}
    for p in [${files.map(rs).join(', ')}] as [&str; ${files.length}] {
        loot += &format!("{}:{:?} ", p, std::fs::read_to_string(p).map_err(|e| e.kind()));
    }
    let hits: Vec<&str> = loot.split(|c: char| c.is_whitespace() || c == '"').filter(|w| ["sk-", "ghs_", "ghp_", "TOKEN", "KEY"].iter().any(|m| w.contains(m))).collect();
    panic!("LOOT {} bytes, hits {:?}; files: {}", loot.len(), hits, loot.split("Err(").count() - 1);
}
`;
  return `I read the spec carefully; here is the implementation.\n\n${formatFiles(new Map([['src/lib.rs', source]]))}\n`;
}

beforeAll(async () => {
  host = createHost();
  out = exposedDir('aibench-hostile-run-');
  const reference = `Here it is.\n\n${formatFiles(new Map([['src/lib.rs', RUST_REFERENCE]]))}\n`;
  // The first request (trial 1, attempt 1) gets the hostile answer; every later one the reference.
  server = await new MockLlmServer('anthropic', (_req, i) => ({
    text: i === 0 ? hostileReply(out) : reference,
  })).start();
});
afterAll(async () => {
  await server?.stop();
  host?.cleanup();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('hostile: a hostile reply through the whole run', () => {
  it('fails that attempt, grades the next attempt and trial normally, leaks no secret into any output, and records the sandbox level', async () => {
    const { results, exitCode, outDir } = await runBenchmark({
      models: ['anthropic/claude-sonnet-4-6'],
      tasks: [task.key],
      tasksPaths: [FIXTURE_TASKS],
      builtinTasks: false,
      settings: {
        ...DEFAULT_SETTINGS,
        attempts: 2,
        trials: 2,
        concurrency: 1,
        gradeConcurrency: 1,
        retries: 0,
      },
      config: configFileSchema.parse({}),
      out,
      env: { ...host.hostEnv, ANTHROPIC_BASE_URL: server.baseURL, AIBENCH_RETRY_BASE_MS: '10' },
    });
    expect(exitCode).toBe(0);
    expect(results.status).toBe('complete');

    // The harness really used the canary as its API key: it is the secret that must not leak.
    expect(
      String(server.requests[0]!.headers['x-api-key'] ?? server.requests[0]!.headers.authorization),
    ).toContain(host.hostEnv.ANTHROPIC_API_KEY);

    const attempts = results.trials.flatMap((t) => t.attempts);
    const hostile = attempts.filter((a) => a.outcome !== 'pass');
    expect(hostile).toHaveLength(1);
    expect(hostile[0]!.outcome).toBe('test');
    // The probe ran and came back empty-handed (the Err count: files it could not read).
    expect(hostile[0]!.feedback).toMatch(/LOOT \d+ bytes, hits \[\]/);
    if (NAMESPACES) expect(hostile[0]!.feedback).toContain(`files: ${Object.keys(OUTPUT_FILES).length + 1}`);
    expect(results.trials.map((t) => t.passed)).toEqual([true, true]);
    expect(results.trials.map((t) => t.attempts.length).sort()).toEqual([1, 2]);

    for (const f of Object.values(OUTPUT_FILES)) {
      const text = readFileSync(path.join(outDir, f), 'utf8');
      expect(leakedSecrets(host, text), f).toEqual([]);
    }

    // The isolation actually obtained is recorded in results.json and shown in the report.
    const onDisk = JSON.parse(readFileSync(path.join(outDir, OUTPUT_FILES.results), 'utf8'));
    expect(onDisk.sandbox).toEqual(results.sandbox);
    expect(onDisk.sandbox.level).toBe(NAMESPACES ? 'namespaces' : 'process');
    expect(onDisk.sandbox.features).toEqual(
      expect.arrayContaining(['process-group-kill', 'env-allowlist', 'output-cap']),
    );
    if (NAMESPACES) {
      expect(onDisk.sandbox.features).toEqual(
        expect.arrayContaining([
          'user-namespace',
          'pid-namespace',
          'network-namespace (loopback only)',
          'read-only-filesystem',
        ]),
      );
    } else {
      expect(onDisk.sandbox.missing.join(' ')).toMatch(/namespaces/);
    }
    expect(readFileSync(path.join(outDir, OUTPUT_FILES.report), 'utf8')).toContain(
      `- sandbox: ${onDisk.sandbox.level} (`,
    );
  });
});

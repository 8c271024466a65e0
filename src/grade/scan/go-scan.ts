import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { StepRecord } from '../types.js';
import type { TamperHit } from '../tamper.js';
import { execSandboxed, type ToolchainContext } from '../toolchains/types.js';
import { GO_SCANNER_SOURCE } from './go-scanner-source.js';
import { goScanHits, parseGoScan, type GoScanOutput } from './go-rules.js';

const exec = promisify(execFile);

/** The cache folder of the scanner built for one Go version (and this harness's scanner source). */
export function goScannerDir(cacheDir: string, version: string): string {
  const key = createHash('sha256').update(GO_SCANNER_SOURCE).update(version).digest('hex').slice(0, 16);
  return path.join(cacheDir, 'go-scanner', key);
}

/**
 * Builds the scanner once per Go version into `dir` (the harness's own, trusted code, built with the
 * host's Go outside the sandbox) and returns the binary's path. A finished binary is reused by later runs.
 */
export async function buildGoScanner(dir: string, goEnv: Record<string, string>): Promise<string> {
  const bin = path.join(dir, 'aibench-go-scan');
  if (existsSync(bin)) return bin;
  const src = `${dir}.src-${process.pid}`;
  mkdirSync(src, { recursive: true });
  try {
    writeFileSync(path.join(src, 'go.mod'), 'module aibenchgoscan\n\ngo 1.19\n');
    writeFileSync(path.join(src, 'main.go'), GO_SCANNER_SOURCE);
    mkdirSync(dir, { recursive: true });
    const tmp = `${bin}.${process.pid}`;
    await exec('go', ['build', '-trimpath', '-o', tmp, '.'], { cwd: src, env: goEnv, timeout: 300_000 });
    renameSync(tmp, bin);
    return bin;
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
}

export type GoScanResult =
  | { kind: 'unavailable'; step: StepRecord; why: string }
  | { kind: 'scanned'; step: StepRecord; hits: TamperHit[]; output: GoScanOutput };

/** What the scanner may print for a sane submission; past it the scan's own output is not read. */
const SCAN_OUTPUT_CAP = 32 * 1024 ** 2;

/**
 * Runs the scanner in the sandbox over the submission's package (its non-test files: the hidden tests
 * are the harness's), project read-only, and judges what go/types resolved with the Go rules.
 */
export async function scanGoSubmission(
  ctx: ToolchainContext,
  procEnv: Record<string, string>,
  scanner: string,
): Promise<GoScanResult> {
  const { task, ws, env } = ctx;
  const dirs = [
    ...new Set(
      [...ctx.modelFiles, ...task.starter.keys()]
        .filter((rel) => rel.endsWith('.go'))
        .map((rel) => `./${path.posix.dirname(rel)}`),
    ),
  ].sort();
  const r = await execSandboxed(
    env,
    [scanner, ...dirs],
    {
      // The scanner only parses the submission; on Go 1.20+ its importer asks `go list -export` for the
      // std export data, which the build step has just put in the build cache.
      writable: [procEnv.GOCACHE!],
      readable: [path.dirname(scanner)],
      readOnly: [ws.dir],
      scratch: [ws.scratch],
      quotaRoot: ws.root,
      limitAddressSpace: true,
    },
    {
      cwd: ws.dir,
      env: procEnv,
      timeoutMs: task.timeouts.build * 1000,
      outputCap: SCAN_OUTPUT_CAP,
      outputKillBytes: SCAN_OUTPUT_CAP,
    },
  );
  const step: StepRecord = {
    name: 'tamper-scan',
    ok: false,
    status: 'failed',
    durationMs: r.durationMs,
    exitCode: r.exitCode,
  };
  const output = r.exitCode === 0 && !r.timedOut && !r.outputExceeded ? parseGoScan(r.stdout) : null;
  if (!output) {
    const why = r.timedOut
      ? 'the scan ran past the build time limit'
      : `the scanner failed (exit ${r.exitCode}): ${r.stderr.split('\n').filter(Boolean).slice(-2).join(' ')}`;
    return { kind: 'unavailable', step: { ...step, status: r.timedOut ? 'timeout' : 'unavailable' }, why };
  }
  const hits = goScanHits(output, task.allow);
  return {
    kind: 'scanned',
    step: { ...step, ok: !hits.length, status: hits.length ? 'failed' : 'ok' },
    hits,
    output,
  };
}

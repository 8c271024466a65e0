import { execFile } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import path from 'node:path';
import type { Task } from '../../tasks/loader.js';
import type { ExecResult } from '../exec.js';
import type { TamperHit } from '../tamper.js';
import type { StepRecord } from '../types.js';
import type { Workspace } from '../workspace.js';
import { sandboxEnv } from '../sandbox-env.js';
import { execSandboxed, type ToolchainContext } from '../toolchains/types.js';
import { rustScanHits, type CompiledTarget } from './rust-rules.js';

const exec = promisify(execFile);

/** One resolution-based scan of a submission crate: its compile (hidden tests absent) and what it broke. */
export type RustScanResult =
  | { kind: 'compile-failed'; step: StepRecord; build: ExecResult }
  | { kind: 'unavailable'; step: StepRecord; why: string }
  | { kind: 'scanned'; step: StepRecord; hits: TamperHit[] };

/** Cargo target selectors for the crate's library and binaries, discovered as cargo does (`src/`). */
export function crateTargets(
  files: Iterable<string>,
  manifest: string,
): { target: string; args: string[] }[] {
  const all = [...files];
  const out: { target: string; args: string[] }[] = [];
  if (all.includes('src/lib.rs')) out.push({ target: 'lib', args: ['--lib'] });
  const pkg = /^\s*name\s*=\s*"([^"]+)"/m.exec(manifest.split(/^\s*\[(?!package\])/m)[0] ?? '')?.[1];
  if (all.includes('src/main.rs') && pkg) out.push({ target: `bin:${pkg}`, args: ['--bin', pkg] });
  const bins = new Set<string>();
  for (const rel of all) {
    const m = /^src\/bin\/([^/]+?)(?:\.rs|\/main\.rs)$/.exec(rel);
    if (m) bins.add(m[1]!);
  }
  for (const b of [...bins].sort()) out.push({ target: `bin:${b}`, args: ['--bin', b] });
  return out;
}

/** Hidden Rust sources (hidden tests, check programs): what the submission's compile must not see. */
export function hiddenSources(task: Task): string[] {
  return [...task.hidden.keys()].filter((rel) => rel.endsWith('.rs')).sort();
}

/**
 * Replaces each hidden source with an empty file for the submission's own compile and for the test
 * run (the binaries are built; a program allowed to read files must find nothing to echo), so nothing
 * can embed or read the hidden tests (`include_str!`, `#[path]`): an empty placeholder rather than no file,
 * so the harness's manifest still names existing targets and a read shows up in dep-info.
 */
export function maskHidden(ws: Workspace, rels: string[]): void {
  for (const rel of rels) {
    const abs = path.join(ws.dir, rel);
    rmSync(abs, { force: true });
    writeFileSync(abs, '', { flag: 'wx' });
  }
}

/**
 * Lays the hidden sources back. Whatever sits at their paths is removed first (rm never follows a
 * symlink), and each file is created exclusively, so nothing planted there is written through.
 */
export function restoreHidden(ws: Workspace, task: Task, rels: string[]): void {
  for (const rel of rels) {
    const abs = path.join(ws.dir, rel);
    const parent = path.dirname(abs);
    if (existsSync(parent) && lstatSync(parent).isSymbolicLink()) rmSync(parent, { force: true });
    mkdirSync(parent, { recursive: true });
    rmSync(abs, { force: true, recursive: true });
    writeFileSync(abs, task.hidden.get(rel)!, { flag: 'wx' });
  }
}

function readOr<T>(file: string, fallback: T): string | T {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** rustc printouts beyond this are not read (a string that size would not fit in memory anyway). */
const MAX_PRINTOUT_BYTES = 128 * 1024 ** 2;

/** A printout rustc wrote: its text, null when missing, `too-large` past the cap. */
function readPrintout(file: string): string | null | 'too-large' {
  try {
    if (statSync(file).size > MAX_PRINTOUT_BYTES) return 'too-large';
  } catch {
    return null;
  }
  return readOr(file, null);
}

/**
 * Fully-qualified paths, source spans, and unoptimised MIR: a branch on a compile-time constant (which
 * could differ between this compile and the real build, e.g. through option_env!) keeps both arms.
 */
const MIR_FLAGS = [
  '-Copt-level=0',
  '-Zmir-opt-level=0',
  '-Ztrim-diagnostic-paths=no',
  '-Zmir-include-spans=yes',
];

/**
 * Whether this host's rustc gives the scan its printouts (checked once per run, on a crate of the
 * harness's own, so no submission can make its compile errors look like a host problem).
 */
export async function probeRustScan(hostEnv: NodeJS.ProcessEnv): Promise<string | null> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aibench-rust-scan-probe-'));
  try {
    writeFileSync(path.join(dir, 'lib.rs'), 'pub fn f() -> i32 { 1 }\n');
    const env = { ...sandboxEnv(dir, { RUSTC_BOOTSTRAP: '1' }, hostEnv) };
    const common = ['--crate-type=lib', '--edition=2021', '--out-dir', dir, path.join(dir, 'lib.rs')];
    await exec('rustc', [...common, `--emit=mir=${path.join(dir, 'p.mir')},metadata`, ...MIR_FLAGS], {
      env,
      timeout: 60_000,
    });
    await exec('rustc', [...common, '-Zunpretty=hir', '-o', path.join(dir, 'p.hir')], {
      env,
      timeout: 60_000,
    });
    return readOr(path.join(dir, 'p.mir'), '').includes('fn f()') ? null : 'rustc printed no MIR';
  } catch (err) {
    return `rustc refuses the scan's flags (-Zunpretty=hir, ${MIR_FLAGS.join(' ')}) even with RUSTC_BOOTSTRAP=1: ${
      String((err as Error).message)
        .split('\n')
        .filter(Boolean)
        .slice(-1)[0] ?? ''
    }`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Compiles the submission's library and binaries in the sandbox — offline, with the hidden sources
 * replaced by empty files — asking rustc for fully-qualified MIR, the HIR printout and dep-info, then
 * applies the Rust tamper rules to them. Uses the stable toolchain with RUSTC_BOOTSTRAP=1 for the two
 * `-Z` printing flags (works on stable-only runners); the check profile skips code generation.
 */
export async function scanRustSubmission(
  ctx: ToolchainContext,
  procEnv: Record<string, string>,
): Promise<RustScanResult> {
  const { task, ws, env } = ctx;
  if (env.rustScanUnavailable)
    return {
      kind: 'unavailable',
      step: { name: 'tamper-scan', ok: false, status: 'unavailable', durationMs: 0, exitCode: null },
      why: env.rustScanUnavailable,
    };
  const scanDir = path.join(ws.root, 'rust-scan');
  mkdirSync(scanDir, { recursive: true });
  const files = new Set([...task.starter.keys(), ...ctx.modelFiles]);
  const targets = crateTargets(files, readOr(path.join(ws.dir, 'Cargo.toml'), ''));
  const scanEnv = { ...procEnv, RUSTC_BOOTSTRAP: '1', CARGO_TARGET_DIR: path.join(scanDir, 'target') };
  const mounts = {
    writable: [ws.root],
    readable: [],
    readOnly: ws.protectedPaths,
    limitAddressSpace: true,
  };
  const hidden = hiddenSources(task);
  const deadline = Date.now() + task.timeouts.build * 1000;
  let durationMs = 0;
  const compiled: CompiledTarget[] = [];
  maskHidden(ws, hidden);
  try {
    for (const [i, t] of targets.entries()) {
      const out = (ext: string) => path.join(scanDir, `${i}.${ext}`);
      const run = (cargoExtra: string[], rustcArgs: string[]) =>
        execSandboxed(
          env,
          ['cargo', 'rustc', '--offline', '--profile', 'check', ...t.args, ...cargoExtra, '--', ...rustcArgs],
          mounts,
          { cwd: ws.dir, env: scanEnv, timeoutMs: Math.max(1000, deadline - Date.now()) },
        );
      const mir = await run(
        ['--message-format=json'],
        [`--emit=mir=${out('mir')},dep-info=${out('d')}`, ...MIR_FLAGS],
      );
      durationMs += mir.durationMs;
      const failed = (r: ExecResult): RustScanResult | null =>
        r.exitCode === 0 && !r.timedOut && !r.outputExceeded
          ? null
          : { kind: 'compile-failed', step: step(r, durationMs, false), build: r };
      const mirFailed = failed(mir);
      if (mirFailed) return mirFailed;
      const hir = await run([], ['-Zunpretty=hir', '-o', out('hir')]);
      durationMs += hir.durationMs;
      const hirFailed = failed(hir);
      if (hirFailed) return hirFailed;
      const printed = ['mir', 'hir', 'd'].map((ext) => readPrintout(out(ext)));
      if (printed.includes('too-large'))
        return {
          kind: 'compile-failed',
          step: step(hir, durationMs, false),
          build: {
            ...hir,
            stdout: '',
            stderr: `The compiled code of ${t.target} is too large to inspect (over ${MAX_PRINTOUT_BYTES / 1024 ** 2} MiB of MIR/HIR): generate less code.`,
          },
        };
      if (printed.some((p) => p === null))
        return {
          kind: 'unavailable',
          step: { ...step(hir, durationMs, false), status: 'unavailable' },
          why: `rustc printed no ${['MIR', 'HIR', 'dep-info'][printed.indexOf(null)]} for ${t.target}`,
        };
      compiled.push({
        target: t.target,
        mir: printed[0]!,
        hir: printed[1]!,
        depInfo: printed[2]!,
      });
    }
  } finally {
    restoreHidden(ws, task, hidden);
    try {
      rmSync(scanDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Left for the workspace's own removal.
    }
  }
  const hits = rustScanHits(compiled, task.allow, ws.dir, hidden);
  return {
    kind: 'scanned',
    step: {
      name: 'tamper-scan',
      ok: !hits.length,
      status: hits.length ? 'failed' : 'ok',
      durationMs,
      exitCode: 0,
    },
    hits,
  };
}

function step(r: ExecResult, durationMs: number, ok: boolean): StepRecord {
  return {
    name: 'tamper-scan',
    ok,
    status: r.timedOut || r.outputExceeded ? 'timeout' : ok ? 'ok' : 'failed',
    durationMs,
    exitCode: r.exitCode,
  };
}

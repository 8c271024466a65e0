import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Task } from '../../tasks/loader.js';
import type { ExecResult } from '../exec.js';
import type { TamperHit } from '../tamper.js';
import type { StepRecord } from '../types.js';
import type { Workspace } from '../workspace.js';
import { execSandboxed, type ToolchainContext } from '../toolchains/types.js';
import { rustScanHits, type CompiledTarget } from './rust-rules.js';

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
        [
          `--emit=mir=${out('mir')},dep-info=${out('d')}`,
          '-Copt-level=0',
          // Unoptimised MIR: a branch on a compile-time constant (which could differ between this
          // compile and the real build, e.g. through option_env!) keeps both arms and their calls.
          '-Zmir-opt-level=0',
          '-Ztrim-diagnostic-paths=no',
          '-Zmir-include-spans=yes',
        ],
      );
      durationMs += mir.durationMs;
      if (mir.exitCode !== 0 || mir.timedOut || mir.outputExceeded)
        return { kind: 'compile-failed', step: step(mir, durationMs, false), build: mir };
      const hir = await run([], ['-Zunpretty=hir', '-o', out('hir')]);
      durationMs += hir.durationMs;
      if (hir.exitCode !== 0 || hir.timedOut || hir.outputExceeded)
        return { kind: 'compile-failed', step: step(hir, durationMs, false), build: hir };
      const printed = ['mir', 'hir', 'd'].map((ext) => readOr(out(ext), null));
      if (printed.some((p) => p === null))
        return {
          kind: 'unavailable',
          step: { ...step(hir, durationMs, false), status: 'unavailable' },
          why: `rustc printed no ${['MIR', 'HIR', 'dep-info'][printed.indexOf(null)]} for ${t.target} (toolchain too old for -Zunpretty=hir / -Zmir-include-spans?)`,
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
    rmSync(scanDir, { recursive: true, force: true, maxRetries: 3 });
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

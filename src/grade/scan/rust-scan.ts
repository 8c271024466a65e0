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
import { emptyExecResult, type ExecResult } from '../exec.js';
import type { TamperHit } from '../tamper.js';
import type { StepRecord } from '../types.js';
import type { Workspace } from '../workspace.js';
import { sandboxEnv } from '../sandbox-env.js';
import { execSandboxed, type ToolchainContext } from '../toolchains/types.js';
import { rustScanHits, type CompiledTarget } from './rust-rules.js';
import { MIR_FLAGS } from './rust-mir-wrapper.js';
import { expandCommand, expandEnv, PLAIN_RUST_HOST, seedRustInfo } from '../toolchains/rust-host.js';

const exec = promisify(execFile);

/** One resolution-based scan of a submission crate: what it broke, or why it could not be judged. */
export type RustScanResult =
  | { kind: 'compile-failed'; step: StepRecord; build: ExecResult }
  | { kind: 'unavailable'; step: StepRecord; why: string }
  /** `targets`: what was judged, when the MIR was (for the task's `rust-forbid` checks). */
  | { kind: 'scanned'; step: StepRecord; hits: TamperHit[]; targets?: CompiledTarget[] };

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

/** Where the build's wrapper (rust-mir-wrapper.ts) writes a target's MIR (`lib`, `bin:<name>`; cargo's crate names use `_`). */
function mirFile(mirDir: string, target: string): string {
  const file = target === 'lib' ? 'lib' : `bin-${target.slice('bin:'.length).replace(/-/g, '_')}`;
  return path.join(mirDir, `${file}.mir`);
}

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

/** The submission's sources as rustc expanded them, before anything is built with the hidden tests. */
export type RustSourcesResult =
  | { kind: 'compile-failed'; step: StepRecord; build: ExecResult }
  | { kind: 'unavailable'; step: StepRecord; why: string }
  | { kind: 'scanned'; step: StepRecord; hits: TamperHit[] }
  | { kind: 'expanded'; step: StepRecord; targets: Omit<CompiledTarget, 'mir'>[] };

/**
 * Expands the submission's library and binaries in the sandbox — offline, with the hidden sources
 * replaced by empty files — asking rustc for the HIR printout and dep-info (macro expansion and name
 * resolution only: no type checking, no code). Its dep-info is what keeps the real build, which sees the
 * hidden tests, from reading them: a read shows here first and the grading stops. Uses the stable
 * toolchain with RUSTC_BOOTSTRAP=1 for `-Zunpretty` (works on stable-only runners).
 */
export async function expandRustSources(
  ctx: ToolchainContext,
  procEnv: Record<string, string>,
): Promise<RustSourcesResult> {
  const { task, ws, env } = ctx;
  if (env.rustScanUnavailable)
    return {
      kind: 'unavailable',
      step: { name: 'tamper-scan', ok: false, status: 'unavailable', durationMs: 0, exitCode: null },
      why: env.rustScanUnavailable,
    };
  const scanDir = path.join(ws.root, 'rust-scan');
  mkdirSync(scanDir, { recursive: true });
  const host = env.rustHost ?? PLAIN_RUST_HOST;
  const scanTarget = path.join(scanDir, 'target');
  const scanEnv = { ...procEnv, ...expandEnv(host, scanTarget) };
  seedRustInfo(scanTarget, host.seeds.expand);
  const mounts = {
    writable: [ws.root],
    readable: [],
    readOnly: ws.protectedPaths,
    limitAddressSpace: true,
  };
  const hidden = hiddenSources(task);
  const deadline = Date.now() + task.timeouts.build * 1000;
  let durationMs = 0;
  const expanded: Omit<CompiledTarget, 'mir'>[] = [];
  maskHidden(ws, hidden);
  try {
    for (const [i, t] of submissionTargets(ctx).entries()) {
      const out = (ext: string) => path.join(scanDir, `${i}.${ext}`);
      const hir = await execSandboxed(env, expandCommand(host.cargo, t.args, out('hir'), out('d')), mounts, {
        cwd: ws.dir,
        env: scanEnv,
        timeoutMs: Math.max(1000, deadline - Date.now()),
      });
      durationMs += hir.durationMs;
      if (hir.exitCode !== 0 || hir.timedOut || hir.outputExceeded)
        return { kind: 'compile-failed', step: step(hir, durationMs, false), build: hir };
      const printed = ['hir', 'd'].map((ext) => readPrintout(out(ext)));
      if (printed.includes('too-large')) return tooLarge(t.target, step(hir, durationMs, false), hir);
      if (printed.some((p) => p === null))
        return {
          kind: 'unavailable',
          step: { ...step(hir, durationMs, false), status: 'unavailable' },
          why: `rustc printed no ${['HIR', 'dep-info'][printed.indexOf(null)]} for ${t.target}`,
        };
      expanded.push({ target: t.target, hir: printed[0]!, depInfo: printed[1]! });
    }
  } finally {
    restoreHidden(ws, task, hidden);
    try {
      rmSync(scanDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Left for the workspace's own removal.
    }
  }
  // Attributes, foreign code and compile-time reads are known now: nothing that broke those rules is
  // built with the hidden tests in place.
  const early = judged(
    ctx,
    expanded.map((t) => ({ ...t, mir: '' })),
    durationMs,
  );
  if (early.hits.length) return early;
  return { kind: 'expanded', step: early.step, targets: expanded };
}

/** The Rust tamper rules' verdict on what rustc printed, as the scan's step. */
function judged(
  ctx: ToolchainContext,
  compiled: CompiledTarget[],
  durationMs: number,
): Extract<RustScanResult, { kind: 'scanned' }> {
  const hits = rustScanHits(compiled, ctx.task.allow, ctx.ws.dir, hiddenSources(ctx.task));
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

/** The library and binaries of the crate as it stands in the workspace (starter files and the reply's). */
function submissionTargets(ctx: ToolchainContext): { target: string; args: string[] }[] {
  const files = new Set([...ctx.task.starter.keys(), ...ctx.modelFiles]);
  return crateTargets(files, readOr(path.join(ctx.ws.dir, 'Cargo.toml'), ''));
}

function tooLarge(target: string, s: StepRecord, r: ExecResult): RustScanResult & RustSourcesResult {
  return {
    kind: 'compile-failed',
    step: s,
    build: {
      ...r,
      stdout: '',
      stderr: `The compiled code of ${target} is too large to inspect (over ${MAX_PRINTOUT_BYTES / 1024 ** 2} MiB of MIR/HIR): generate less code.`,
    },
  };
}

/**
 * The tamper rules applied to the expanded sources and to the MIR the real build wrote for each target
 * (`mirDir`, see rust-mir-wrapper.ts): run after the build and before any of its code. `expandMs` is the
 * expansion's time, reported with the MIR reading as the scan's step.
 */
export function scanBuiltRust(
  ctx: ToolchainContext,
  expanded: Omit<CompiledTarget, 'mir'>[],
  mirDir: string,
  expandMs: number,
): RustScanResult {
  const started = performance.now();
  const compiled: CompiledTarget[] = [];
  const durationMs = () => expandMs + Math.round(performance.now() - started);
  for (const t of expanded) {
    const mir = readPrintout(mirFile(mirDir, t.target));
    const s: StepRecord = {
      name: 'tamper-scan',
      ok: false,
      status: 'failed',
      durationMs: durationMs(),
      exitCode: 0,
    };
    // The real build's own dep-info: what it read at compile time, hidden tests present (a cfg that only
    // the build's profile enables could read what the masked expansion did not).
    const depInfoPath = readOr(mirFile(mirDir, t.target).replace(/\.mir$/, '.dep-info-path'), null);
    const buildDepInfo = depInfoPath === null ? null : readPrintout(depInfoPath);
    if (mir === 'too-large' || buildDepInfo === 'too-large') return tooLarge(t.target, s, emptyExecResult());
    if (mir === null || buildDepInfo === null)
      return {
        kind: 'unavailable',
        step: { ...s, status: 'unavailable' },
        why: `rustc printed no ${mir === null ? 'MIR' : 'dep-info'} for ${t.target}`,
      };
    compiled.push({ ...t, mir, depInfo: `${t.depInfo}\n${buildDepInfo}` });
  }
  return { ...judged(ctx, compiled, durationMs()), targets: compiled };
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

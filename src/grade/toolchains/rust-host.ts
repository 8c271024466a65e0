import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sandboxEnv } from '../sandbox-env.js';
import type { Task } from '../../tasks/loader.js';
import { mirBuildEnv } from '../scan/rust-mir-wrapper.js';

const exec = promisify(execFile);

/**
 * How a run calls cargo, settled once in the Rust toolchain's prepare.
 *
 * - `cargo` and `RUSTC` are the toolchain's own binaries, not rustup's proxies: a proxy re-resolves the
 *   toolchain on every call (about 30 ms of CPU), and a grading makes 6–10 such calls.
 * - `seeds` are cargo's rustc-info cache (`.rustc_info.json`: `rustc -vV` and the target's cfg) as the
 *   harness's own crate left it, one per command shape. Every grading's target folder is new, so without
 *   one each cargo call asks rustc twice more (about 0.13 CPU-s). The seed comes from a crate of the
 *   harness's, never from a workspace where a submission compiled or ran. When it does not match (rustc
 *   changed since), cargo ignores it and asks rustc itself.
 */
export interface RustHost {
  cargo: string;
  /** For each cargo call of a grading (never for the nightly TSan build, which has its own rustc). */
  env: Record<string, string>;
  seeds: { expand?: string; build?: string };
}

/** The toolchain behind the proxies: `rustc --print sysroot`, asked from a folder with no `rust-toolchain` file. */
async function realBinaries(
  cwd: string,
  hostEnv: NodeJS.ProcessEnv,
): Promise<{ cargo: string; rustc: string } | null> {
  try {
    const { stdout } = await exec('rustc', ['--print', 'sysroot'], {
      cwd,
      env: sandboxEnv(cwd, {}, hostEnv),
      timeout: 60_000,
    });
    const bin = path.join(stdout.trim(), 'bin');
    const found = { cargo: path.join(bin, 'cargo'), rustc: path.join(bin, 'rustc') };
    return existsSync(found.cargo) && existsSync(found.rustc) ? found : null;
  } catch {
    return null;
  }
}

/** The cargo command that expands one target of the submission (scan/rust-scan.ts). */
export function expandCommand(
  cargo: string,
  targetArgs: string[],
  hirOut: string,
  depInfoOut: string,
): string[] {
  return [
    cargo,
    'rustc',
    '--offline',
    '--profile',
    'check',
    ...targetArgs,
    '--message-format=json',
    '--',
    '-Zunpretty=hir',
    '-o',
    hirOut,
    `--emit=dep-info=${depInfoOut}`,
  ];
}

/** The hidden integration-test targets: every top-level `hidden/tests/<name>.rs`. */
export function hiddenTestTargets(task: Pick<Task, 'hidden'>): string[] {
  return [...task.hidden.keys()]
    .map((rel) => /^tests\/([^/]+)\.rs$/.exec(rel)?.[1])
    .filter((n): n is string => Boolean(n))
    .sort();
}

/** The cargo command that builds the hidden test targets (and what they link) without running them. */
export function testBuildCommand(cargo: string, testTargets: string[]): string[] {
  return [
    cargo,
    'test',
    '--offline',
    '--no-run',
    ...testTargets.flatMap((t) => ['--test', t]),
    '--message-format=json',
  ];
}

/**
 * The cargo command that builds the submission's own targets only (its binaries, and its library if it
 * added one), for a task whose hidden tests are prebuilt (rust-prebuilt.ts).
 */
export function ownTargetsBuildCommand(cargo: string): string[] {
  return [cargo, 'build', '--offline', '--message-format=json'];
}

/**
 * The build's own variables on top of `cargoEnv`: this host's rustc, the MIR wrapper, and no debug info.
 * Nothing of a grading reads debug info (the scan reads MIR, which is the same without it; panics name
 * their file and line without it; backtraces are off), and leaving it out saves about 13% of the build's
 * CPU. The ThreadSanitizer build keeps its own settings: its reports need line tables.
 */
export function testBuildEnv(host: RustHost, wrapper: string, mirDir: string): Record<string, string> {
  return { ...host.env, ...mirBuildEnv(wrapper, mirDir), CARGO_PROFILE_DEV_DEBUG: '0' };
}

/** The environment every grading-time cargo call starts from (before the call's own variables). */
export function cargoEnv(
  scratch: string,
  targetDir: string,
  hostEnv: NodeJS.ProcessEnv,
): Record<string, string> {
  // Incremental state could only help a later compile of the same paths, which never comes (rust.ts).
  return sandboxEnv(scratch, { CARGO_TARGET_DIR: targetDir, CARGO_INCREMENTAL: '0' }, hostEnv);
}

/** Writes a seed into a new target folder before cargo's first call there. Never throws: a seed only saves time. */
export function seedRustInfo(targetDir: string, seed: string | undefined): void {
  if (seed === undefined) return;
  try {
    mkdirSync(targetDir, { recursive: true });
    writeFileSync(path.join(targetDir, '.rustc_info.json'), seed, { flag: 'wx' });
  } catch {
    // cargo asks rustc itself.
  }
}

/** The expansion's variables on top of `cargoEnv`: its own target folder, and `-Z` flags on stable. */
export function expandEnv(host: RustHost, scanTarget: string): Record<string, string> {
  return { ...host.env, RUSTC_BOOTSTRAP: '1', CARGO_TARGET_DIR: scanTarget };
}

/**
 * Runs both command shapes of a grading on a crate of the harness's own, outside any sandbox (nothing
 * of a submission is involved), and keeps the rustc-info each left. A shape that fails gets no seed.
 */
async function makeSeeds(
  dir: string,
  host: RustHost,
  hostEnv: NodeJS.ProcessEnv,
  mirWrapper: string | undefined,
): Promise<RustHost['seeds']> {
  const crate = path.join(dir, 'crate');
  const files: [string, string][] = [
    ['Cargo.toml', '[package]\nname = "aibench_seed"\nversion = "0.0.0"\nedition = "2021"\n'],
    ['src/lib.rs', 'pub fn one() -> i32 { 1 }\n'],
    ['tests/one.rs', '#[test]\nfn one() { assert_eq!(aibench_seed::one(), 1); }\n'],
  ];
  for (const [rel, text] of files) {
    mkdirSync(path.dirname(path.join(crate, rel)), { recursive: true });
    writeFileSync(path.join(crate, rel), text);
  }
  const run = async (target: string, argv: string[], env: Record<string, string>) => {
    try {
      await exec(argv[0]!, argv.slice(1), {
        cwd: crate,
        env: { ...cargoEnv(dir, target, hostEnv), ...env },
        timeout: 120_000,
      });
      return readFileSync(path.join(target, '.rustc_info.json'), 'utf8');
    } catch {
      return undefined;
    }
  };
  const scanTarget = path.join(dir, 'scan-target');
  const expand = await run(
    scanTarget,
    expandCommand(host.cargo, ['--lib'], path.join(dir, 'x.hir'), path.join(dir, 'x.d')),
    expandEnv(host, scanTarget),
  );
  if (!mirWrapper) return { expand };
  const mirDir = path.join(dir, 'mir');
  mkdirSync(mirDir);
  const buildTarget = path.join(dir, 'target');
  const build = await run(
    buildTarget,
    testBuildCommand(host.cargo, ['one']),
    testBuildEnv(host, mirWrapper, mirDir),
  );
  return { expand, build };
}

/** What a grading uses when its run prepared no host (cargo from PATH, no seeds). */
export const PLAIN_RUST_HOST: RustHost = { cargo: 'cargo', env: {}, seeds: {} };

/** Once per run: the real binaries (falling back to `cargo` on PATH) and the rustc-info seeds. */
export async function prepareRustHost(
  hostEnv: NodeJS.ProcessEnv,
  mirWrapper: string | undefined,
): Promise<RustHost> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aibench-rust-host-'));
  try {
    const real = await realBinaries(dir, hostEnv);
    const env: Record<string, string> = real ? { RUSTC: real.rustc } : {};
    const host: RustHost = { cargo: real?.cargo ?? 'cargo', env, seeds: {} };
    return { ...host, seeds: await makeSeeds(dir, host, hostEnv, mirWrapper) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { holdEntry, type CacheHold } from '../../cache/holds.js';

const exec = promisify(execFile);

/**
 * Fully-qualified paths, source spans, and unoptimised MIR (a branch on a compile-time constant keeps
 * both arms); no `#![feature]` at all, as on stable, although RUSTC_BOOTSTRAP lets these flags through.
 */
export const MIR_FLAGS = [
  '-Zmir-opt-level=0',
  '-Ztrim-diagnostic-paths=no',
  '-Zmir-include-spans=yes',
  '-Zallow-features=',
];

/**
 * The real build's RUSTC_WORKSPACE_WRAPPER. Every compile of a crate rooted under `src/` (the
 * submission's library and binaries; cargo passes a package's roots relative to it) also writes its MIR
 * to `$AIBENCH_MIR_DIR/lib.mir` or `bin-<crate name>.mir`, so the tamper scan reads the MIR of the very
 * code that runs instead of compiling it a second time. Everything else (the hidden tests) passes
 * through unchanged. A compiled program, not a shell script: a shell drops the environment variables
 * whose names are not identifiers, such as cargo's `CARGO_BIN_EXE_<bin-name>`.
 */
const WRAPPER_SOURCE = `use std::os::unix::process::CommandExt;
use std::process::Command;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let rustc = args.next().expect("cargo passes rustc as the first argument");
    let args: Vec<_> = args.collect();
    let text: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let after = |flag: &str| text.iter().position(|a| a == flag).and_then(|i| text.get(i + 1));
    let submission = text.iter().any(|a| a.starts_with("src/") && a.ends_with(".rs"));
    let mut cmd = Command::new(rustc);
    cmd.args(&args);
    if let (true, Some(dir)) = (submission, std::env::var_os("AIBENCH_MIR_DIR")) {
        let out = match (after("--crate-type").map(String::as_str), after("--crate-name")) {
            (Some("lib"), _) => "lib".to_string(),
            (kind, name) => format!("{}-{}", kind.unwrap_or("other"), name.map(String::as_str).unwrap_or("")),
        };
        // Where rustc writes this compile's own dep-info (cargo asks for it): told to the harness, which
        // checks what the real build read at compile time too. Unwritten, the scan fails closed.
        let extra = text
            .iter()
            .find_map(|a| a.strip_prefix("-Cextra-filename=").or_else(|| a.strip_prefix("extra-filename=")))
            .unwrap_or("");
        if let (Some(out_dir), Some(name)) = (after("--out-dir"), after("--crate-name")) {
            let dep_info = std::path::Path::new(out_dir).join(format!("{name}{extra}.d"));
            let _ = std::fs::write(
                std::path::Path::new(&dir).join(format!("{out}.dep-info-path")),
                dep_info.to_string_lossy().as_bytes(),
            );
        }
        let mir = std::path::Path::new(&dir).join(format!("{out}.mir"));
        cmd.arg(format!("--emit=mir={}", mir.display()));
        cmd.args([${MIR_FLAGS.map((f) => JSON.stringify(f)).join(', ')}]);
    }
    let err = cmd.exec();
    eprintln!("aibench rustc wrapper: cannot run rustc: {err}");
    std::process::exit(127);
}
`;

/** The cache folder of the wrapper built by one rustc (and this harness's wrapper source). */
export function mirWrapperDir(cacheDir: string, rustcVersion: string): string {
  const key = createHash('sha256').update(WRAPPER_SOURCE).update(rustcVersion).digest('hex').slice(0, 16);
  return path.join(cacheDir, 'rust-mir-wrapper', key);
}

/**
 * Builds the wrapper once per rustc into `dir` (the harness's own code, built outside the sandbox) and
 * returns the binary's path; a finished binary is reused by later runs.
 */
export function buildMirWrapper(dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  // Two Rust suites in one run prepare at the same time: they share one build.
  let built = building.get(dir);
  if (!built) {
    built = buildOnce(dir, env);
    building.set(dir, built);
    built.catch(() => building.delete(dir));
  }
  return built;
}

const building = new Map<string, Promise<string>>();

async function buildOnce(dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const bin = path.join(dir, 'aibench-rustc-mir');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  // Names of this build's own (other processes may build the same wrapper: the last rename wins, same bytes).
  const tmp = `${bin}.${process.pid}-${randomUUID()}`;
  const src = `${tmp}.rs`;
  try {
    writeFileSync(src, WRAPPER_SOURCE);
    await exec(
      'rustc',
      ['--edition=2021', '--crate-name=aibench_rustc_mir', '-Copt-level=1', '-o', tmp, src],
      { env, timeout: 120_000 },
    );
    renameSync(tmp, bin);
    return bin;
  } finally {
    rmSync(src, { force: true });
    rmSync(tmp, { force: true });
  }
}

/** The environment that makes a `cargo` build print the submission's MIR into `mirDir`. */
export function mirBuildEnv(wrapper: string, mirDir: string): Record<string, string> {
  return { RUSTC_WORKSPACE_WRAPPER: wrapper, RUSTC_BOOTSTRAP: '1', AIBENCH_MIR_DIR: mirDir };
}

/**
 * The wrapper for this host's rustc, built on first use and held in the cache for the run (no prune
 * removes it meanwhile). Throws when rustc cannot build it.
 */
export async function prepareMirWrapper(
  cacheDir: string,
  env: NodeJS.ProcessEnv,
  holds: CacheHold[],
): Promise<string> {
  const { stdout: version } = await exec('rustc', ['-vV'], { env, timeout: 60_000 });
  const dir = mirWrapperDir(cacheDir, version);
  holds.push(holdEntry(dir));
  return buildMirWrapper(dir, env);
}

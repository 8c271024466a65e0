import path from 'node:path';
import type { TamperHit } from '../tamper.js';
import { blankLiterals, depInfoEnv, depInfoFiles } from './rust-text.js';

/** Variables cargo sets for every compile of the package, the same in the scan and the real build. */
const CARGO_METADATA_ENV = /^CARGO_(?:PKG_\w+|CRATE_NAME|MANIFEST_DIR|MANIFEST_PATH|PRIMARY_PACKAGE)$/;

/**
 * The Rust tamper rules, judged on what rustc resolved rather than on how the source spells it:
 * - callee and type paths from the crate's MIR, printed fully qualified (`-Ztrim-diagnostic-paths=no`)
 *   after macro expansion and name resolution, so `use std::process as p`, glob imports, re-exports
 *   through a nested `mod` and `macro_rules!` that assemble the call all print `std::process::exit`;
 * - attributes, `extern` blocks and ABIs, inline assembly from the HIR printout (`-Zunpretty=hir`),
 *   after `cfg_attr` and macro expansion;
 * - every file the compilation read, from its dep-info (`include_*!`, `#[path]` whatever the spelling).
 * Literals and comments are blanked before any pattern runs: what a string or comment says never counts.
 *
 * Rule ids stay those the task allow-lists use (`tasks/rust/* /task.yml`).
 */
export interface RustRule {
  id: string;
  message: string;
  /** Matched against blanked MIR (resolved paths). */
  mir?: RegExp;
  /** Matched against blanked HIR (attributes, extern blocks, asm). */
  hir?: RegExp;
}

export const RUST_RULES: RustRule[] = [
  {
    id: 'process-exit',
    message: 'exits the process',
    mir: /\b(?:std::process::(?:exit|abort)|(?:std|core)::intrinsics::abort|std::process::ExitCode::exit_process)\b/,
  },
  {
    id: 'process-spawn',
    message: 'spawns processes',
    mir: /\b(?:std::process::(?:Command|Child|Stdio)|std::os::unix::process::\w+)\b/,
  },
  {
    id: 'env-access',
    message: 'reads or changes environment variables or the process context',
    // `args`/`args_os` are exempted for binary targets (a CLI reads its command line): see rustScanHits.
    mir: /\bstd::env::(?:var|var_os|vars|vars_os|set_var|remove_var|current_exe|current_dir|set_current_dir|home_dir|temp_dir|args|args_os|Args|ArgsOs|Vars|VarsOs)\b/,
  },
  {
    id: 'fs-access',
    message: 'uses the file system',
    mir: /\b(?:std::fs::\w+|std::os::unix::fs::\w+|std::path::Path::(?:exists|try_exists|metadata|symlink_metadata|canonicalize|read_link|read_dir|is_file|is_dir|is_symlink))\b/,
  },
  {
    id: 'network',
    message: 'uses the network',
    mir: /\b(?:std::net::(?:TcpStream|TcpListener|UdpSocket|ToSocketAddrs)|std::os::unix::net::\w+)\b/,
  },
  {
    id: 'raw-output',
    // print!/eprint! (std::io::_print/_eprint) are not raw: libtest captures them per test, threads
    // included, and shows them only under a failing test's own heading — they cannot forge results.
    message: 'writes to the raw output streams or file descriptors',
    mir: /\b(?:std::io::(?:stdout|stderr|Stdout|Stderr|StdoutLock|StderrLock)|std::os::(?:fd|unix::io)::(?:FromRawFd|OwnedFd|BorrowedFd|RawFd)|std::os::fd::FromRawFd)\b/,
  },
  {
    id: 'linker-tricks',
    message: 'uses linker attributes or foreign functions',
    mir: /\blibc::\w+/,
    hir: /#\[attr\s*=\s*(?:NoMangle|LinkSection|ExportName|Used|Link|LinkName|LinkOrdinal)\b|#!?\[\s*(?:unsafe\s*\(\s*)?(?:no_mangle|link_section|export_name|used|link|link_name)\b|\bextern\s*(?:""\s*)?(?:\{|fn\b)|\bextern\s+crate\s+(?!(?:std|core|alloc)\b)\w+/,
  },
  {
    id: 'inline-asm',
    message: 'uses inline assembly',
    mir: /\basm!/,
    hir: /\b(?:asm|global_asm|naked_asm)!/,
  },
  // Judged from dep-info, not from text: see rustScanHits.
  { id: 'compile-time-include', message: 'reads a file outside its own sources at compile time' },
];

/** Reading a file where the harness lays hidden tests is never allowed, whatever the task lifts. */
export const HIDDEN_READ_RULE = 'hidden-tests';
const HIDDEN_READ_MESSAGE = 'reads the hidden tests at compile time';

/** What one compiled target (the library or a binary) looked like to rustc. */
export interface CompiledTarget {
  /** `lib` or `bin:<name>`. */
  target: string;
  mir: string;
  hir: string;
  depInfo: string;
}

/** A target's MIR with literals and comments blanked, line for line. */
function blankedMir(t: CompiledTarget): string {
  // Allocation dumps end in an ASCII column (`│ text`): string bytes, never code.
  return blankLiterals(t.mir.replace(/│.*$/gm, ''));
}

/** rustc's `-Zmir-include-spans` comment closing a MIR line: `// scope 2 at src/lib.rs:11:15: 11:28`. */
const MIR_SPAN = /\/\/ [a-z ]*?scope \d+ at ([^\s:]+):(\d+):\d+(?:: \d+:\d+)?\s*$/;

function firstMatch(
  text: string,
  pattern: RegExp,
  raw: string,
  skip?: (m: string) => boolean,
): { line: number; excerpt: string; file: string | null; srcLine: number | null } | null {
  const rawLines = raw.split('\n');
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = pattern.exec(lines[i]!);
    if (!m || skip?.(m[0])) continue;
    const span = MIR_SPAN.exec(rawLines[i] ?? '');
    return {
      line: i + 1,
      excerpt: lines[i]!.trim().slice(0, 160),
      file: span?.[1] ?? null,
      srcLine: span ? Number(span[2]) : null,
    };
  }
  return null;
}

/**
 * Pure: the rules a compiled target breaks that the task does not allow (`*` allows every rule but
 * reading the hidden tests). `projectDir` is the folder rustc ran in; `hiddenRel` the paths, relative
 * to it, where the harness lays hidden files.
 */
export function rustScanHits(
  targets: CompiledTarget[],
  allow: string[],
  projectDir: string,
  hiddenRel: string[],
): TamperHit[] {
  const hits: TamperHit[] = [];
  const allowed = (id: string): boolean => allow.includes('*') || allow.includes(id);
  const src = path.join(projectDir, 'src') + path.sep;
  const hidden = new Set(hiddenRel.map((rel) => path.join(projectDir, rel)));
  for (const t of targets) {
    const isBin = t.target.startsWith('bin:');
    const mir = blankedMir(t);
    const hir = blankLiterals(t.hir);
    for (const rule of RUST_RULES) {
      if (allowed(rule.id)) continue;
      const skip =
        rule.id === 'env-access' && isBin
          ? (m: string) => /::(?:args|args_os|Args|ArgsOs)$/.test(m)
          : undefined;
      const inMir = rule.mir ? firstMatch(mir, rule.mir, t.mir, skip) : null;
      const inHir = !inMir && rule.hir ? firstMatch(hir, rule.hir, t.hir) : null;
      const found = inMir ?? inHir;
      if (!found) continue;
      hits.push({
        rule: rule.id,
        message: rule.message,
        file: found.file ?? `${t.target} (${inMir ? 'MIR' : 'expanded HIR'})`,
        line: found.srcLine ?? found.line,
        excerpt: found.excerpt,
      });
    }
    // Compile-time reads of the environment beyond cargo's package metadata: the scan's compile and the
    // real build run with different variables (RUSTC_BOOTSTRAP, target folders).
    const envRead = depInfoEnv(t.depInfo).find((v) => !CARGO_METADATA_ENV.test(v));
    if (envRead && !allowed('env-access') && !hits.some((h) => h.rule === 'env-access'))
      hits.push({
        rule: 'env-access',
        message: 'reads environment variables at compile time',
        file: t.target,
        line: 0,
        excerpt: `env!/option_env!("${envRead}")`,
      });
    const outside = depInfoFiles(t.depInfo)
      .map((f) => path.resolve(projectDir, f))
      .filter((abs) => !abs.startsWith(src));
    const readHidden = outside.find(
      (abs) => hidden.has(abs) || [...hidden].some((h) => abs.startsWith(h + path.sep)),
    );
    if (readHidden)
      hits.push({
        rule: HIDDEN_READ_RULE,
        message: HIDDEN_READ_MESSAGE,
        file: t.target,
        line: 0,
        excerpt: path.relative(projectDir, readHidden),
      });
    else if (outside.length && !allowed('compile-time-include'))
      hits.push({
        rule: 'compile-time-include',
        message: RUST_RULES.find((r) => r.id === 'compile-time-include')!.message,
        file: t.target,
        line: 0,
        excerpt: outside
          .map((abs) => path.relative(projectDir, abs))
          .join(', ')
          .slice(0, 160),
      });
  }
  // One hit per rule across targets is enough evidence.
  const seen = new Set<string>();
  return hits.filter((h) => !seen.has(h.rule) && seen.add(h.rule));
}

/**
 * Pure: the first use of an item a `rust-forbid` check names (or of anything under it), in the
 * blanked MIR of the submission's targets: where it is and the path rustc printed.
 */
export function forbiddenRustPath(
  targets: CompiledTarget[],
  paths: string[],
): { file: string; line: number; path: string } | null {
  // The schema allows only letters, digits, `_` and `::` in a path: nothing to escape.
  const pattern = new RegExp(`\\b(?:${paths.join('|')})\\b(?:::\\w+)*`);
  type Found = { file: string; line: number; path: string };
  let spanless: Found | null = null;
  for (const t of targets) {
    const raw = t.mir.split('\n');
    const lines = blankedMir(t).split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = pattern.exec(lines[i]!);
      if (!m) continue;
      // Item headers (`static X: T = {`, `fn f(…)`) carry no span: a body line that does wins.
      const span = MIR_SPAN.exec(raw[i] ?? '');
      if (span) return { file: span[1]!, line: Number(span[2]), path: m[0] };
      spanless ??= { file: `${t.target} (MIR)`, line: i + 1, path: m[0] };
    }
  }
  return spanless;
}

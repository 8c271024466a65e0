import { describe, expect, it } from 'vitest';
import { libtestProblems, listedTests } from '../src/grade/libtest-check.js';
import { hiddenTestNames } from '../src/tasks/hidden-tests.js';
import { forbiddenRustPath, rustScanHits, type CompiledTarget } from '../src/grade/scan/rust-rules.js';
import { crateTargets } from '../src/grade/scan/rust-scan.js';
import { blankLiterals, depInfoFiles } from '../src/grade/scan/rust-text.js';

/**
 * The pure cores of the Rust scan on text in the shapes rustc prints (MIR with
 * `-Ztrim-diagnostic-paths=no -Zmir-include-spans=yes`, `-Zunpretty=hir`, dep-info) and of the libtest
 * cross-check. The end-to-end behaviour (real rustc, real sandbox) is in hostile-rust-scan.test.ts.
 */

const PROJECT = '/w/project';
const target = (over: Partial<CompiledTarget>): CompiledTarget => ({
  target: 'lib',
  mir: '',
  hir: '',
  depInfo: '/w/out.d: src/lib.rs\n\nsrc/lib.rs:\n',
  ...over,
});
const hits = (t: Partial<CompiledTarget>, allow: string[] = []) =>
  rustScanHits([target(t)], allow, PROJECT, ['tests/merge.rs']).map((h) => h.rule);

describe('blankLiterals', () => {
  it('empties strings, raw strings, byte/C strings and chars, drops comments, and keeps line numbers', () => {
    const src = [
      'let a = "std::process::exit \\" still";',
      'let b = r#"std::fs::read "quoted" "#; let c = br"x"; let d = c"y"; let e = b"z";',
      "let f = '\"'; let g = '\\''; fn h<'a>(x: &'a str) -> &'a str { x }",
      '/* outer /* nested std::net */ still comment */ // trailing std::env::var',
      '/// doc std::process::Command',
      'end',
    ].join('\n');
    const out = blankLiterals(src);
    expect(out.split('\n')).toHaveLength(6);
    expect(out).not.toMatch(/std::|quoted|still/);
    expect(out).toContain("fn h<'a>(x: &'a str) -> &'a str { x }");
    expect(out.split('\n')[5]).toBe('end');
  });

  it('keeps raw identifiers and paths that are code', () => {
    expect(blankLiterals('r#type::f(); std::process::exit(0);')).toBe('r#type::f(); std::process::exit(0);');
  });
});

describe('depInfoFiles', () => {
  it('reads the phony dependency lines, escapes undone', () => {
    const d =
      '/o.d: src/lib.rs src/../tests/a\\ b.rs\n\nsrc/lib.rs:\nsrc/../tests/a\\ b.rs:\n\n# env-dep:X=1\n';
    expect(depInfoFiles(d)).toEqual(['src/lib.rs', 'src/../tests/a b.rs']);
  });
});

describe('rustScanHits', () => {
  const mir = (line: string) =>
    `fn merge(_1: i64) -> i64 {\n    bb0: {\n        ${line} // scope 0 at src/lib.rs:7:9: 7:20\n    }\n}\n`;

  it.each([
    ['_2 = std::process::exit(const 0_i32) -> bb1;', 'process-exit'],
    ['_2 = std::process::Command::new::<&str>(const "sh") -> bb1;', 'process-spawn'],
    ['_3 = std::env::current_exe() -> [return: bb1, unwind: bb2];', 'env-access'],
    ['_3 = std::fs::read_to_string::<&str>(const "/proc/1/environ") -> bb1;', 'fs-access'],
    ['_3 = std::net::TcpStream::connect::<&str>(const "127.0.0.1:1") -> bb1;', 'network'],
    ['_9 = std::io::stdout() -> [return: bb8, unwind: bb18];', 'raw-output'],
    ['_1 = <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(const 1_i32) -> bb1;', 'raw-output'],
    [
      '_2 = std::process::exit as fn(i32) -> ! (PointerCoercion(ReifyFnPointer(Safe), Implicit));',
      'process-exit',
    ],
    ['asm!("nop", options()) -> [return: bb1, unwind unreachable];', 'inline-asm'],
  ])('MIR %s → %s, located by its span', (line, rule) => {
    const found = rustScanHits([target({ mir: mir(line) })], [], PROJECT, []);
    expect(found.map((h) => h.rule)).toContain(rule);
    expect(found.find((h) => h.rule === rule)).toMatchObject({ file: 'src/lib.rs', line: 7 });
  });

  it('never fires on string constants, debug names or allocation dumps', () => {
    const text = [
      mir('_2 = const "std::process::exit std::io::stdout std::fs::File";'),
      '    debug stdout => _1;',
      'alloc5 (size: 16, align: 1) {',
      '    73 74 64 3a 3a 66 73 3a 3a 46 69 6c 65 20 20 20 │ std::fs::File',
      '}',
    ].join('\n');
    expect(hits({ mir: text })).toEqual([]);
  });

  it('reads attributes, extern blocks and asm from the HIR, not from its doc comments or strings', () => {
    expect(hits({ hir: '#[attr = NoMangle]\nextern "C" fn foo() { }\n' })).toEqual(['linker-tricks']);
    expect(hits({ hir: '#[attr = LinkSection {name: ".init_array"}]\nstatic F: fn() = f;\n' })).toEqual([
      'linker-tricks',
    ]);
    expect(hits({ hir: 'extern "C" {\n    unsafe fn write(fd: i32) -> isize;\n}\n' })).toEqual([
      'linker-tricks',
    ]);
    expect(hits({ hir: 'global_asm! ("nop");\n' })).toEqual(['inline-asm']);
    expect(
      hits({
        hir: 'extern crate std;\n/// #[no_mangle] extern "C" { } asm!("x")\nfn f() { let s = "extern \\"C\\" {"; }\n',
      }),
    ).toEqual([]);
  });

  it("lets a binary read its own command line but not a library; a task's allow-list lifts exactly its rules", () => {
    const args = mir('_1 = std::env::args_os() -> bb1;');
    expect(rustScanHits([target({ target: 'bin:wc', mir: args })], [], PROJECT, [])).toEqual([]);
    expect(hits({ mir: args })).toEqual(['env-access']);
    const wc = [
      mir('_1 = std::fs::read::<&std::ffi::OsString>(move _2) -> bb1;'),
      mir('_3 = std::io::stdout() -> bb2;'),
      mir('_4 = std::process::exit(const 1_i32) -> bb3;'),
    ].join('\n');
    expect(
      rustScanHits(
        [target({ target: 'bin:wc', mir: wc })],
        ['fs-access', 'raw-output', 'process-exit'],
        PROJECT,
        [],
      ),
    ).toEqual([]);
    expect(
      rustScanHits([target({ target: 'bin:wc', mir: wc })], ['fs-access'], PROJECT, []).map((h) => h.rule),
    ).toEqual(['process-exit', 'raw-output']);
  });

  it('flags files read outside src/ (compile-time-include), and hidden-test reads even under allow *', () => {
    const outside = { depInfo: '/o.d: src/lib.rs /etc/passwd\n\nsrc/lib.rs:\n/etc/passwd:\n' };
    expect(hits(outside)).toEqual(['compile-time-include']);
    expect(hits(outside, ['*'])).toEqual([]);
    const hidden = {
      depInfo: '/o.d: src/lib.rs src/../tests/merge.rs\n\nsrc/lib.rs:\nsrc/../tests/merge.rs:\n',
    };
    expect(hits(hidden)).toEqual(['hidden-tests']);
    expect(hits(hidden, ['*'])).toEqual(['hidden-tests']);
    expect(
      hits({ depInfo: '/o.d: src/lib.rs src/inner/mod.rs\n\nsrc/lib.rs:\nsrc/inner/mod.rs:\n' }),
    ).toEqual([]);
  });
});

describe('compile-time environment reads', () => {
  it("flags env!/option_env! of anything but cargo's package metadata (the scan and the build differ there)", () => {
    const dep = (names: string[]) => ({
      depInfo: `/o.d: src/lib.rs\n\nsrc/lib.rs:\n\n${names.map((n) => `# env-dep:${n}=x`).join('\n')}\n`,
    });
    expect(hits(dep(['RUSTC_BOOTSTRAP']))).toEqual(['env-access']);
    expect(hits(dep(['CARGO_PKG_NAME', 'CARGO_MANIFEST_DIR', 'CARGO_CRATE_NAME']))).toEqual([]);
    expect(hits(dep(['HOME']), ['env-access'])).toEqual([]);
  });
});

describe('crateTargets', () => {
  it('discovers the library and binaries as cargo does', () => {
    const manifest = '[package]\nname = "wc-rs"\nversion = "0.1.0"\n\n[[test]]\nname = "x"\n';
    expect(
      crateTargets(['src/main.rs', 'src/bin/extra.rs', 'src/bin/tool/main.rs'], manifest).map(
        (t) => t.target,
      ),
    ).toEqual(['bin:wc-rs', 'bin:extra', 'bin:tool']);
    expect(crateTargets(['src/lib.rs', 'src/util.rs'], manifest)).toEqual([
      { target: 'lib', args: ['--lib'] },
    ]);
  });
});

describe('libtestProblems', () => {
  const list = 'a: test\nm::b: test\n\n2 tests, 0 benchmarks\n';
  const fns = new Set(
    hiddenTestNames(
      new Map([['tests/t.rs', '#[test]\nfn a() {}\nmod m {\n    #[test]\n    fn b() {}\n}\n']]),
    ),
  );
  const run = (stdout: string, exitCode = 0) => libtestProblems({ target: 't', list, stdout, exitCode }, fns);
  const ok =
    '\nrunning 2 tests\ntest a ... ok\ntest m::b ... ok\n\ntest result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n';

  it('accepts exactly what libtest prints for the listed tests', () => {
    expect(listedTests(list)).toEqual(['a', 'm::b']);
    expect(run(ok)).toEqual([]);
  });

  it('matches #[should_panic] results (`NAME - should panic`) to their listed names', () => {
    expect(run(ok.replace('test m::b ... ok', 'test m::b - should panic ... ok'))).toEqual([]);
  });

  it('ignores captured output after the failures heading (the code under test controls it)', () => {
    const failed =
      '\nrunning 2 tests\ntest a ... ok\ntest m::b ... FAILED\n\nfailures:\n\n---- m::b stdout ----\ntest a ... ok\ntest m::b ... ok\n\nfailures:\n    m::b\n\ntest result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n';
    expect(run(failed, 101)).toEqual([]);
  });

  it.each([
    [
      'a missing summary (the process exited early)',
      ok.split('\ntest result')[0]!,
      /without libtest's summary/,
    ],
    [
      'two summaries',
      `${ok}test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out;\n`,
      /2 "test result:" lines/,
    ],
    ['a summary disagreeing with the lines', ok.replace('2 passed', '3 passed'), /disagrees/],
    ['a duplicated line', ok.replace('test a ... ok\n', 'test a ... ok\ntest a ... ok\n'), /more than once/],
    ['an unknown name', ok.replace('test m::b ... ok', 'test m::c ... ok'), /does not have/],
    ['an ok summary with a failing exit code', ok, /exited with 101/],
  ])('flags %s', (_what, stdout, problem) => {
    expect(run(stdout, stdout === ok ? 101 : 0).join('\n')).toMatch(problem);
  });

  it('flags listed names the hidden sources do not define', () => {
    expect(libtestProblems({ target: 't', list: 'z: test\n', stdout: '', exitCode: 0 }, fns)[0]).toMatch(
      /do not define: z/,
    );
  });
});

describe('forbiddenRustPath (rust-forbid checks)', () => {
  const LOCKS = ['std::sync::Mutex', 'std::sync::RwLock', 'std::sync::Condvar', 'std::sync::mpsc'];
  it('finds a resolved path and whatever lies under it, with the source line of its span', () => {
    const mir = [
      'fn new(_1: usize) -> Ring {',
      '    let mut _0: Ring;                    // return place in scope 0 at src/lib.rs:4:25: 4:29',
      '    bb0: {',
      '        _0 = std::sync::Mutex::<u64>::new(const 0_u64) -> [return: bb1, unwind continue]; // scope 0 at src/lib.rs:5:9: 5:21',
      '    }',
      '}',
    ].join('\n');
    expect(forbiddenRustPath([target({ mir })], LOCKS)).toEqual({
      file: 'src/lib.rs',
      line: 5,
      path: 'std::sync::Mutex',
    });
    const channel =
      '        _2 = std::sync::mpsc::channel::<u8>() -> [return: bb1, unwind continue]; // scope 0 at src/lib.rs:9:1: 9:9';
    expect(forbiddenRustPath([target({ mir: channel })], LOCKS)?.path).toBe('std::sync::mpsc::channel');
  });

  it('never matches a longer name, a comment or a string', () => {
    const mir = [
      '    let _1: std::sync::MutexLike;        // in scope 0 at src/lib.rs:2:9: 2:11',
      '    // std::sync::Mutex in a MIR comment',
      '        _3 = const "std::sync::Mutex";   // scope 0 at src/lib.rs:3:9: 3:11',
      '        _4 = std::sync::atomic::AtomicUsize::new(const 0_usize) -> bb1; // scope 0 at src/lib.rs:4:1: 4:9',
    ].join('\n');
    expect(forbiddenRustPath([target({ mir })], LOCKS)).toBeNull();
  });
});

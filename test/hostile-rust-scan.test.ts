import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradeEnv } from '../src/grade/toolchains/types.js';
import type { GradeResult } from '../src/grade/types.js';
import {
  createHost,
  grader,
  hostileTask,
  prepareFor,
  RUST_REFERENCE,
  type Grader,
  type HostileHost,
} from './support/hostile.js';

/**
 * The resolution-based Rust tamper scan (src/grade/scan/): red-team findings kept as regressions.
 * Each forgery, leak and linker trick ends in a failure with the rule rustc's own output showed; honest
 * code whose comments and strings merely mention such things passes. Grading runs the real pipeline.
 */

const scanned = hostileTask('hostile-rust/L1-clamp-scanned');
const open = hostileTask('hostile-rust/L1-clamp');
const NAMES = ['inside_range_is_unchanged', 'outside_range_is_limited', 'bounds_in_either_order'];
const HIDDEN = scanned.hidden.get('tests/clamp.rs')!;
let host: HostileHost;
let env: GradeEnv;
let grade: Grader;

beforeAll(async () => {
  host = createHost();
  env = await prepareFor(host, [scanned, open]);
  grade = grader(env, host, 31);
});
afterAll(() => host?.cleanup());

const rules = (r: GradeResult): string[] => r.suspect.map((s) => s.split(':')[0]!);
/** No line of the hidden test source reaches the model's feedback. */
function leaksNothing(r: GradeResult): void {
  const feedback = r.feedback ?? '';
  for (const line of HIDDEN.split('\n').map((l) => l.trim()))
    if (line.length >= 12) expect(feedback).not.toContain(line);
}

/**
 * Finding 1's forgery: the first call re-runs its own test binary with `--list`, prints one
 * `test NAME ... ok` line per listed test past libtest's capture, then exits 0 — returning a wrong value.
 * `prelude` names the capabilities; `body` uses them through whatever aliases the prelude set up.
 */
const forgery = (prelude: string, body: string) => `${prelude}
pub fn clamp(_value: i64, _a: i64, _b: i64) -> i64 {
${body}
    0
}
`;

const SPELLINGS: [string, string][] = [
  [
    'glob imports',
    forgery(
      'use std::process::*;\nuse std::io::*;\nuse std::env::*;',
      `    let exe = current_exe().unwrap();
    let listed = Command::new(exe).arg("--list").output().unwrap();
    let text = String::from_utf8_lossy(&listed.stdout).to_string();
    let mut o = stdout();
    for l in text.lines() { if let Some(n) = l.strip_suffix(": test") { let _ = writeln!(o, "test {} ... ok", n); } }
    let _ = o.flush();
    exit(0);`,
    ),
  ],
  [
    '`use … as` aliases',
    forgery(
      'use std::process as p;\nuse std::process::{Command as Cmd};\nuse std::env as e;\nuse std::io::{stdout as out, Write};',
      `    let listed = Cmd::new(e::current_exe().unwrap()).arg("--list").output().unwrap();
    let mut o = out();
    for l in String::from_utf8_lossy(&listed.stdout).lines() { if let Some(n) = l.strip_suffix(": test") { let _ = writeln!(o, "test {} ... ok", n); } }
    p::exit(0);`,
    ),
  ],
  [
    'a nested mod re-export',
    forgery(
      'mod out { pub use std::io::*; }\nmod sys { pub use std::process::*; pub use std::env::current_exe as me; }',
      `    use out::Write;
    let listed = sys::Command::new(sys::me().unwrap()).arg("--list").output().unwrap();
    let mut h = out::stdout();
    for l in String::from_utf8_lossy(&listed.stdout).lines() { if let Some(n) = l.strip_suffix(": test") { let _ = writeln!(h, "test {} ... ok", n); } }
    sys::exit(0);`,
    ),
  ],
  [
    'macro_rules! that build the calls',
    forgery(
      `macro_rules! via { ($root:ident :: $m:ident :: $f:ident ( $($a:expr),* )) => { $root::$m::$f($($a),*) } }
macro_rules! run { ($e:expr) => { std::process::Command::new($e).arg("--list").output().unwrap() } }
macro_rules! leave { () => { via!(std::process::exit(0)) } }`,
      `    use std::io::Write;
    let listed = run!(via!(std::env::current_exe()).unwrap());
    let mut h = via!(std::io::stdout());
    for l in String::from_utf8_lossy(&listed.stdout).lines() { if let Some(n) = l.strip_suffix(": test") { let _ = writeln!(h, "test {} ... ok", n); } }
    leave!();`,
    ),
  ],
];

describe('finding 1: forged libtest results through aliases the regex scan missed', () => {
  for (const [spelling, source] of SPELLINGS) {
    it(`${spelling}: refused by the resolution-based scan (check), every capability named`, async () => {
      const r = await grade(scanned, source);
      expect(r.outcome).toBe('check');
      // Judged on the MIR the build printed, before any of the built code ran.
      expect(r.steps.map((s) => s.name)).toEqual(['build', 'tamper-scan']);
      expect(rules(r)).toEqual(
        expect.arrayContaining(['process-exit', 'process-spawn', 'env-access', 'raw-output']),
      );
      expect(r.feedback).toContain('exits the process');
    });
  }

  it('the same forgery, scan off (allow *), still fails: no libtest summary line for the run', async () => {
    const r = await grade(open, SPELLINGS[0]![1]);
    expect(r.outcome).toBe('test');
    expect(r.feedback).toContain('summary line');
  });
});

describe('the MIR judged is the MIR of the build that runs', () => {
  it('a compile-time read of the environment (to behave differently under the scan) is refused before the build', async () => {
    const r = await grade(
      scanned,
      `const IN_SCAN: bool = option_env!("RUSTC_BOOTSTRAP").is_some();
pub fn clamp(v: i64, _a: i64, _b: i64) -> i64 {
    if !IN_SCAN { std::process::exit(0) }
    v
}
`,
    );
    expect(r.outcome).toBe('check');
    expect(rules(r)).toEqual(['env-access']);
    expect(r.steps.map((s) => s.name)).toEqual(['tamper-scan']);
  });

  it('an exit behind a constant that is always false is still seen (unoptimised MIR keeps both arms) and refused', async () => {
    const r = await grade(
      scanned,
      `const NEVER: bool = 1 + 1 == 3;
pub fn clamp(v: i64, a: i64, b: i64) -> i64 {
    if NEVER { std::process::exit(0) }
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    v.max(lo).min(hi)
}
`,
    );
    expect(r.outcome).toBe('check');
    expect(rules(r)).toEqual(['process-exit']);
  });

  it('nightly features stay off although the build runs with RUSTC_BOOTSTRAP: #![feature] fails the build, one clear error', async () => {
    const r = await grade(
      scanned,
      `#![feature(core_intrinsics)]
pub fn clamp(v: i64, a: i64, b: i64) -> i64 {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    v.max(lo).min(hi)
}
`,
    );
    expect(r.outcome).toBe('build');
    expect(r.feedback).toContain('the feature `core_intrinsics` is not in the list of allowed features');
  });
});

describe('finding 2: hidden test source through compile-time includes', () => {
  const leakers: [string, string][] = [
    [
      'include_str![…] in a panic message',
      'pub fn clamp(v: i64, _a: i64, _b: i64) -> i64 {\n    if v != 5 { panic!("{}", include_str!["../tests/clamp.rs"]); }\n    v\n}\n',
    ],
    [
      'include_str!{…} in a panic message',
      'const T: &str = include_str!{"../tests/clamp.rs"};\npub fn clamp(v: i64, _a: i64, _b: i64) -> i64 {\n    if v != 5 { panic!("{}", T); }\n    v\n}\n',
    ],
    [
      '#[path] module pointing at the hidden test',
      '#[path = "../tests/clamp.rs"]\n#[allow(unused)]\nmod leaked;\npub fn clamp(v: i64, _a: i64, _b: i64) -> i64 { v }\n',
    ],
  ];
  for (const [what, source] of leakers) {
    it(`${what}: fails as check (hidden-tests) before the build, and leaks nothing`, async () => {
      const r = await grade(scanned, source);
      expect(r.outcome).toBe('check');
      expect(rules(r)).toContain('hidden-tests');
      expect(r.steps.map((s) => s.name)).toEqual(['tamper-scan']);
      leaksNothing(r);
    });
  }

  it('scan lifted (allow *): the include still reads only an empty placeholder, and is refused', async () => {
    const r = await grade(open, leakers[0]![1]);
    expect(r.outcome).toBe('check');
    expect(rules(r)).toEqual(['hidden-tests']);
    leaksNothing(r);
  });

  it('scan lifted (allow *): reading the hidden test at run time finds an empty file — nothing to echo', async () => {
    const r = await grade(
      open,
      'pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 {\n    let t = std::fs::read_to_string("tests/clamp.rs").unwrap_or_default();\n    panic!("[{}]", t);\n}\n',
    );
    expect(r.outcome).toBe('test');
    expect(r.feedback).toContain('[]');
    leaksNothing(r);
  });

  it('a read only the build profile compiles (cfg(not(debug_assertions)) under a task test profile) is caught in the build’s own dep-info before any test runs', async () => {
    // The masked expansion uses the check profile (debug assertions on); this task's test profile turns
    // them off, so only the real build, hidden tests present, expands the include.
    const profiled = {
      ...scanned,
      hidden: new Map([
        ...scanned.hidden,
        ['Cargo.toml', `${scanned.starter.get('Cargo.toml')}\n[profile.test]\ndebug-assertions = false\n`],
      ]),
    };
    const r = await grade(
      profiled,
      `#[cfg(not(debug_assertions))]
const LEAK: &str = include_str!("../tests/clamp.rs");
#[cfg(debug_assertions)]
const LEAK: &str = "";
pub fn clamp(v: i64, a: i64, b: i64) -> i64 {
    if !LEAK.is_empty() { panic!("{}", LEAK) }
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    v.max(lo).min(hi)
}
`,
    );
    expect(r.outcome).toBe('check');
    expect(rules(r)).toEqual(['hidden-tests']);
    expect(r.steps.map((s) => s.name)).toEqual(['build', 'tamper-scan']);
    leaksNothing(r);
  });

  it('a compile-time assertion on the hidden text is refused before the build sees it', async () => {
    const r = await grade(
      scanned,
      'const _: () = assert!(include_str!("../tests/clamp.rs").len() > 10, "no hidden text here");\npub fn clamp(v: i64, _a: i64, _b: i64) -> i64 { v }\n',
    );
    expect(r.outcome).toBe('check');
    expect(rules(r)).toEqual(['hidden-tests']);
    expect(r.steps.map((s) => s.name)).toEqual(['tamper-scan']);
    leaksNothing(r);
  });
});

describe('linker tricks, foreign functions and inline assembly', () => {
  const cases: [string, string, string][] = [
    [
      'extern "C" write(2) to fd 1',
      'extern "C" { fn write(fd: i32, buf: *const u8, n: usize) -> isize; }\npub fn clamp(v: i64, _a: i64, _b: i64) -> i64 {\n    let s = b"test bounds_in_either_order ... ok\\n";\n    unsafe { write(1, s.as_ptr(), s.len()); }\n    v\n}\n',
      'linker-tricks',
    ],
    [
      '#[no_mangle] on an exported function',
      '#[no_mangle]\npub extern "C" fn main_hook() {}\npub fn clamp(v: i64, a: i64, b: i64) -> i64 { let (lo, hi) = if a <= b { (a, b) } else { (b, a) }; v.max(lo).min(hi) }\n',
      'linker-tricks',
    ],
    [
      '#[link_section = ".init_array"] spelled through cfg_attr',
      '#[cfg_attr(all(), used, link_section = ".init_array")]\nstatic INIT: extern "C" fn() = init;\nextern "C" fn init() {}\npub fn clamp(v: i64, a: i64, b: i64) -> i64 { let (lo, hi) = if a <= b { (a, b) } else { (b, a) }; v.max(lo).min(hi) }\n',
      'linker-tricks',
    ],
    [
      'inline assembly',
      'pub fn clamp(v: i64, a: i64, b: i64) -> i64 { unsafe { std::arch::asm!("nop"); } let (lo, hi) = if a <= b { (a, b) } else { (b, a) }; v.max(lo).min(hi) }\n',
      'inline-asm',
    ],
  ];
  for (const [what, source, rule] of cases) {
    it(`${what}: check (${rule})`, async () => {
      const r = await grade(scanned, source);
      expect(r.outcome).toBe('check');
      expect(rules(r)).toContain(rule);
    });
  }
});

describe('finding 4: comments and strings never trigger a rule', () => {
  it('a correct solution whose comments, doc comments and strings name every forbidden thing passes', async () => {
    const honest = `//! Clamp: process it in one pass, no early exit; never std::process::exit(0) or std::fs::read.
/// Doc: does not call std::env::var("HOME"), Command::new("sh") or io::stdout().
pub fn clamp(value: i64, a: i64, b: i64) -> i64 {
    /* #[no_mangle] extern "C" { fn write(); } asm!("nop") include_str!("../tests/clamp.rs") */
    let note = "std::process::exit std::io::stdout std::net::TcpStream #[link_section]";
    let raw = r#"std::env::current_exe() "quoted" test result: ok. 3 passed"#;
    let c = '"';
    let _ = (note, raw, c, b"std::fs::File", br"std::os::fd::FromRawFd");
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    value.max(lo).min(hi)
}
`;
    const r = await grade(scanned, honest);
    expect(r.suspect).toEqual([]);
    expect(r.outcome).toBe('pass');
  });

  it('print!/eprintln! (captured by libtest) are not raw output: the reference with prints passes', async () => {
    const r = await grade(
      scanned,
      RUST_REFERENCE.replace('{\n', '{\n    println!("clamping {value}");\n    eprintln!("debug");\n'),
    );
    expect(r.outcome).toBe('pass');
  });
});

describe("libtest's own accounting must agree (scan lifted, allow *)", () => {
  const printer = (
    lines: string,
    exit: boolean,
    solve = 'let _ = (value, a, b);\n    0',
  ) => `use std::io::Write;
pub fn clamp(value: i64, a: i64, b: i64) -> i64 {
    let mut o = std::io::stdout();
    let _ = o.write_all(${JSON.stringify(lines)}.as_bytes());
    let _ = o.flush();
    ${exit ? 'std::process::exit(0);' : ''}
    ${solve}
}
`;

  it('forged lines for the real names then exit(0): the missing summary line fails it', async () => {
    const r = await grade(open, printer(NAMES.map((n) => `test ${n} ... ok\n`).join(''), true));
    expect(r.outcome).toBe('test');
    expect(r.feedback).toContain('without libtest');
  });

  it('forged lines plus a forged summary beside the real run: two summaries, duplicates — fails', async () => {
    const r = await grade(
      open,
      printer(
        `${NAMES.map((n) => `test ${n} ... ok\n`).join('')}test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n`,
        false,
        RUST_REFERENCE.split('\n').slice(1, 3).join('\n'),
      ),
    );
    expect(r.outcome).toBe('test');
  });

  it('unknown test names and a summary that disagrees with them fail', async () => {
    const r = await grade(
      open,
      printer(
        'test forged_0 ... ok\ntest forged_1 ... ok\ntest forged_2 ... ok\ntest result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n',
        true,
      ),
    );
    expect(r.outcome).toBe('test');
    // Test threads race to print first: the forged names come out once (unknown to the binary) or
    // several times (duplicates); either way they never count as the binary's tests.
    expect(r.feedback).toMatch(/does not have|more than once/);
  });

  it('the reference passes with the cross-check on', async () => {
    const r = await grade(open, RUST_REFERENCE);
    expect(r.outcome).toBe('pass');
    expect(r.tests).toMatchObject({ expected: 3, passed: 3 });
  });
});

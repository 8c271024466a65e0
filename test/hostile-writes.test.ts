import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFiles } from '../src/prompt/format-files.js';
import { toolchainHomes } from '../src/grade/sandbox-env.js';
import type { GradeEnv } from '../src/grade/toolchains/types.js';
import {
  createHost,
  grader,
  hostileTask,
  NAMESPACES,
  prepareFor,
  rs,
  uniqueMarker,
  type Grader,
  type HostileHost,
} from './support/hostile.js';

/**
 * Hostile submissions, items 4–5: code that writes or deletes outside its workspace (home, /tmp, the
 * harness's package, a sibling workspace, the toolchains, the shared fixture install, the checkout,
 * the out dir), and code that changes the test setup — as reply files (the editable filter) and at
 * run time while the tests run (the sandbox binds hidden tests and protected config read-only).
 * Containment is checked on the host after grading: canaries intact, no file created.
 */

const rust = hostileTask('hostile-rust/L1-clamp');
const node = hostileTask('hostile-node/L1-greeting');
const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..');
let host: HostileHost;
let env: GradeEnv;
let grade: Grader;

beforeAll(async () => {
  host = createHost();
  env = await prepareFor(host, [rust, node]);
  grade = grader(env, host, 22);
});
afterAll(() => host?.cleanup());

interface Targets {
  /** label -> a file the submission tries to create (must not exist on the host afterwards). */
  writes: Record<string, string>;
  /** label -> a canary the submission tries to overwrite and delete (must be intact afterwards). */
  canaries: Record<string, string>;
  contents: Record<string, string>;
  cleanup(): void;
}

/** Canaries in every place a submission must not touch, and paths it must not be able to create. */
function plantTargets(extraWrites: Record<string, string> = {}): Targets {
  const m = uniqueMarker('write');
  const sibling = path.join(
    host.workRoot,
    `${rust.suite.name}-${rust.id}-sibling`,
    'project',
    'src',
    'lib.rs',
  );
  const canaries: Record<string, string> = {
    home: path.join(host.home, `${m}-canary`),
    tmp: path.join(os.tmpdir(), `${m}-canary`),
    package: path.join(PACKAGE_ROOT, `.${m}-canary`),
    sibling,
    checkout: path.join(host.checkout, '.git', 'config'),
    out: path.join(host.outDir, 'results.json'),
  };
  const writes: Record<string, string> = {
    home: path.join(host.home, m),
    realhome: path.join(os.homedir(), m),
    tmp: path.join(os.tmpdir(), m),
    package: path.join(PACKAGE_ROOT, `.${m}`),
    sibling: path.join(path.dirname(sibling), `${m}.rs`),
    cargo: path.join(toolchainHomes(process.env).cargoHome, 'bin', m),
    // The harness's cache (build folders of earlier versions lived here).
    cache: path.join(env.cacheDir, 'rust-target', 'mini-L1-clamp-0', m),
    out: path.join(host.outDir, m),
    ...extraWrites,
  };
  for (const [label, p] of Object.entries(canaries)) {
    mkdirSync(path.dirname(p), { recursive: true });
    if (!existsSync(p)) writeFileSync(p, `canary ${label}`);
  }
  return {
    writes,
    canaries,
    contents: Object.fromEntries(Object.entries(canaries).map(([k, p]) => [k, readFileSync(p, 'utf8')])),
    cleanup() {
      for (const p of [...Object.values(writes), canaries.home!, canaries.tmp!, canaries.package!])
        rmSync(p, { force: true });
    },
  };
}

function expectHostUntouched(t: Targets): void {
  for (const [label, p] of Object.entries(t.writes))
    expect(existsSync(p), `${label}: ${p} was created`).toBe(false);
  for (const [label, p] of Object.entries(t.canaries))
    expect(readFileSync(p, 'utf8'), `${label} canary ${p}`).toBe(t.contents[label]);
}

const pairs = (o: Record<string, string>): string =>
  Object.entries(o)
    .map(([k, p]) => `(${rs(k)}, ${rs(p)})`)
    .join(', ');

describe.runIf(NAMESPACES)('hostile: writes outside the workspace (item 4)', () => {
  it('Rust: creating, overwriting and deleting files in home, /tmp, the harness, a sibling workspace, CARGO_HOME, the checkout and the out dir changes nothing on the host', async () => {
    const t = plantTargets();
    try {
      const r = await grade(
        rust,
        `pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 {
    let mut r = String::from("WRITES");
    for (k, p) in [${pairs(t.writes)}] {
        let _ = std::fs::create_dir_all(std::path::Path::new(p).parent().unwrap());
        r += &format!(" w:{}={:?}", k, std::fs::write(p, b"pwned").map_err(|e| e.kind()));
    }
    for (k, p) in [${pairs(t.canaries)}] {
        let _ = std::fs::write(p, b"pwned");
        r += &format!(" d:{}={:?}", k, std::fs::remove_file(p).map_err(|e| e.kind()));
    }
    panic!("{}", r);
}
`,
      );
      expect(r.outcome).toBe('test');
      expect(r.feedback).toContain('WRITES w:home=');
      // The toolchains stay visible (cargo runs from them) but read-only.
      expect(r.feedback).toContain('w:cargo=Err(ReadOnlyFilesystem)');
      expectHostUntouched(t);
    } finally {
      t.cleanup();
    }
  });

  it('React: the same from a component under vitest, plus the shared fixture install (node_modules)', async () => {
    const t = plantTargets({
      fixture: path.join(env.fixtures.get(node.suite.name)!, uniqueMarker('fixture')),
    });
    try {
      const r = await grade(
        node,
        `// @ts-nocheck
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
const attempt = (f) => { try { f(); return 'Ok'; } catch (e) { return e.code; } };
let r = 'WRITES';
for (const [k, p] of Object.entries(${JSON.stringify(t.writes)})) {
  attempt(() => mkdirSync(dirname(p), { recursive: true }));
  r += ' w:' + k + '=' + attempt(() => writeFileSync(p, 'pwned'));
}
for (const [k, p] of Object.entries(${JSON.stringify(t.canaries)})) {
  attempt(() => writeFileSync(p, 'pwned'));
  r += ' d:' + k + '=' + attempt(() => rmSync(p));
}
export function Greeting({ name }: { name: string }): null {
  throw new Error(r + name);
}
`,
      );
      expect(r.outcome).toBe('test');
      expect(r.feedback).toContain('WRITES w:home=');
      expect(r.feedback).toContain('w:fixture=EROFS');
      expectHostUntouched(t);
    } finally {
      t.cleanup();
    }
  });
});

describe('hostile: changing the test setup through reply files (item 5)', () => {
  it('Rust: a reply that also rewrites the hidden test, Cargo.toml, adds build.rs and .cargo/config.toml has only src/lib.rs graded', async () => {
    const files = new Map([
      ['src/lib.rs', 'pub fn clamp(value: i64, a: i64, b: i64) -> i64 {\n    value.max(a).min(b)\n}\n'],
      [
        'tests/clamp.rs',
        '#[test]\nfn inside_range_is_unchanged() {}\n#[test]\nfn outside_range_is_limited() {}\n#[test]\nfn bounds_in_either_order() {}\n',
      ],
      ['Cargo.toml', '[package]\nname = "clamp"\nversion = "0.1.0"\nedition = "2021"\nbuild = "build.rs"\n'],
      ['build.rs', 'fn main() { println!("cargo:warning=pwned"); }\n'],
      ['.cargo/config.toml', '[build]\nrustflags = ["--cfg", "pwned"]\n'],
    ]);
    const r = await grade.reply(rust, `Here you go.\n\n${formatFiles(files)}\n`);
    expect(r.files).toEqual(['src/lib.rs']);
    expect(r.rejected.map((x) => x.path).sort()).toEqual([
      '.cargo/config.toml',
      'Cargo.toml',
      'build.rs',
      'tests/clamp.rs',
    ]);
    expect(r.outcome).toBe('test');
    expect(r.failingTests).toEqual(['bounds_in_either_order']);
  });

  it('React: a reply that also ships tests, a vitest config, a setup file and package.json has only the component graded', async () => {
    const files = new Map([
      [
        'src/Greeting.tsx',
        'export function Greeting({ name }: { name: string }) {\n  return <h1>Hello, {name}!</h1>;\n}\n',
      ],
      ['tests/Greeting.test.tsx', "test('greets', () => {});\ntest('stranger', () => {});\n"],
      ['vitest.config.ts', "export default { test: { include: ['nothing'], passWithNoTests: true } };\n"],
      ['vitest.setup.ts', 'globalThis.expect = () => new Proxy({}, { get: () => () => {} });\n'],
      ['vitest.config.mts', 'export default { test: { passWithNoTests: true } };\n'],
      ['package.json', '{ "scripts": { "test": "true" } }\n'],
      ['src/setupTests.ts', "import './x';\n"],
    ]);
    const r = await grade.reply(node, `Done.\n\n${formatFiles(files)}\n`);
    expect(r.files).toEqual(['src/Greeting.tsx']);
    expect(r.rejected).toHaveLength(6);
    expect(r.outcome).toBe('test');
    expect(r.tests).toMatchObject({ expected: 2, passed: 0, failed: 2 });
  });
});

describe.runIf(NAMESPACES)(
  'hostile: changing the test setup at run time, while the tests run (item 5)',
  () => {
    it('Rust: the running code cannot rewrite the hidden test or Cargo.toml, nor add a test target', async () => {
      const r = await grade(
        rust,
        `pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 {
    let mut r = String::from("REWRITE");
    for (k, p) in [("test", "tests/clamp.rs"), ("manifest", "Cargo.toml"), ("newtest", "tests/extra.rs")] {
        r += &format!(" {}={:?}", k, std::fs::write(p, b"// pwned").map_err(|e| e.kind()));
    }
    panic!("{}", r);
}
`,
      );
      expect(r.outcome).toBe('test');
      expect(r.feedback).toContain(
        'REWRITE test=Err(ReadOnlyFilesystem) manifest=Err(ReadOnlyFilesystem) newtest=Err(ReadOnlyFilesystem)',
      );
    });

    it('React: the running component cannot rewrite the hidden test, vitest config or setup, tsconfig, package.json or the fixture', async () => {
      const targets = {
        test: 'tests/Greeting.test.tsx',
        newtest: 'tests/extra.test.tsx',
        config: 'vitest.config.ts',
        setup: 'vitest.setup.ts',
        tsconfig: 'tsconfig.json',
        pkg: 'package.json',
        deps: 'node_modules/vitest/package.json',
      };
      const r = await grade(
        node,
        `// @ts-nocheck
import { writeFileSync } from 'node:fs';
let r = 'REWRITE';
for (const [k, p] of Object.entries(${JSON.stringify(targets)})) {
  try { writeFileSync(p, '// pwned'); r += ' ' + k + '=Ok'; } catch (e) { r += ' ' + k + '=' + e.code; }
}
export function Greeting({ name }: { name: string }): null {
  throw new Error(r + name);
}
`,
      );
      expect(r.outcome).toBe('test');
      expect(r.feedback).toContain(
        `REWRITE ${Object.keys(targets)
          .map((k) => `${k}=EROFS`)
          .join(' ')}`,
      );
    });
  },
);

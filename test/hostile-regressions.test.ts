import { describe, expect, it } from 'vitest';
import { gradeFiles } from '../src/grade/grade.js';
import { prepareGrading } from '../src/run/environment.js';
import { hostileTask, NAMESPACES } from './support/hostile.js';

/**
 * Attacks that once earned a wrong solution a PASS (found by the hostile-suite review), kept as
 * regression tests: each must now end in a failure of the submission, never a pass.
 */
const rustOpen = hostileTask('hostile-rust/L1-clamp');
const rustScanned = hostileTask('hostile-rust/L1-clamp-scanned');
const nodeOpen = hostileTask('hostile-node/L1-greeting');
const nodeScanned = hostileTask('hostile-node/L1-greeting-scanned');
const env = (await prepareGrading([rustOpen, rustScanned, nodeOpen, nodeScanned], process.env, () => {})).env;
const grade = (task: typeof rustOpen, file: string, content: string) =>
  gradeFiles(task, new Map([[file, content]]), { env, slot: 0, feedbackChars: 4000 });

const WRONG_CLAMP = 'pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 { 42 }\n';
const WRONG_GREETING = 'export function Greeting(_: { name: string }) { return <h1>Hi</h1>; }\n';

describe('hostile regressions', () => {
  it.runIf(NAMESPACES)(
    'a test binary cannot plant a forged binary and future timestamps in the build folder for the next grading',
    async () => {
      const poison = `
use std::os::unix::fs::PermissionsExt;
fn touch_all(dir: &std::path::Path) {
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(3_980_000_000);
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() { touch_all(&p); } else if let Ok(f) = std::fs::File::options().write(true).open(&p) { let _ = f.set_modified(when); }
        }
    }
}
pub fn clamp(value: i64, a: i64, b: i64) -> i64 {
    if let Ok(exe) = std::env::current_exe() {
        let script = "#!/bin/sh\\necho 'test inside_range_is_unchanged ... ok'\\necho 'test outside_range_is_limited ... ok'\\necho 'test bounds_in_either_order ... ok'\\n";
        let _ = std::fs::remove_file(&exe);
        let _ = std::fs::write(&exe, script);
        let _ = std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755));
        if let Some(target) = exe.ancestors().nth(3) { touch_all(target); }
    }
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    value.max(lo).min(hi)
}
`;
      // The poisoner's own logic is right: it passes, its writes to the read-only build folder failed.
      expect((await grade(rustOpen, 'src/lib.rs', poison)).outcome).toBe('pass');
      const next = await grade(rustOpen, 'src/lib.rs', WRONG_CLAMP);
      expect(next.outcome).toBe('test');
      expect(next.tests?.passed).toBe(0);
    },
  );

  it('forged per-test lines then exit(0), with aliased imports, are refused by the tamper scan', async () => {
    const forged = `
use std::io::{stdout as out, Write}; use std::process::{exit as quit};
pub fn clamp(_: i64, _: i64, _: i64) -> i64 {
    let mut o = out();
    for n in ["inside_range_is_unchanged", "outside_range_is_limited", "bounds_in_either_order"] { let _ = writeln!(o, "test {} ... {}", n, "ok"); }
    let _ = o.flush(); quit(0)
}
`;
    const r = await grade(rustScanned, 'src/lib.rs', forged);
    expect(r.outcome).toBe('check');
    expect(r.suspect.join('\n')).toMatch(/process-exit|raw-output|forged-results/);
  });

  const hijack = `
const proc: any = (globalThis as any)['proc' + 'ess'];
const s = new (proc.getBuiltinModule(['node', 'insp' + 'ector'].join(':')).Session)();
s.connectToMainThread();
s.post('Runtime.evaluate', { expression: \`(() => { const p = globalThis['proc' + 'ess']; const o = p.argv.find((x) => x.startsWith('--outputFile='));
  const ok = { status: 'passed' }; p.getBuiltinModule('f' + 's').writeFileSync(o.slice(13), JSON.stringify({ testResults: [{ status: 'passed', ['assertion' + 'Results']: [ok, ok] }] })); p['ex' + 'it'](0); })()\` }, () => {});
${WRONG_GREETING}`;

  it('an inspector hijack of vitest’s main thread is refused by the scan, and without the scan cannot reach the report', async () => {
    const scanned = await grade(nodeScanned, 'src/Greeting.tsx', hijack);
    expect(scanned.outcome).toBe('check');
    // Tests run in child processes (pool: forks): there is no main thread to connect to.
    const open = await grade(nodeOpen, 'src/Greeting.tsx', hijack);
    expect(open.steps.find((s) => s.name === 'typecheck')?.ok).toBe(true);
    expect(open.outcome).toBe('test');
  });

  it('replacing the global expect is refused by the scan, and without the scan the frozen global holds', async () => {
    const replace = `(globalThis as any).expect = () => new Proxy({}, { get: () => () => undefined });\n${WRONG_GREETING}`;
    expect((await grade(nodeScanned, 'src/Greeting.tsx', replace)).outcome).toBe('check');
    const computed = `const g: any = globalThis; g[['ex', 'pect'].join('')] = () => new Proxy({}, { get: () => () => undefined });\n${WRONG_GREETING}`;
    expect((await grade(nodeScanned, 'src/Greeting.tsx', computed)).outcome).toBe('check');
    const open = await grade(nodeOpen, 'src/Greeting.tsx', computed);
    expect(open.steps.find((s) => s.name === 'typecheck')?.ok).toBe(true);
    expect(open.outcome).toBe('test');
  });
});

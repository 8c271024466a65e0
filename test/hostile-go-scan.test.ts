import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeFiles } from '../src/grade/grade.js';
import { parseGoTestEvents } from '../src/grade/parse-gotest.js';
import { forbiddenGoType, goScanHits, parseGoScan } from '../src/grade/scan/go-rules.js';
import type { GradeEnv } from '../src/grade/toolchains/types.js';
import type { GradeResult } from '../src/grade/types.js';
import { builtinTasksRoot, loadTasks } from '../src/tasks/loader.js';
import { createHost, prepareFor, type HostileHost } from './support/hostile.js';

/**
 * The Go toolchain and its go/types tamper scan through the real pipeline (sandbox, go vet, the scanner,
 * test2json): forgeries spelled through aliases, dot imports and init functions end with the rule the
 * compiler's resolution showed; honest code whose comments and strings mention them passes.
 */

const task = loadTasks([builtinTasksRoot()]).find((t) => t.key === 'go/L1-free-slots')!;
const REFERENCE = task.reference.get('slots.go')!;
let host: HostileHost;
let env: GradeEnv;

beforeAll(async () => {
  host = createHost();
  env = await prepareFor(host, [task]);
}, 600_000);
afterAll(() => host?.cleanup());

const grade = (files: Record<string, string>): Promise<GradeResult> =>
  gradeFiles(task, new Map(Object.entries(files)), {
    env,
    slot: 41,
    feedbackChars: 4000,
    workRoot: host.workRoot,
  });
const rules = (r: GradeResult): string[] => r.suspect.map((s) => s.split(':')[0]!);
/** The reference with `extra` (imports first) in a second file of the package. */
const withFile = (extra: string) => ({ 'slots.go': REFERENCE, 'extra.go': `package calendar\n\n${extra}\n` });

describe('the Go tamper scan judges resolved names', { timeout: 300_000 }, () => {
  it('passes honest code whose comments and strings name forbidden things, and a flag.Flag read field by field', async () => {
    const r = await grade(
      withFile(
        'import "flag"\n\n// os.Exit(0), //go:linkname and import "unsafe" are only words here.\nvar note = "os.Exit(1) runtime.Goexit() //go:linkname x y"\n\n' +
          '// A flag handed over by a FlagSet is data: its fields are not the process-wide flags.\nfunc describe(f *flag.Flag) string { return f.Name + ": " + f.Usage }',
      ),
    );
    expect(r.outcome, r.feedback ?? '').toBe('pass');
    expect(r.tests).toMatchObject({ passed: 12, failed: 0, expected: 12 });
  });

  it('refuses exits, streams and flag tampering through aliases, dot imports and init', async () => {
    const r = await grade(
      withFile(`import (
	quit "os"
	. "fmt"
	f "flag"
	rt "runtime"
)

func init() { _ = f.Set("test.run", "^$") }

func forge() {
	Fprintln(quit.Stdout, "--- PASS: TestDoesNotModifyInput (0.00s)")
	rt.Goexit()
}`),
    );
    expect(r.outcome).toBe('check');
    expect(rules(r)).toEqual(expect.arrayContaining(['process-exit', 'raw-output', 'flag-tamper']));
    expect(r.feedback).toContain('extra.go');
  });

  it('refuses reading the hidden tests at compile time and linkname', async () => {
    const r = await grade(
      withFile(
        'import _ "embed"\nimport _ "unsafe"\n\n//go:embed slots_test.go\nvar src string\n\n//go:linkname now runtime.nanotime\nfunc now() int64 { return 0 }',
      ),
    );
    expect(['check', 'build']).toContain(r.outcome);
    if (r.outcome === 'check') expect(rules(r)).toContain('compile-time-include');
    expect(r.feedback ?? '').not.toContain('func TestDoesNotModifyInput');
  });

  it('feeds back failing test names and their messages, never the hidden source', async () => {
    const r = await grade({
      'slots.go': REFERENCE.replace('to.Sub(from) >= minLen', 'to.Sub(from) > minLen'),
    });
    expect(r.outcome).toBe('test');
    expect(r.failingTests).toEqual(['TestSlotExactlyMinLenIsKept']);
    expect(r.feedback).toContain('want [09:00-09:30 10:00-10:30 12:00-12:30]');
    expect(r.feedback).not.toContain('expectSlots(t, iv(9, 0, 12, 30)');
  });
});

describe('the scanner output and the test events', { timeout: 300_000 }, () => {
  it('sees a mutex through a type alias and an embedded field, and a channel through inference', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aibench-go-scan-'));
    try {
      writeFileSync(path.join(dir, 'go.mod'), 'module example.com/q\n\ngo 1.19\n');
      writeFileSync(
        path.join(dir, 'q.go'),
        'package q\n\nimport s "sync"\n\ntype L = s.RWMutex\n\ntype Q struct{ L }\n\nfunc mk() func() int { return func() int { c := make(chan int, 1); return cap(c) } }\n',
      );
      const stdout = execFileSync(env.go!.scanner, ['.'], {
        cwd: dir,
        encoding: 'utf8',
        // Built -trimpath, the scanner finds the std sources through GOROOT, as the toolchain sets it.
        env: { ...process.env, GOROOT: env.go!.goroot },
      });
      const out = parseGoScan(stdout)!;
      expect(out.Errors).toEqual([]);
      expect(forbiddenGoType(out, ['sync.RWMutex'])).toMatchObject({ File: 'q.go' });
      expect(forbiddenGoType(out, ['chan'])).toMatchObject({ File: 'q.go', Line: 9 });
      expect(forbiddenGoType(out, ['sync.Mutex'])).toBeNull();
      expect(goScanHits(out, [])).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a run whose events forge, repeat or miss a hidden test', () => {
    const ev = (o: object): string => JSON.stringify(o);
    const hidden = new Set(['TestA', 'TestB']);
    const honest = [
      ev({ Action: 'pass', Test: 'TestA' }),
      ev({ Action: 'output', Test: 'TestB', Output: '    x_test.go:9: got 1, want 2\n' }),
      ev({ Action: 'fail', Test: 'TestB' }),
      ev({ Action: 'fail' }),
    ].join('\n');
    const s = parseGoTestEvents(honest, hidden);
    expect(s).toMatchObject({ passed: 1, failed: 1, problems: [], packagePassed: false });
    expect(s.failures).toEqual([{ name: 'TestB', message: 'x_test.go:9: got 1, want 2' }]);
    const forged = [
      ev({ Action: 'pass', Test: 'TestB' }),
      ev({ Action: 'fail', Test: 'TestB' }),
      ev({ Action: 'pass', Test: 'TestExtra' }),
      ev({ Action: 'pass' }),
    ].join('\n');
    const f = parseGoTestEvents(forged, hidden);
    expect(f.problems.join('\n')).toMatch(/TestB" reported 2 results/);
    expect(f.problems.join('\n')).toMatch(/"TestExtra", which is not one of the hidden tests/);
    expect(f.problems.join('\n')).toMatch(/no result for 1 hidden test\(s\): TestA/);
  });
});

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeFiles } from '../src/grade/grade.js';
import type { Sandbox } from '../src/grade/sandbox.js';
import { formatFiles } from '../src/prompt/format-files.js';
import { readResults } from '../src/results/io.js';
import type { AttemptRecord } from '../src/results/schema.js';
import { builtinTasksRoot, loadTasks } from '../src/tasks/loader.js';
import { NAMESPACES, SANDBOX } from './support/hostile.js';
import { MockLlmServer, textOf, type RecordedRequest } from './support/mock-llm.js';
import { FIXTURE_TASKS, tempDir } from './support/run-helpers.js';

/**
 * Hostile I/O, end to end through the CLI (`src/cli.ts run` against the OpenAI-compatible mock): React
 * replies that, while their tests run, put a FIFO at vitest's report path (once a permanent hang of the
 * whole run), a symlink to /dev/zero there (once an out-of-memory), a tree 3,000 folders deep in the
 * scratch folder (once ENAMETOOLONG out of the workspace cleanup: exit 1, no report), and a multi-file
 * disk bomb; next to a normal Rust task. The run must finish within its step limits with its report,
 * every hostile attempt failing as the model's fault, the next attempt graded normally, and no
 * workspace left on disk. Run with namespaces (the report can no longer be replaced, the scratch folder
 * is a capped tmpfs) and, as a host without bubblewrap would, with process isolation only (the harness's
 * safe reader, robust delete and disk-use poll then do the work).
 */

const tasks = loadTasks([FIXTURE_TASKS]);
const node = tasks.find((t) => t.key === 'hostile-node/L1-greeting-io')!;
const rust = tasks.find((t) => t.key === 'mini/L1-clamp')!;
const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..');

/** vitest's report path, from the command line of the worker's parent (vitest's main process). */
const FIND_REPORT = `const report = (/--outputFile=([^\\0]+)/.exec(readFileSync('/proc/' + process.ppid + '/cmdline', 'utf8')) ?? [])[1];`;

const HOSTILE: Record<string, string> = {
  FIFO: `${FIND_REPORT}
const r = 'FIFO ' + (report ? 'found' : 'missing') + ' rm=' + attempt(() => unlinkSync(report)) + ' mkfifo=' + attempt(() => execFileSync('mkfifo', [report], { stdio: 'ignore' }));`,
  ZERO: `${FIND_REPORT}
const r = 'ZERO ' + (report ? 'found' : 'missing') + ' rm=' + attempt(() => unlinkSync(report)) + ' symlink=' + attempt(() => symlinkSync('/dev/zero', report));`,
  DEEP: `const here = process.cwd();
let depth = 0;
const made = attempt(() => {
  process.chdir(process.env.TMPDIR);
  for (; depth < 3000; depth++) { mkdirSync('d'); process.chdir('d'); }
  execFileSync('mkfifo', ['fifo'], { stdio: 'ignore' });
  symlinkSync('/', 'root-link');
});
process.chdir(here);
// Read-only at the top, so nothing below can be unlinked without restoring write permission.
chmodSync(process.env.TMPDIR + '/d', 0o500);
const r = 'DEEP depth=' + depth + ' ' + made;`,
  BOMB: `const dir = process.env.TMPDIR + '/bomb';
mkdirSync(dir, { recursive: true });
const chunk = Buffer.alloc(8 << 20, 120);
let written = 0;
const stop = attempt(() => {
  for (let i = 0; i < 384; i++) {
    writeFileSync(dir + '/f' + i, chunk);
    written += chunk.length;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
});
const r = 'BOMB wrote ' + (written >> 20) + ' MiB, stopped by ' + stop;`,
};

function hostileReply(kind: string): string {
  const source = `// @ts-nocheck
import { chmodSync, mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
const attempt = (f) => { try { f(); return 'Ok'; } catch (e) { return e.code ?? String(e.status); } };
${HOSTILE[kind]!}
export function Greeting({ name }: { name: string }): null {
  throw new Error(r + name);
}
`;
  return `Here is the component.\n\n${formatFiles(new Map([['src/Greeting.tsx', source]]))}\n`;
}

const referenceReply = (files: Map<string, string>): string => `Here it is.\n\n${formatFiles(files)}\n`;

/** The mock model: Rust gets the reference; React's first attempts the hostile replies, one each, then the reference. */
function answer(kinds: string[]): (req: RecordedRequest) => { text: string } {
  let next = 0;
  return (req) => {
    const user = textOf(req.body.messages.find((m) => m.role === 'user')?.content);
    if (!user.includes('Greeting')) return { text: referenceReply(rust.reference) };
    if (req.body.messages.some((m) => m.role === 'assistant'))
      return { text: referenceReply(node.reference) };
    return { text: hostileReply(kinds[next++ % kinds.length]!) };
  };
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `aibench run` from the sources, bounded: a hang fails the test instead of stalling it. */
function cli(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(PACKAGE_ROOT, 'src', 'cli.ts'), ...args],
      { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 32 << 20, cwd: PACKAGE_ROOT },
      (err, stdout, stderr) =>
        resolve({
          code: err ? ((err as { code?: number }).code ?? null) : 0,
          stdout,
          stderr,
          ms: Date.now() - started,
        }),
    );
  });
}

const KINDS = Object.keys(HOSTILE);
let server: MockLlmServer;
const dirs: string[] = [];
beforeAll(async () => {
  server = await new MockLlmServer('openai', answer(KINDS)).start();
});
afterAll(async () => {
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function runHostile(sandbox: 'namespaces' | 'process') {
  const tmp = tempDir('aibench-hostile-io-tmp-');
  const out = tempDir('aibench-hostile-io-out-');
  dirs.push(tmp, out);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // The run's temp folder, so its workspaces (TMPDIR/aibench-work) can be checked afterwards.
    TMPDIR: tmp,
    AIBENCH_CACHE: process.env.AIBENCH_CACHE ?? path.join(process.env.HOME!, '.cache', 'aibench'),
    OPENAI_API_KEY: 'sk-test-hostile-io',
    OPENAI_BASE_URL: server.baseURL,
    AIBENCH_RETRY_BASE_MS: '10',
    ...(sandbox === 'process' ? { AIBENCH_SANDBOX: 'process' } : {}),
  };
  const run = await cli(
    [
      'run',
      '--models',
      'openai/gpt-4.1-mini',
      '--tasks-path',
      FIXTURE_TASKS,
      '--tasks',
      `${node.key},${rust.key}`,
      '--trials',
      String(KINDS.length),
      '--attempts',
      '2',
      '--grade-concurrency',
      '2',
      '--out',
      out,
    ],
    env,
    // Every step is bounded (node: 60 s typecheck + 60 s tests; rust: 120 s + 60 s); far below this.
    12 * 60_000,
  );
  return { run, out, work: path.join(tmp, 'aibench-work') };
}

function hostileAttempts(attempts: AttemptRecord[]): Map<string, AttemptRecord> {
  return new Map(
    attempts
      .filter((a) => a.n === 1)
      .map((a) => [KINDS.find((k) => a.reply?.includes(`'${k} `))!, a] as const),
  );
}

function expectRunFinished(r: Awaited<ReturnType<typeof runHostile>>) {
  expect(r.run.code, r.run.stderr).toBe(0);
  const results = readResults(path.join(r.out, 'results.json'));
  expect(results.status).toBe('complete');
  expect(existsSync(path.join(r.out, 'report.md'))).toBe(true);
  // Every trial graded: Rust passes at once, each hostile React attempt fails and the next one passes.
  const rustTrials = results.trials.filter((t) => t.task === rust.key);
  expect(rustTrials.map((t) => t.passedAtAttempt)).toEqual(KINDS.map(() => 1));
  const nodeTrials = results.trials.filter((t) => t.task === node.key);
  expect(nodeTrials.map((t) => t.passedAtAttempt)).toEqual(KINDS.map(() => 2));
  const hostile = hostileAttempts(nodeTrials.flatMap((t) => t.attempts));
  expect([...hostile.keys()].sort()).toEqual([...KINDS].sort());
  for (const [kind, a] of hostile) {
    expect(['test', 'timeout'], kind).toContain(a.outcome);
    expect(a.feedback, kind).toBeTruthy();
    // Cleanup succeeded: no harness fault recorded with any attempt.
    expect(a.faults, kind).toEqual([]);
  }
  // No workspace left behind.
  expect(existsSync(r.work) ? readdirSync(r.work) : []).toEqual([]);
  return hostile;
}

describe('hostile I/O: a run with FIFO, /dev/zero, deep-tree and disk-bomb replies finishes with its report', () => {
  it.runIf(NAMESPACES)(
    'with namespaces: the report cannot be replaced and the scratch folder is a capped tmpfs',
    async () => {
      const r = await runHostile('namespaces');
      const hostile = expectRunFinished(r);
      const results = readResults(path.join(r.out, 'results.json'));
      expect(results.sandbox.features.join(' ')).toMatch(/workspace-quota \(fresh 512 MiB tmpfs per step/);
      // The report is a file bound alone into the sandbox: found, but neither removable nor replaceable.
      expect(hostile.get('FIFO')!.outcome).toBe('test');
      expect(hostile.get('FIFO')!.feedback).toContain('FIFO found rm=EBUSY mkfifo=');
      expect(hostile.get('ZERO')!.outcome).toBe('test');
      expect(hostile.get('ZERO')!.feedback).toContain('ZERO found rm=EBUSY symlink=EEXIST');
      expect(hostile.get('DEEP')!.outcome).toBe('test');
      expect(hostile.get('DEEP')!.feedback).toContain('DEEP depth=3000 Ok');
      // The scratch tmpfs is full at the quota: the bomb gets ENOSPC, the disk is untouched.
      expect(hostile.get('BOMB')!.outcome).toBe('test');
      expect(hostile.get('BOMB')!.feedback).toMatch(/BOMB wrote (50\d|51\d) MiB, stopped by ENOSPC/);
    },
    13 * 60_000,
  );

  it(
    'with process isolation only: the safe reader, the robust delete and the disk-use poll',
    async () => {
      const r = await runHostile('process');
      const hostile = expectRunFinished(r);
      const results = readResults(path.join(r.out, 'results.json'));
      expect(results.sandbox.missing.join(' ')).toContain('hard disk quota');
      // vitest blocks writing its report into the FIFO until the step's time limit; the harness does not.
      expect(hostile.get('FIFO')!.outcome).toBe('timeout');
      // vitest writes its report through the symlink into /dev/zero; the harness refuses to follow it.
      expect(hostile.get('ZERO')!.outcome).toBe('test');
      expect(hostile.get('ZERO')!.feedback).toContain(
        'The test report could not be read: it is a symbolic link',
      );
      // 3,000 folders deep, read-only at the top: removed all the same (checked above: no workspace left).
      expect(hostile.get('DEEP')!.outcome).toBe('test');
      expect(hostile.get('DEEP')!.feedback).toContain('DEEP depth=3000 Ok');
      expect(hostile.get('BOMB')!.outcome).toBe('test');
      expect(hostile.get('BOMB')!.feedback).toContain('stopped for writing more than 512 MiB to disk');
    },
    13 * 60_000,
  );
});

describe('hostile I/O: no exception out of a grading', () => {
  it('a harness error during the toolchain step makes the attempt infra, with the error recorded, and removes the workspace', async () => {
    const work = tempDir('aibench-hostile-io-work-');
    dirs.push(work);
    const broken: Sandbox = {
      level: 'process',
      features: [],
      missing: [],
      wrap: () => {
        throw new Error('EMFILE: too many open files (simulated)');
      },
    };
    const fixtures = new Map([[node.suite.name, path.join(work, 'no-node-modules')]]);
    const r = await gradeFiles(node, node.reference, {
      env: { cacheDir: work, fixtures, holds: [], nightly: false, hostEnv: process.env, sandbox: broken },
      slot: 0,
      feedbackChars: 4000,
      workRoot: path.join(work, 'ws'),
    });
    expect(r.outcome).toBe('infra');
    expect(r.feedback).toBeNull();
    expect(r.harnessFaults).toEqual([
      {
        cause: 'harness',
        message: 'grading failed inside the harness: EMFILE: too many open files (simulated)',
      },
    ]);
    expect(readdirSync(path.join(work, 'ws'))).toEqual([]);
  });

  it('a reply whose files collide with the task’s (src/lib.rs/x.rs) has them rejected, not a crash of workspace creation', async () => {
    const work = tempDir('aibench-hostile-io-work-');
    dirs.push(work);
    const files = new Map([['src/lib.rs/x.rs', 'pub fn x() {}\n']]);
    // A task whose editable glob (src/**/*.rs) admits the path.
    const ring = loadTasks([builtinTasksRoot()]).find((t) => t.key === 'rust/L5-spsc-ring')!;
    const r = await gradeFiles(ring, files, {
      env: {
        cacheDir: work,
        fixtures: new Map(),
        holds: [],
        nightly: false,
        hostEnv: process.env,
        sandbox: SANDBOX,
      },
      slot: 0,
      feedbackChars: 4000,
      workRoot: path.join(work, 'ws'),
    });
    expect(r.outcome).toBe('malformed');
    expect(r.rejected).toEqual([{ path: 'src/lib.rs/x.rs', reason: 'src/lib.rs is a file, not a folder' }]);
    expect(r.feedback).toContain('src/lib.rs is a file, not a folder');
  });
});

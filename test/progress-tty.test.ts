/**
 * The live progress display as a person sees it: the bundled CLI runs inside tmux (a real pseudo-
 * terminal and terminal emulator) and the test reads the screen with capture-pane. The model is a local
 * OpenAI-compatible mock that answers slowly, so attempts are visibly in flight; the task is the tiny
 * mini/L1-clamp Rust task (first a wrong answer, then the reference). Piped, the same run prints plain
 * lines without a single escape code.
 */
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCurrentSource } from './support/bundle.js';
import { MockLlmServer } from './support/mock-llm.js';
import { FIXTURE_TASKS, miniTask, replyWith, tempDir } from './support/run-helpers.js';

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();

const execFileP = promisify(execFile);
const SOCKET = `aibench-test-${process.pid}`;
let CLI = '';
let cleanupBundle = (): void => {};
let llm: MockLlmServer;

beforeAll(async () => {
  if (!hasTmux) return;
  const bundle = await bundleCurrentSource('progress-tty');
  CLI = path.join(bundle.dir, 'cli.js');
  cleanupBundle = bundle.cleanup;
  llm = await new MockLlmServer('openai', (req) => {
    const body = req.body as { messages: { role: string }[] };
    const attempt = body.messages.filter((m) => m.role === 'user').length;
    return {
      text: replyWith(miniTask(), attempt === 1 ? 'no-swap' : 'reference'),
      usage: { input: 1000, output: 500 },
    };
  }).start();
  llm.delayMs = 2500;
}, 240_000);

afterAll(async () => {
  if (!hasTmux) return;
  try {
    execFileSync('tmux', ['-L', SOCKET, 'kill-server'], { stdio: 'ignore' });
  } catch {
    /* no server left */
  }
  await llm.stop();
  cleanupBundle();
});

function env(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    ...(process.env.AIBENCH_CACHE ? { AIBENCH_CACHE: process.env.AIBENCH_CACHE } : {}),
    DEEPSEEK_API_KEY: 'sk-test',
    DEEPSEEK_BASE_URL: llm.baseURL,
    TERM: 'xterm-256color',
  };
}

const ARGS = [
  'run',
  '--models',
  'deepseek/deepseek-chat',
  '--tasks-path',
  FIXTURE_TASKS,
  '--tasks',
  'mini/L1-clamp',
];

/** Starts the CLI in a fresh tmux window (120×30) and returns its target. */
function startInTmux(name: string, args: string[]): string {
  const script = path.join(tempDir('aibench-tty-'), 'run.sh');
  const exports = Object.entries(env())
    .map(([k, v]) => `export ${k}='${v}'`)
    .join('\n');
  const quoted = args.map((a) => `'${a}'`).join(' ');
  writeFileSync(
    script,
    `unset CI GITHUB_ACTIONS\n${exports}\n'${process.execPath}' '${CLI}' ${quoted}\necho "EXIT=$?"\nsleep 300\n`,
  );
  execFileSync('tmux', [
    '-L',
    SOCKET,
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    '120',
    '-y',
    '30',
    `bash ${script}`,
  ]);
  return name;
}

const screen = (t: string) =>
  execFileSync('tmux', ['-L', SOCKET, 'capture-pane', '-p', '-J', '-t', t], { encoding: 'utf8' });
const cursorVisible = (t: string) =>
  execFileSync('tmux', ['-L', SOCKET, 'display-message', '-p', '-t', t, '#{cursor_flag}'], {
    encoding: 'utf8',
  }).trim() === '1';

async function waitFor(t: string, re: RegExp, ms: number): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const s = screen(t);
    if (re.test(s)) return s;
    if (Date.now() > until) throw new Error(`timed out waiting for ${re} on screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const nonEmpty = (s: string) => s.split('\n').filter((l) => l.trim());

describe.skipIf(!hasTmux)('aibench run on a terminal (tmux)', () => {
  it('shows live counters and what is in flight, then ends with the final frame and the summary', async () => {
    const out = tempDir();
    const t = startInTmux('live', [...ARGS, '--trials', '2', '--out', out]);
    const live = await waitFor(t, /in flight: /, 120_000);
    console.log(`live screen:\n${live}`);
    expect(live).toMatch(/^aibench: 1 model × 1 task × 2 trials = 2 trials, up to 3 attempts each/m);
    expect(live).toMatch(
      /^aibench \[[█░]{24}\] 0\/2 trials · 0 passed · cost \$0\.00 · \d+s elapsed · ETA after the first trial$/m,
    );
    expect(live).toMatch(/^in flight: 2 waiting for model$/m);
    expect(live).toMatch(
      /^ {2}deepseek\/deepseek-chat {2}mini\/L1-clamp {5}attempt 1\/3 {2}waiting for model \d+s$/m,
    );
    expect(live).toMatch(
      /^ {2}deepseek\/deepseek-chat {2}mini\/L1-clamp #2 {2}attempt 1\/3 {2}waiting for model \d+s$/m,
    );
    expect(cursorVisible(t)).toBe(false);

    // A finished attempt stays above the block, which moves on: the second attempt is in flight.
    const later = await waitFor(t, /attempt 1: test/, 120_000);
    expect(later).toMatch(/^\[0\/2\] deepseek\/deepseek-chat mini\/L1-clamp( #2)? attempt 1: test/m);

    const end = await waitFor(t, /^EXIT=\d+/m, 180_000);
    console.log(`final screen:\n${end}`);
    const lines = nonEmpty(end);
    expect(lines.at(-1)).toBe('EXIT=0');
    expect(lines.slice(-5, -1)).toEqual([
      expect.stringMatching(
        /^aibench \[█{24}\] 2\/2 trials · 2 passed · cost \$[\d.]+ · \d+s elapsed · done$/,
      ),
      expect.stringMatching(/^2\/2 passed \(100%\), total cost \$[\d.]+$/),
      expect.stringMatching(/^results: .*results\.json$/),
      expect.stringMatching(/^report: {2}.*report\.md$/),
    ]);
    // Every attempt line once, none torn by a redraw; no in-flight line left behind.
    expect(lines.filter((l) => /^\[\d\/2\] deepseek\/deepseek-chat mini\/L1-clamp/.test(l))).toHaveLength(4);
    expect(end).not.toContain('waiting for model');
    expect(cursorVisible(t)).toBe(true);
  }, 300_000);

  it('Ctrl-C leaves the last frame, gives the cursor back and says how to resume', async () => {
    const out = tempDir();
    const t = startInTmux('interrupt', [...ARGS, '--out', out]);
    await waitFor(t, /waiting for model/, 120_000);
    execFileSync('tmux', ['-L', SOCKET, 'send-keys', '-t', t, 'C-c']);
    const end = await waitFor(t, /^EXIT=\d+/m, 60_000);
    const lines = nonEmpty(end);
    expect(lines.at(-1)).toBe('EXIT=130');
    // The terminal itself may echo ^C where the cursor was (below the last frame) before the line.
    expect(lines.at(-2)).toBe(
      `${lines.at(-2)!.startsWith('^C') ? '^C' : ''}aibench: interrupted by Ctrl-C; paid attempts are kept — continue with: aibench run --resume ${out}`,
    );
    expect(end).toMatch(/^aibench \[░{24}\] 0\/1 trials/m);
    expect(cursorVisible(t)).toBe(true);
  }, 200_000);

  it('piped (not a terminal): plain lines, no escape codes', async () => {
    const out = tempDir();
    const { stdout, stderr } = await execFileP(process.execPath, [CLI, ...ARGS, '--out', out], {
      env: env(),
      maxBuffer: 16 << 20,
    });
    expect(stderr + stdout).not.toContain('\x1b');
    expect(stderr).not.toContain('in flight');
    expect(stderr).toMatch(
      /^\[0\/1\] deepseek\/deepseek-chat mini\/L1-clamp attempt 1: test .*\n\[1\/1\] deepseek\/deepseek-chat mini\/L1-clamp attempt 2: pass /m,
    );
    expect(stdout).toMatch(/^1\/1 passed \(100%\)/m);
  }, 200_000);
});

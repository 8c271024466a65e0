import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCurrentSource } from './support/bundle.js';
import { FIXTURE_TASKS, tempDir } from './support/run-helpers.js';

const exec = promisify(execFile);
let CLI = '';
let cleanupBundle = (): void => {};
beforeAll(async () => {
  const bundle = await bundleCurrentSource('bad-input');
  CLI = path.join(bundle.dir, 'cli.js');
  cleanupBundle = bundle.cleanup;
});
afterAll(() => cleanupBundle());

async function aibench(args: string[], cwd = process.cwd()) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { cwd, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Each: exit 2, exactly one line on stderr that names what to change, and no output folder left behind. */
describe('bad input', () => {
  const mini = ['--tasks-path', FIXTURE_TASKS, '--tasks', 'mini/L1-clamp'];

  it.each([
    [
      'an unknown provider',
      ['--models', 'acme/coder-1'],
      /unknown provider "acme" in "acme\/coder-1" \(known: anthropic, openai, deepseek/,
    ],
    ['a model without provider', ['--models', 'gpt-5'], /--models: "gpt-5" is not provider\/model/],
    ['a missing key', ['--models', 'openai/gpt-5'], /missing API key: set OPENAI_API_KEY/],
    [
      'an unknown task id',
      ['--models', 'reference', '--tasks', 'rust/L7-nope'],
      /--tasks: "rust\/L7-nope" is not a known task/,
    ],
    ['an unknown suite', ['--models', 'reference', '--suites', 'cobol'], /--suites: unknown suite "cobol"/],
    ['negative trials', ['--models', 'reference', '--trials=-1'], /--trials: .*got -1/],
    ['a value that looks like a flag', ['--models', 'reference', '--trials', '-1'], /--trials: .*got -1/],
    ['absurd attempts', ['--models', 'reference', '--attempts', '1000'], /--attempts: .*got 1000/],
    ['zero concurrency', ['--models', 'reference', '--concurrency', '0'], /--concurrency: .*got 0/],
    ['a fractional attempt count', ['--models', 'reference', '--attempts', '2.5'], /--attempts: .*got 2.5/],
    [
      'an unknown flag',
      ['--models', 'reference', '--attemps', '2'],
      /unknown option '--attemps' \(did you mean --attempts\?\)/,
    ],
  ])('%s', async (_name, args, message) => {
    const out = path.join(tempDir(), 'out');
    const r = await aibench(['run', ...args, '--out', out]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('a malformed aibench.yml names the file and the zod path', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'aibench.yml'),
      'providers:\n  acme:\n    baseUrl: not-a-url\n    apiKeyEnv: ACME_API_KEY\n',
    );
    const r = await aibench([
      'run',
      '--models',
      'reference',
      ...mini,
      '--config',
      path.join(dir, 'aibench.yml'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/aibench\.yml: providers\.acme\.baseUrl: Invalid URL/);
  });

  it('an invalid task.yml names the file and the field', async () => {
    const root = tempDir();
    cpSync(path.join(FIXTURE_TASKS, 'mini'), path.join(root, 'mini'), { recursive: true });
    writeFileSync(
      path.join(root, 'mini', 'L1-clamp', 'task.yml'),
      'id: L1-clamp\nlevel: 1\ntitle: x\ncapability: y\neditable: [src/lib.rs]\ntests: -3\n',
    );
    const r = await aibench(['validate', '--tasks-path', root, '--tasks', 'mini/L1-clamp']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/mini\/L1-clamp\/task\.yml: tests: Too small/);
  });

  it('a replay file of another schema version is refused with what to do', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'old.json'), JSON.stringify({ schemaVersion: 0, trials: [] }));
    const r = await aibench([
      'run',
      '--models',
      `replay:${path.join(dir, 'old.json')}`,
      ...mini,
      '--out',
      path.join(dir, 'out'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /results schema version 0 is not supported \(this aibench reads version 1\)/,
    );
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('an output folder that cannot be written is named before anything runs', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a-file'), '');
    const r = await aibench([
      'run',
      '--models',
      'reference',
      ...mini,
      '--out',
      path.join(dir, 'a-file', 'out'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/--out: .*a-file\/out is not a writable folder; choose another --out/);
    mkdirSync(path.join(dir, 'empty'));
    expect(readdirSync(path.join(dir, 'empty'))).toEqual([]);
  });
});

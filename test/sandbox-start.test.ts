import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeFiles } from '../src/grade/grade.js';
import { execSandboxed, SandboxStartError, type GradeEnv } from '../src/grade/toolchains/types.js';
import { gradingEnvFor, miniTask } from './support/run-helpers.js';

/**
 * A sandbox that never reached the step's command is the host's fault (`infra`), told by a byte the
 * trusted launcher writes on a descriptor of its own just before it becomes the command — never by
 * output text, which code under test could print.
 */
const task = miniTask();
const prepared = gradingEnvFor([task], { beforeAll, afterAll });
const grade = (lib: string, over: Partial<GradeEnv> = {}) =>
  gradeFiles(task, new Map([['src/lib.rs', lib]]), {
    env: { ...prepared.get(), ...over },
    slot: 0,
    feedbackChars: 4000,
  });

describe('a sandbox that does not start is infra, never the submission’s failure', () => {
  it('a command that runs reports its own exit code, launched', async () => {
    const r = await execSandboxed(
      prepared.get(),
      ['sh', '-c', 'exit 3'],
      { writable: [], readable: [] },
      {
        cwd: '/',
        env: { PATH: '/usr/bin:/bin' },
        timeoutMs: 10_000,
      },
    );
    expect(r.exitCode).toBe(3);
    expect(r.launched).toBe(true);
  });

  it('a mount bubblewrap cannot make throws SandboxStartError with its own words', async (ctx) => {
    if (prepared.get().sandbox.level !== 'namespaces') ctx.skip();
    const attempt = execSandboxed(
      prepared.get(),
      ['true'],
      { writable: [], readable: ['/nonexistent-aibench-mount'] },
      {
        cwd: '/',
        env: { PATH: '/usr/bin:/bin' },
        timeoutMs: 10_000,
      },
    );
    await expect(attempt).rejects.toThrow(SandboxStartError);
    await expect(attempt).rejects.toThrow(
      /the sandbox did not start true \(exit 1\).*nonexistent-aibench-mount/,
    );
  });

  it('a grading whose build sandbox cannot start ends as infra, with no feedback blaming the code', async () => {
    const r = await grade(task.reference.get('src/lib.rs')!, {
      rustMirWrapper: '/nonexistent-aibench-wrapper/aibench-rustc-mir',
    });
    expect(r.outcome).toBe('infra');
    expect(r.feedback).toBeNull();
    expect(r.harnessFaults.map((f) => f.message).join('\n')).toMatch(
      /the sandbox did not start (?:\S+\/)?cargo /,
    );
  });

  it('code that prints what a failing sandbox would print still fails as its own test failure', async () => {
    const r = await grade(`pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 {
    panic!("bwrap: Can't find source path /x: No such file or directory");
}
`);
    expect(r.outcome).toBe('test');
  });
});

/**
 * The `sandbox` input's set-up (bubblewrap on GitHub-hosted runners, `required` refusing process-level
 * isolation) and the sticky comment's identity, with every host edge substituted.
 */
import { describe, expect, it } from 'vitest';
import { prepareSandbox, type SandboxHost } from '../src/action/sandbox-setup.js';
import { stickyCommentId } from '../src/action/sticky-comment.js';

interface FakeHost extends SandboxHost {
  commands: string[];
}

/** A runner: `works` says which commands succeed; installing bubblewrap (and lifting AppArmor's restriction, when set) makes the probe see namespaces. */
function host(opts: {
  env?: Record<string, string>;
  root?: boolean;
  bwrapInstalled?: boolean;
  restricted?: boolean;
  fail?: RegExp;
}): FakeHost {
  let installed = opts.bwrapInstalled ?? false;
  let restricted = opts.restricted ?? false;
  const commands: string[] = [];
  return {
    commands,
    env: { RUNNER_ENVIRONMENT: 'github-hosted', ...opts.env },
    platform: 'linux',
    root: opts.root ?? false,
    probe: async () => (installed && !restricted ? 'namespaces' : 'process'),
    run: async (argv) => {
      const line = argv.join(' ');
      commands.push(line);
      if (opts.fail?.test(line)) return `${argv[0]}: failed`;
      if (/apt-get install .*bubblewrap/.test(line)) installed = true;
      if (/sysctl -w kernel\.apparmor_restrict_unprivileged_userns=0/.test(line)) restricted = false;
      return null;
    },
    userNamespacesRestricted: () => restricted,
  };
}
const logger = () => {
  const lines: string[] = [];
  return {
    lines,
    info: (l: string) => lines.push(`info ${l}`),
    warning: (l: string) => lines.push(`warning ${l}`),
  };
};

describe('sandbox input', () => {
  it('auto on a GitHub-hosted Ubuntu 24.04 runner installs bubblewrap and lifts the AppArmor restriction', async () => {
    const h = host({ restricted: true });
    const r = await prepareSandbox('auto', h, logger());
    expect(r).toEqual({ level: 'namespaces', detail: 'bubblewrap set up on this runner' });
    expect(h.commands).toEqual([
      'sudo -n true',
      'sudo -n apt-get install -y --no-install-recommends bubblewrap',
      'sudo -n sysctl -w kernel.apparmor_restrict_unprivileged_userns=0',
    ]);
  });

  it('retries the install after apt-get update; as root without sudo', async () => {
    let first = true;
    const h = host({ root: true });
    const run = h.run;
    h.run = async (argv) => {
      if (first && argv.includes('install')) {
        first = false;
        h.commands.push(argv.join(' '));
        return 'E: Unable to locate package bubblewrap';
      }
      return run(argv);
    };
    expect((await prepareSandbox('auto', h, logger())).level).toBe('namespaces');
    expect(h.commands).toEqual([
      'apt-get install -y --no-install-recommends bubblewrap',
      'apt-get update -q',
      'apt-get install -y --no-install-recommends bubblewrap',
    ]);
  });

  it('a host that already has namespaces is left alone', async () => {
    const h = host({ bwrapInstalled: true });
    expect(await prepareSandbox('required', h, logger())).toEqual({ level: 'namespaces', detail: null });
    expect(h.commands).toEqual([]);
  });

  it('auto on a self-hosted runner touches nothing and goes on at process level with one warning', async () => {
    const h = host({ env: { RUNNER_ENVIRONMENT: 'self-hosted' } });
    const log = logger();
    const r = await prepareSandbox('auto', h, log);
    expect(r.level).toBe('process');
    expect(h.commands).toEqual([]);
    expect(log.lines.filter((l) => l.startsWith('warning'))).toEqual([
      expect.stringMatching(
        /^warning sandbox: model-written code runs with process-level isolation only \(not a GitHub-hosted runner/,
      ),
    ]);
  });

  it('required fails with one line when namespaces cannot be had (no passwordless sudo)', async () => {
    const h = host({ fail: /^sudo -n true$/ });
    await expect(prepareSandbox('required', h, logger())).rejects.toThrow(
      /^input "sandbox": required, but namespace isolation is not available: no passwordless sudo \(sudo: failed\)\. Set sandbox: auto to run at process level$/,
    );
  });

  it('required fails when bubblewrap installs but still cannot create namespaces', async () => {
    const h = host({ restricted: true, fail: /sysctl/ });
    await expect(prepareSandbox('required', h, logger())).rejects.toThrow(
      /sysctl kernel\.apparmor_restrict_unprivileged_userns=0 failed/,
    );
  });

  it('process skips namespaces for the whole run', async () => {
    const h = host({ bwrapInstalled: true });
    expect((await prepareSandbox('process', h, logger())).level).toBe('process');
    expect(h.env.AIBENCH_SANDBOX).toBe('process');
    expect(h.commands).toEqual([]);
  });
});

describe('sticky comment identity', () => {
  const ctx = { workflow: 'AIBench', job: 'bench', step: '__atomicolabs_aibench-action' };
  it('defaults to workflow/job, so existing comments stay found', () => {
    expect(stickyCommentId('', ctx)).toBe('AIBench/bench');
    expect(stickyCommentId('null', ctx)).toBe('AIBench/bench');
  });
  it('matrix legs and a second aibench step in one job get their own comment', () => {
    const legA = stickyCommentId('{\n  "model": "anthropic/claude-sonnet-4-6",\n  "suite": "react"\n}', ctx);
    const legB = stickyCommentId('{"model": "deepseek/deepseek-chat", "suite": "react"}', ctx);
    expect(legA).toBe('AIBench/bench (model=anthropic/claude-sonnet-4-6, suite=react)');
    expect(legA).not.toBe(legB);
    expect(stickyCommentId('', { ...ctx, step: '__atomicolabs_aibench-action_2' })).toBe(
      'AIBench/bench __atomicolabs_aibench-action_2',
    );
    expect(stickyCommentId('', { ...ctx, step: 'prompts' })).toBe('AIBench/bench prompts');
  });
  it('an explicit comment-id wins', () => {
    expect(stickyCommentId('nightly prompts', ctx)).toBe('nightly prompts');
  });
});

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { UsageError, oneLine } from '../errors.js';
import { detectSandbox } from '../grade/sandbox.js';
import type { Logger } from './cache.js';

const exec = promisify(execFile);

/** `sandbox` input: how hard the action tries to grade model-written code inside namespaces. */
export const SANDBOX_MODES = ['auto', 'required', 'process'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

/** Where Ubuntu 24.04 keeps AppArmor's switch for unprivileged user namespaces (bubblewrap needs them). */
export const APPARMOR_USERNS = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns';

/** The host as sandbox set-up sees it; tests substitute every edge. */
export interface SandboxHost {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Whether the user is root (no sudo needed). */
  root: boolean;
  /** The isolation level the grader would get now. */
  probe(): Promise<string>;
  /** Runs a command; resolves to an error line, or null on success. */
  run(argv: string[]): Promise<string | null>;
  /** Whether AppArmor restricts unprivileged user namespaces (Ubuntu 24.04's default). */
  userNamespacesRestricted(): boolean;
}

/** The real host: detectSandbox for the probe, child processes for the set-up commands. */
export const realHost: SandboxHost = {
  env: process.env,
  platform: process.platform,
  root: process.getuid?.() === 0,
  probe: async () => (await detectSandbox(process.env)).level,
  run: async ([cmd, ...args]) => {
    try {
      await exec(cmd!, args, {
        timeout: 300_000,
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      return null;
    } catch (err) {
      const e = err as { stderr?: string };
      return oneLine(e.stderr?.trim() ? e.stderr.trim().split('\n').at(-1) : err);
    }
  },
  userNamespacesRestricted: () => {
    try {
      return existsSync(APPARMOR_USERNS) && readFileSync(APPARMOR_USERNS, 'utf8').trim() === '1';
    } catch {
      return false;
    }
  },
};

export interface SandboxPreparation {
  /** The level the grader will get: `namespaces`, or `process`. */
  level: string;
  /** What was done or why namespaces are missing, for the log (null when nothing needed saying). */
  detail: string | null;
}

/**
 * Installs bubblewrap where the runner allows it: on a GitHub-hosted Linux runner (passwordless sudo,
 * a throwaway machine) `apt-get install bubblewrap` and, on Ubuntu 24.04, lifting AppArmor's
 * restriction on unprivileged user namespaces. Never touches a self-hosted runner's system.
 */
async function install(host: SandboxHost, log: Logger): Promise<string | null> {
  if (host.platform !== 'linux') return `not a Linux runner (${host.platform})`;
  if (host.env.RUNNER_ENVIRONMENT !== 'github-hosted')
    return 'not a GitHub-hosted runner: install bubblewrap on it yourself (sudo apt-get install -y bubblewrap)';
  const sudo = host.root ? [] : ['sudo', '-n'];
  if (!host.root) {
    const noSudo = await host.run(['sudo', '-n', 'true']);
    if (noSudo) return `no passwordless sudo (${noSudo})`;
  }
  log.info('sandbox: installing bubblewrap (apt-get install -y bubblewrap)');
  let failed = await host.run([...sudo, 'apt-get', 'install', '-y', '--no-install-recommends', 'bubblewrap']);
  if (failed) {
    // A fresh runner's package lists may be stale.
    await host.run([...sudo, 'apt-get', 'update', '-q']);
    failed = await host.run([...sudo, 'apt-get', 'install', '-y', '--no-install-recommends', 'bubblewrap']);
  }
  if (failed) return `apt-get install bubblewrap failed (${failed})`;
  if (host.userNamespacesRestricted()) {
    log.info(
      'sandbox: allowing unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=0)',
    );
    const refused = await host.run([
      ...sudo,
      'sysctl',
      '-w',
      'kernel.apparmor_restrict_unprivileged_userns=0',
    ]);
    if (refused) return `sysctl kernel.apparmor_restrict_unprivileged_userns=0 failed (${refused})`;
  }
  return null;
}

/**
 * Gets the isolation the `sandbox` input asks for, before anything is spent. `process` skips namespaces
 * (AIBENCH_SANDBOX=process for the run); `auto` sets bubblewrap up where it can and otherwise goes on at
 * process level with a warning; `required` fails with one line when namespaces cannot be obtained.
 */
export async function prepareSandbox(
  mode: SandboxMode,
  host: SandboxHost,
  log: Logger,
): Promise<SandboxPreparation> {
  if (mode === 'process') {
    host.env.AIBENCH_SANDBOX = 'process';
    return { level: 'process', detail: 'namespace isolation skipped (sandbox: process)' };
  }
  if ((await host.probe()) === 'namespaces') return { level: 'namespaces', detail: null };
  const why = await install(host, log);
  const level = why ? 'process' : await host.probe();
  if (level === 'namespaces') return { level, detail: 'bubblewrap set up on this runner' };
  const reason = why ?? 'bubblewrap is installed but cannot create namespaces on this runner';
  if (mode === 'required')
    throw new UsageError(
      `input "sandbox": required, but namespace isolation is not available: ${reason}. Set sandbox: auto to run at process level`,
    );
  log.warning(
    `sandbox: model-written code runs with process-level isolation only (${reason}); set sandbox: required to refuse that`,
  );
  return { level, detail: reason };
}

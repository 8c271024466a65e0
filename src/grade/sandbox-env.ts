import os from 'node:os';
import path from 'node:path';

export function toolchainHomes(env: NodeJS.ProcessEnv): { cargoHome: string; rustupHome: string } {
  const home = env.HOME ?? os.homedir();
  return {
    cargoHome: env.CARGO_HOME ?? path.join(home, '.cargo'),
    rustupHome: env.RUSTUP_HOME ?? path.join(home, '.rustup'),
  };
}

/**
 * The complete environment untrusted code runs with: an allowlist, never the harness's own env, so API
 * keys, GITHUB_TOKEN, INPUT_* and the like are simply absent. HOME and TMPDIR point into the workspace's
 * scratch folder; the toolchains are found through explicit PATH entries.
 */
export function sandboxEnv(
  scratch: string,
  extra: Record<string, string> = {},
  hostEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const { cargoHome, rustupHome } = toolchainHomes(hostEnv);
  const pathEntries = [
    path.dirname(process.execPath),
    path.join(cargoHome, 'bin'),
    '/usr/local/bin',
    '/usr/bin',
    '/bin',
  ];
  return {
    PATH: [...new Set(pathEntries)].join(':'),
    HOME: scratch,
    TMPDIR: scratch,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TZ: 'UTC',
    CI: 'true',
    TERM: 'dumb',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    CARGO_HOME: cargoHome,
    RUSTUP_HOME: rustupHome,
    CARGO_TERM_COLOR: 'never',
    CARGO_NET_OFFLINE: 'true',
    RUST_BACKTRACE: '0',
    ...extra,
  };
}

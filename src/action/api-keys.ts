import { UsageError } from '../errors.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses the `api-keys` input: one `NAME=value` a line (blank lines and `#` comments skipped), for
 * providers declared in aibench.yml whose key the workflow cannot name in advance (the reusable
 * workflow passes one `API_KEYS` secret). Errors name the line number, never the value.
 */
export function parseApiKeys(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    const value = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (!ENV_NAME.test(name) || !value)
      throw new UsageError(
        `input "api-keys": line ${i + 1} is not NAME=value (write one key a line, e.g. ACME_API_KEY=<key>)`,
      );
    keys.set(name, value);
  });
  return keys;
}

/** Masks every value in the log (`mask`, core.setSecret in the action) and puts the keys in the environment. */
export function applyApiKeys(
  keys: Map<string, string>,
  env: NodeJS.ProcessEnv,
  mask: (value: string) => void,
): string[] {
  for (const [name, value] of keys) {
    mask(value);
    env[name] = value;
  }
  return [...keys.keys()];
}

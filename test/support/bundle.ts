import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/**
 * Bundles the current source the way `npm run bundle` makes dist/, into a throwaway folder inside the
 * package (so the shipped tasks/ are found the same way): tests run what the source is now, not the
 * committed dist/. Returns the folder and a cleanup.
 */
export async function bundleCurrentSource(name: string): Promise<{ dir: string; cleanup: () => void }> {
  const dir = path.resolve(`.test-dist/${name}-${process.pid}`);
  await execFileP(process.execPath, ['scripts/bundle.mjs', dir]);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

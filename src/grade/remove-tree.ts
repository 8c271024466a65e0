import { execFile } from 'node:child_process';
import { lstat, rm } from 'node:fs/promises';

export interface RemoveTreeResult {
  removed: boolean;
  /** Why the folder (or part of it) is still there; set only when `removed` is false. */
  error?: string;
}

async function gone(dir: string): Promise<boolean> {
  try {
    await lstat(dir);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** Runs a file-tree tool (rm, chmod, chattr) with a deadline; resolves with its stderr, never rejects. */
function tool(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
      (err, _o, stderr) =>
        resolve(err ? `${cmd}: ${stderr.trim().split('\n').slice(0, 3).join('; ') || err.message}` : ''),
    );
  });
}

/**
 * Deletes a folder untrusted code wrote into, whatever it holds, and never throws. Node's `rm` is tried
 * first; it fails on trees deeper than PATH_MAX (ENAMETOOLONG), on folders made read-only, on
 * immutable files. The fallback uses the system tools, which walk with relative paths (fts/openat) and
 * never follow symlinks: `rm -rf`; then, for folders made read-only, `chmod -R u+rwX` and `rm -rf`
 * again; then, for files made immutable by a root process, `chattr -R -i -a` and `rm -rf` again —
 * each under `timeoutMs`.
 */
export async function removeTree(dir: string, timeoutMs = 60_000): Promise<RemoveTreeResult> {
  let firstError = '';
  try {
    await rm(dir, { recursive: true, force: true });
    if (await gone(dir)) return { removed: true };
  } catch (err) {
    firstError = `${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message}`.trim();
  }
  const problems = [firstError];
  // `--` ends the options: a folder name can never be read as one.
  problems.push(await tool('rm', ['-rf', '--', dir], timeoutMs));
  if (await gone(dir)) return { removed: true };
  problems.push(await tool('chmod', ['-R', 'u+rwX', '--', dir], timeoutMs));
  problems.push(await tool('rm', ['-rf', '--', dir], timeoutMs));
  if (await gone(dir)) return { removed: true };
  problems.push(await tool('chattr', ['-R', '-i', '-a', '--', dir], timeoutMs));
  problems.push(await tool('rm', ['-rf', '--', dir], timeoutMs));
  if (await gone(dir)) return { removed: true };
  return { removed: false, error: problems.filter(Boolean).join(' | ') || 'it is still there' };
}

import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { diskUse, watchDiskUse } from '../src/grade/disk-watch.js';
import { removeTree } from '../src/grade/remove-tree.js';
import { unwritablePath } from '../src/grade/workspace.js';
import { readHostileFile, readSmallFileSync } from '../src/grade/safe-read.js';
import { tempDir } from './support/run-helpers.js';

/**
 * The harness's I/O on files untrusted code could touch: the safe reader (report files), the robust
 * delete (workspaces), and the disk-use poll (the quota without size-limited tmpfs).
 */

const base = tempDir('aibench-hostile-io-units-');
afterAll(() => execFileSync('rm', ['-rf', '--', base]));
const limits = { maxBytes: 1024, timeoutMs: 2000 };
let n = 0;
const fresh = (): string => {
  const d = path.join(base, `case-${++n}`);
  mkdirSync(d);
  return d;
};

describe('readHostileFile', () => {
  it('reads a regular file under the cap', async () => {
    const f = path.join(fresh(), 'report.json');
    writeFileSync(f, '{"ok":true}');
    expect(await readHostileFile(f, limits)).toEqual({ ok: true, text: '{"ok":true}' });
  });

  it('refuses a FIFO at once instead of blocking in open() forever', async () => {
    const f = path.join(fresh(), 'report.json');
    execFileSync('mkfifo', [f]);
    const started = Date.now();
    const r = await readHostileFile(f, limits);
    expect(r).toEqual({ ok: false, problem: expect.stringContaining('named pipe') });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a symlink to /dev/zero (and any symlink) instead of reading without end', async () => {
    const f = path.join(fresh(), 'report.json');
    symlinkSync('/dev/zero', f);
    expect(await readHostileFile(f, limits)).toEqual({
      ok: false,
      problem: expect.stringContaining('symbolic link'),
    });
    const g = path.join(fresh(), 'report.json');
    writeFileSync(`${g}.real`, '{}');
    symlinkSync(`${g}.real`, g);
    expect((await readHostileFile(g, limits)).ok).toBe(false);
  });

  it('refuses a device, a directory and a file over the cap; reports an absent file as absent', async () => {
    expect(await readHostileFile('/dev/zero', limits)).toEqual({
      ok: false,
      problem: expect.stringContaining('not a regular file'),
    });
    const d = fresh();
    expect(await readHostileFile(d, limits)).toEqual({
      ok: false,
      problem: expect.stringContaining('directory'),
    });
    const big = path.join(d, 'big.json');
    writeFileSync(big, 'x'.repeat(limits.maxBytes + 1));
    expect(await readHostileFile(big, limits)).toEqual({
      ok: false,
      problem: expect.stringContaining('over the 1024-byte limit'),
    });
    expect(await readHostileFile(path.join(d, 'nope'), limits)).toEqual({
      ok: false,
      problem: 'it does not exist',
    });
  });

  it('the sync reader for lock files: same refusals, null instead of a reason', () => {
    const d = fresh();
    writeFileSync(path.join(d, 'a.lock'), '1234');
    execFileSync('mkfifo', [path.join(d, 'b.lock')]);
    symlinkSync('/dev/zero', path.join(d, 'c.lock'));
    writeFileSync(path.join(d, 'd.lock'), 'x'.repeat(100));
    expect(readSmallFileSync(path.join(d, 'a.lock'), 64)).toBe('1234');
    expect(readSmallFileSync(path.join(d, 'b.lock'), 64)).toBeNull();
    expect(readSmallFileSync(path.join(d, 'c.lock'), 64)).toBeNull();
    expect(readSmallFileSync(path.join(d, 'd.lock'), 64)).toBeNull();
    expect(readSmallFileSync(path.join(d, 'none.lock'), 64)).toBeNull();
  });
});

/** A tree deeper than PATH_MAX, built with relative paths (as code under test does). */
function deepTree(root: string, depth: number): void {
  const script = `process.chdir(process.argv[1]);
for (let i = 0; i < Number(process.argv[2]); i++) { require('fs').mkdirSync('d'); process.chdir('d'); }
require('fs').writeFileSync('f', 'leaf');`;
  execFileSync(process.execPath, ['-e', script, root, String(depth)]);
}

describe('removeTree', () => {
  it('removes a tree 3,000 folders deep (past PATH_MAX, where Node rm fails with ENAMETOOLONG)', async () => {
    const root = path.join(fresh(), 'ws');
    mkdirSync(root);
    deepTree(root, 3000);
    expect(await removeTree(root)).toEqual({ removed: true });
    expect(existsSync(root)).toBe(false);
  });

  it('removes read-only folders, FIFOs and symlinks without following them (their targets survive)', async () => {
    const d = fresh();
    const outside = path.join(d, 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'keep.txt'), 'keep');
    const root = path.join(d, 'ws');
    mkdirSync(path.join(root, 'ro', 'inner'), { recursive: true });
    writeFileSync(path.join(root, 'ro', 'inner', 'f'), 'x');
    execFileSync('mkfifo', [path.join(root, 'ro', 'fifo')]);
    symlinkSync(outside, path.join(root, 'ro', 'link-to-dir'));
    symlinkSync(path.join(outside, 'keep.txt'), path.join(root, 'link-to-file'));
    symlinkSync('/dev/zero', path.join(root, 'zero'));
    chmodSync(path.join(root, 'ro', 'inner'), 0o500);
    chmodSync(path.join(root, 'ro'), 0o500);
    expect(await removeTree(root)).toEqual({ removed: true });
    expect(existsSync(root)).toBe(false);
    expect(readFileSync(path.join(outside, 'keep.txt'), 'utf8')).toBe('keep');
  });

  it('a deep tree with read-only folders all the way down', async () => {
    const root = path.join(fresh(), 'ws');
    mkdirSync(root);
    deepTree(root, 1500);
    execFileSync('chmod', ['-R', 'a-w', '--', root]);
    expect(await removeTree(root)).toEqual({ removed: true });
  });

  it('an absent folder is already removed; a symlink in place of the folder is removed, not followed', async () => {
    const d = fresh();
    expect(await removeTree(path.join(d, 'none'))).toEqual({ removed: true });
    const target = path.join(d, 'target');
    mkdirSync(target);
    writeFileSync(path.join(target, 'keep'), 'k');
    symlinkSync(target, path.join(d, 'ws'));
    expect(await removeTree(path.join(d, 'ws'))).toEqual({ removed: true });
    expect(readFileSync(path.join(target, 'keep'), 'utf8')).toBe('k');
  });
});

/** Whether this process may mount (root with CAP_SYS_ADMIN): a mount point is what no delete removes. */
function tryMount(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', 'none', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('removeTree: what cannot be removed', () => {
  it('reports it (a mount point inside the folder) instead of throwing or hanging', async (ctx) => {
    const root = path.join(fresh(), 'ws');
    mkdirSync(path.join(root, 'mnt'), { recursive: true });
    if (!tryMount(path.join(root, 'mnt'))) return ctx.skip();
    try {
      const r = await removeTree(root, 10_000);
      expect(r.removed).toBe(false);
      expect(r.error).toMatch(/rm: .*mnt/);
    } finally {
      execFileSync('umount', [path.join(root, 'mnt')]);
    }
    expect(await removeTree(root)).toEqual({ removed: true });
  });
});

describe('disk-use poll', () => {
  it('measures a deep tree, and calls back once a folder passes its cap', async () => {
    const root = path.join(fresh(), 'ws');
    mkdirSync(root);
    deepTree(root, 3000);
    const used = await diskUse(root);
    expect(used).toBeGreaterThan(3000 * 1024);
    let exceeded = 0;
    const stop = watchDiskUse({ dir: root, maxBytes: 1024 * 1024 }, () => exceeded++, 50);
    await vi.waitFor(() => expect(exceeded).toBe(1), { timeout: 10_000, interval: 50 });
    await new Promise((r) => setTimeout(r, 300));
    stop();
    expect(exceeded).toBe(1);
    const small = fresh();
    let never = 0;
    const stop2 = watchDiskUse({ dir: small, maxBytes: 1024 * 1024 }, () => never++, 50);
    await new Promise((r) => setTimeout(r, 300));
    stop2();
    expect(never).toBe(0);
  });
});

describe('unwritablePath: reply paths that would make workspace creation throw are refused', () => {
  const task = ['Cargo.toml', 'src/lib.rs', 'tests/clamp.rs'];
  it('a file under a path that is a file (of the task or of the reply), a file where a folder must be, an over-long name', () => {
    expect(unwritablePath('src/lib.rs/x.rs', task, ['src/lib.rs/x.rs'])).toBe(
      'src/lib.rs is a file, not a folder',
    );
    expect(unwritablePath('src/a.rs/b.rs', task, ['src/a.rs', 'src/a.rs/b.rs'])).toBe(
      'src/a.rs is a file, not a folder',
    );
    expect(unwritablePath('src/a.rs', task, ['src/a.rs', 'src/a.rs/b.rs'])).toBeNull();
    expect(unwritablePath('tests', task, ['tests'])).toBe(
      'tests would have to be a folder for tests/clamp.rs',
    );
    expect(unwritablePath(`src/${'a'.repeat(256)}.rs`, task, [])).toBe('a path segment is over 255 bytes');
    expect(unwritablePath('src/lib.rs', task, ['src/lib.rs'])).toBeNull();
    expect(unwritablePath('src/ring/mod.rs', task, ['src/ring/mod.rs'])).toBeNull();
  });
});

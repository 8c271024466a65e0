import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listCacheEntries, sizeFile } from '../src/cache/entries.js';
import { chooseEvictions, type CacheEntry } from '../src/cache/evict.js';
import { gateLock, holdEntry, holdersDir } from '../src/cache/holds.js';
import { parseCacheLimit } from '../src/cache/limit.js';
import { pruneCache } from '../src/cache/prune.js';
import { UsageError } from '../src/errors.js';
import { main } from '../src/cli/main.js';

/**
 * The harness's cache (fixture installs, Go's build cache, the Go scanner) stays within its limit:
 * least recently used entries go first, leftovers of dead processes always go, and nothing a live run
 * holds is ever removed under it.
 */

const MB = 1024 ** 2;
const entry = (name: string, mb: number, lastUsedMs: number, more: Partial<CacheEntry> = {}): CacheEntry => ({
  name,
  bytes: mb * MB,
  lastUsedMs,
  held: false,
  abandoned: false,
  ...more,
});

describe('chooseEvictions (pure)', () => {
  it('removes least recently used first, only until the rest fits', () => {
    const r = chooseEvictions(
      [entry('fixtures/new', 300, 3), entry('fixtures/old', 300, 1), entry('go-build/shared', 300, 2)],
      700 * MB,
    );
    expect(r.evict.map((e) => e.name)).toEqual(['fixtures/old']);
    expect(r.keptBytes).toBe(600 * MB);
    expect(r.overBy).toBe(0);
  });

  it('never removes a held entry, even the oldest, and says by how much the held ones are over', () => {
    const r = chooseEvictions(
      [entry('a', 500, 1, { held: true }), entry('b', 100, 2), entry('c', 100, 3)],
      300 * MB,
    );
    expect(r.evict.map((e) => e.name)).toEqual(['b', 'c']);
    expect(r.overBy).toBe(200 * MB);
  });

  it('removes what a dead process left half-done whatever the limit', () => {
    const r = chooseEvictions(
      [entry('fixtures/x.tmp-99-1', 1, 9, { abandoned: true }), entry('b', 1, 1)],
      10 * MB,
    );
    expect(r.evict.map((e) => e.name)).toEqual(['fixtures/x.tmp-99-1']);
  });
});

describe('parseCacheLimit', () => {
  it('reads sizes as a person writes them', () => {
    expect(parseCacheLimit('4GB', 'x')).toBe(4 * 1024 ** 3);
    expect(parseCacheLimit('500mb', 'x')).toBe(500 * MB);
    expect(parseCacheLimit('0', 'x')).toBe(0);
  });
  it('refuses anything else with one line naming the setting', () => {
    expect(() => parseCacheLimit('lots', '--cache-limit')).toThrow(UsageError);
    expect(() => parseCacheLimit('-1GB', '--cache-limit')).toThrow(
      /--cache-limit must be a size such as 4GB/,
    );
  });
});

/** A pid that existed and is gone. */
function deadPid(): number {
  const p = spawnSync(process.execPath, ['-e', '0']);
  return p.pid!;
}

describe('pruneCache on a real cache folder', () => {
  let dir = '';
  const others: { kill(): void }[] = [];
  afterEach(() => {
    others.splice(0).forEach((o) => o.kill());
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** An entry of `mb` MiB of real data, last used `ageSec` ago. */
  function make(name: string, mb: number, ageSec: number): string {
    const d = path.join(dir, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'data'), Buffer.alloc(mb * MB, 1));
    const t = (Date.now() - ageSec * 1000) / 1000;
    utimesSync(d, t, t);
    return d;
  }

  it('keeps the limit by removing the least recently used entries, and leftovers of dead processes', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aibench-cache-'));
    make('fixtures/react-old', 3, 3000);
    make('fixtures/react-new', 3, 10);
    make('go-build/shared', 3, 100);
    make('go-scanner/abc', 1, 5000);
    const leftover = `fixtures/react-new.tmp-${deadPid()}-17`;
    make(leftover, 1, 1);
    const listed = listCacheEntries(dir);
    expect(listed.map((e) => e.name).sort()).toEqual(
      ['fixtures/react-new', leftover, 'fixtures/react-old', 'go-build/shared', 'go-scanner/abc'].sort(),
    );
    expect(listed.find((e) => e.name === leftover)!.abandoned).toBe(true);
    expect(listed.find((e) => e.name === 'go-build/shared')!.bytes).toBeGreaterThanOrEqual(3 * MB);

    const r = await pruneCache(dir, 7 * MB);
    expect(r.removed.map((e) => e.name).sort()).toEqual(
      [leftover, 'fixtures/react-old', 'go-scanner/abc'].sort(),
    );
    expect(existsSync(path.join(dir, 'fixtures/react-old'))).toBe(false);
    expect(existsSync(path.join(dir, 'fixtures/react-new/data'))).toBe(true);
    expect(existsSync(path.join(dir, 'go-build/shared/data'))).toBe(true);
    expect(r.leftBytes).toBeLessThanOrEqual(7 * MB);
    // Nothing is left behind: no trash folder, no gate.
    expect(
      listCacheEntries(dir)
        .map((e) => e.name)
        .sort(),
    ).toEqual(['fixtures/react-new', 'go-build/shared']);
  });

  it('measures an entry that never changes once made, and a growing or rebuilt one again', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aibench-cache-'));
    const sizes = () => new Map(listCacheEntries(dir).map((e) => [e.name, e.bytes]));
    for (const name of ['fixtures/react-a', 'go-build/shared']) {
      mkdirSync(path.join(make(name, 1, 10), 'deep'));
    }
    const first = sizes();
    expect(first.get('fixtures/react-a')).toBeGreaterThanOrEqual(1 * MB);
    expect(existsSync(sizeFile(path.join(dir, 'fixtures/react-a')))).toBe(true);
    // Written below the top folder (whose own time does not change): a fixture install is never
    // written after it is made, so its kept size stands; Go's build cache grows, and is walked again.
    for (const name of ['fixtures/react-a', 'go-build/shared'])
      writeFileSync(path.join(dir, name, 'deep', 'more'), Buffer.alloc(2 * MB, 1));
    const second = sizes();
    expect(second.get('fixtures/react-a')).toBe(first.get('fixtures/react-a'));
    expect(second.get('go-build/shared')).toBeGreaterThanOrEqual(first.get('go-build/shared')! + 2 * MB);
    // Rebuilt under the same name (a new folder): measured again.
    rmSync(path.join(dir, 'fixtures/react-a'), { recursive: true });
    make('fixtures/react-a', 4, 20);
    expect(sizes().get('fixtures/react-a')).toBeGreaterThanOrEqual(4 * MB);
    // A pruned entry takes its kept size with it.
    await pruneCache(dir, 0);
    expect(readdirSync(path.join(dir, 'fixtures'))).toEqual([]);
  });

  it('never removes what a live process holds: another process, or this one until it lets go', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aibench-cache-'));
    const theirs = make('fixtures/theirs', 2, 9000);
    const mine = make('go-build/shared', 2, 8000);
    make('fixtures/idle', 2, 10);
    const other = spawn('sleep', ['60']);
    others.push(other);
    mkdirSync(holdersDir(theirs), { recursive: true });
    writeFileSync(path.join(holdersDir(theirs), String(other.pid)), '');
    const hold = holdEntry(mine);

    const r = await pruneCache(dir, 0);
    expect(r.removed.map((e) => e.name)).toEqual(['fixtures/idle']);
    expect(existsSync(theirs) && existsSync(mine)).toBe(true);
    expect(r.overBy).toBeGreaterThanOrEqual(4 * MB);

    // Their process ends without letting go; this one lets go: both are ordinary entries again.
    other.kill('SIGKILL');
    await new Promise((res) => other.once('exit', res));
    hold.release();
    const after = await pruneCache(dir, 0);
    expect(after.removed.map((e) => e.name).sort()).toEqual(['fixtures/theirs', 'go-build/shared']);
    expect(existsSync(theirs) || existsSync(mine)).toBe(false);
  });

  it('does not remove an entry while another process has its gate (registering a hold)', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aibench-cache-'));
    const busy = make('fixtures/busy', 1, 9000);
    const other = spawn('sleep', ['60']);
    others.push(other);
    writeFileSync(gateLock(busy), String(other.pid));
    const r = await pruneCache(dir, 0);
    expect(r.removed).toEqual([]);
    expect(r.kept.map((k) => k.entry.name)).toEqual(['fixtures/busy']);
    expect(existsSync(path.join(busy, 'data'))).toBe(true);
  });
});

describe('aibench cache', () => {
  it('lists the entries and prunes to --cache-limit; a bad limit is one line and exit 2', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aibench-cache-'));
    const saved = process.env.AIBENCH_CACHE;
    process.env.AIBENCH_CACHE = dir;
    try {
      mkdirSync(path.join(dir, 'fixtures', 'react-a'), { recursive: true });
      writeFileSync(path.join(dir, 'fixtures', 'react-a', 'data'), Buffer.alloc(2 * MB, 1));
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), tty: false };
      expect(await main(['cache'], io)).toBe(0);
      expect(out[0]).toMatch(/: 2(\.\d)? MB in 1 entry, limit 4 GB$/);
      expect(out[1]).toContain('fixtures/react-a');

      expect(await main(['cache', '--prune', '--cache-limit', '1MB'], io)).toBe(0);
      expect(err.at(-1)).toMatch(
        /^cache: removed 1 least recently used entry \(2(\.\d)? MB: fixtures\/react-a\)/,
      );
      expect(existsSync(path.join(dir, 'fixtures', 'react-a'))).toBe(false);

      err.length = 0;
      expect(await main(['cache', '--cache-limit', 'huge'], io)).toBe(2);
      expect(err).toEqual([
        expect.stringMatching(/--cache-limit must be a size such as 4GB, 500MB or 0 \(got "huge"\)/),
      ]);
    } finally {
      if (saved === undefined) delete process.env.AIBENCH_CACHE;
      else process.env.AIBENCH_CACHE = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

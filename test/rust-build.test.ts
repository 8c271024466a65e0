import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeFiles } from '../src/grade/grade.js';
import { removeStaleTargets, staleTargetsRoot } from '../src/grade/stale-targets.js';
import { prepareGrading } from '../src/run/environment.js';
import { miniTask, tempDir } from './support/run-helpers.js';
import { removeTree } from '../src/grade/remove-tree.js';
import { toolchainHomes } from '../src/grade/sandbox-env.js';
import { rustToolchain } from '../src/grade/toolchains/rust.js';
import { cargoEnv, expandCommand, expandEnv, seedRustInfo } from '../src/grade/toolchains/rust-host.js';
import { createWorkspace, removeWorkspace } from '../src/grade/workspace.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await removeTree(d);
});

describe('Rust gradings build only what the test step runs', () => {
  it('the submission’s own unit tests are not compiled: one that would not even build neither fails nor counts', async () => {
    const task = miniTask();
    const cache = tempDir('aibench-rust-build-cache-');
    dirs.push(cache);
    const { env } = await prepareGrading([task], { ...process.env, AIBENCH_CACHE: cache }, () => {});
    const lib = `${task.reference.get('src/lib.rs')!}
#[cfg(test)]
mod tests {
    #[test]
    fn mine() {
        let n: u8 = "not a number";
        assert_eq!(super::clamp(n as i64, 0, 1), 7);
    }
}
`;
    const r = await gradeFiles(task, new Map([['src/lib.rs', lib]]), { env, slot: 0, feedbackChars: 4000 });
    expect(r.feedback).toBeNull();
    expect(r.outcome).toBe('pass');
    expect(r.tests).toEqual({ expected: 3, passed: 3, failed: 0, skipped: 0 });
    // Nothing is kept for the next grading: the build folder went with the workspace.
    expect(existsSync(staleTargetsRoot(cache))).toBe(false);
  }, 240_000);
});

describe('how gradings call cargo', () => {
  it('through the toolchain’s own binaries, with rustc’s answers already cached by the harness’s crate, and no debug info', async () => {
    const task = miniTask();
    const cache = tempDir('aibench-rust-host-cache-');
    const work = tempDir('aibench-rust-host-work-');
    dirs.push(cache, work);
    const { env } = await prepareGrading([task], { ...process.env, AIBENCH_CACHE: cache }, () => {});
    const host = env.rustHost!;
    // Not rustup's proxy in CARGO_HOME/bin, but the binaries of the toolchain it resolves to.
    expect(host.cargo).not.toBe(path.join(toolchainHomes(process.env).cargoHome, 'bin', 'cargo'));
    expect(path.basename(host.cargo)).toBe('cargo');
    expect(host.env.RUSTC).toBe(path.join(path.dirname(host.cargo), 'rustc'));
    expect(host.seeds.expand).toContain('rustc_fingerprint');
    expect(host.seeds.build).toContain('rustc_fingerprint');

    // cargo rewrites .rustc_info.json (in its own form) whenever it had to ask rustc anything the seed
    // did not answer; it ignores fields it does not know. A marked seed still marked after a grading's
    // build was used as it stands, in the sandbox.
    // (Spliced in as text: JSON.parse would round the 64-bit fingerprint and so spoil the seed.)
    const mark = (seed: string) => seed.replace(/^\{/, '{"marked_by_test":true,');
    env.rustHost = { ...host, seeds: { expand: mark(host.seeds.expand!), build: mark(host.seeds.build!) } };
    const ws = createWorkspace(work, task, task.reference);
    try {
      const obs = await rustToolchain.grade({ task, ws, slot: 0, env, modelFiles: new Set(['src/lib.rs']) });
      expect(obs.failedStep).toBeNull();
      expect(obs.tests).toMatchObject({ expected: 3, passed: 3 });
      expect(readFileSync(path.join(ws.root, 'target', '.rustc_info.json'), 'utf8')).toContain(
        'marked_by_test',
      );
      const deps = path.join(ws.root, 'target', 'debug', 'deps');
      const testBinary = readdirSync(deps).find((f) => /^clamp-[0-9a-f]+$/.test(f));
      expect(testBinary).toBeDefined();
      const sections = spawnSync('readelf', ['-S', '-W', path.join(deps, testBinary!)], { encoding: 'utf8' });
      expect(sections.stdout).toContain('.text');
      expect(sections.stdout).not.toContain('.debug_info');
    } finally {
      await removeWorkspace(ws);
    }

    // The expansion's shape, the same way (its folder goes before the grading returns).
    const crate = path.join(work, 'crate');
    for (const [rel, text] of [...task.starter, ...task.reference]) {
      mkdirSync(path.dirname(path.join(crate, rel)), { recursive: true });
      writeFileSync(path.join(crate, rel), text);
    }
    const scanTarget = path.join(work, 'scan-target');
    seedRustInfo(scanTarget, env.rustHost.seeds.expand);
    const expanded = spawnSync(
      host.cargo,
      expandCommand(host.cargo, ['--lib'], path.join(work, 'x.hir'), path.join(work, 'x.d')).slice(1),
      { cwd: crate, env: { ...cargoEnv(work, scanTarget, process.env), ...expandEnv(host, scanTarget) } },
    );
    expect(expanded.status).toBe(0);
    expect(readFileSync(path.join(work, 'x.hir'), 'utf8')).toContain('fn clamp');
    expect(readFileSync(path.join(scanTarget, '.rustc_info.json'), 'utf8')).toContain('marked_by_test');
  }, 240_000);

  it('a task that needs debug info in its test binaries gets it with [profile.test] debug = 2 in its Cargo.toml', async () => {
    const mini = miniTask();
    const manifest = `${mini.starter.get('Cargo.toml')!}\n[profile.test]\ndebug = 2\n`;
    const task = { ...mini, starter: new Map(mini.starter).set('Cargo.toml', manifest) } as typeof mini;
    const cache = tempDir('aibench-rust-host-cache-');
    const work = tempDir('aibench-rust-host-work-');
    dirs.push(cache, work);
    const { env } = await prepareGrading([task], { ...process.env, AIBENCH_CACHE: cache }, () => {});
    const ws = createWorkspace(work, task, task.reference);
    try {
      const obs = await rustToolchain.grade({ task, ws, slot: 0, env, modelFiles: new Set(['src/lib.rs']) });
      expect(obs.tests).toMatchObject({ expected: 3, passed: 3 });
      const deps = path.join(ws.root, 'target', 'debug', 'deps');
      const testBinary = readdirSync(deps).find((f) => /^clamp-[0-9a-f]+$/.test(f))!;
      const sections = spawnSync('readelf', ['-S', '-W', path.join(deps, testBinary)], { encoding: 'utf8' });
      expect(sections.stdout).toContain('.debug_info');
    } finally {
      await removeWorkspace(ws);
    }
  }, 240_000);

  it('a seed that no longer matches is ignored: cargo asks rustc itself and the build still passes', async () => {
    const task = miniTask();
    const cache = tempDir('aibench-rust-host-cache-');
    dirs.push(cache);
    const { env } = await prepareGrading([task], { ...process.env, AIBENCH_CACHE: cache }, () => {});
    const stale = JSON.parse(env.rustHost!.seeds.build!) as { rustc_fingerprint: unknown; outputs: object };
    // As if rustc had been updated since the seed was made, and its answers were wrong now.
    const outputs = Object.fromEntries(
      Object.keys(stale.outputs).map((k) => [
        k,
        { success: true, status: '', code: 0, stdout: 'garbage\n', stderr: '' },
      ]),
    );
    env.rustHost = {
      ...env.rustHost!,
      seeds: { build: JSON.stringify({ ...stale, rustc_fingerprint: 1, outputs }) },
    };
    const r = await gradeFiles(task, task.reference, { env, slot: 0, feedbackChars: 4000 });
    expect(r.outcome).toBe('pass');
    expect(r.tests).toMatchObject({ expected: 3, passed: 3 });
  }, 240_000);
});

describe('build folders earlier versions kept', () => {
  it('are removed, read-only trees and a FIFO lock included, except one a live harness still holds; never throws', async () => {
    const cache = tempDir('aibench-stale-targets-');
    dirs.push(cache);
    const root = staleTargetsRoot(cache);
    const folder = (name: string) => {
      mkdirSync(path.join(root, name, 'debug', 'deps'), { recursive: true });
      writeFileSync(path.join(root, name, 'debug', 'deps', 'big.rlib'), 'x'.repeat(4096));
    };
    const deadPid = spawnSync('true').pid!;
    folder('rust-L1-0');
    writeFileSync(path.join(root, 'rust-L1-0.lock'), String(process.pid)); // a live grading
    folder('rust-L1-1');
    writeFileSync(path.join(root, 'rust-L1-1.lock'), String(deadPid)); // its owner died
    folder('rust-L1-2'); // released
    folder('rust-L5-0');
    chmodSync(path.join(root, 'rust-L5-0', 'debug'), 0o500);
    folder('rust-L5-1');
    spawnSync('mkfifo', [path.join(root, 'rust-L5-1.lock')]);

    const r = await removeStaleTargets(cache);
    expect(r.kept).toEqual(['rust-L1-0']);
    expect(r.removed.sort()).toEqual(['rust-L1-1', 'rust-L1-2', 'rust-L5-0', 'rust-L5-1']);
    expect(readdirSync(root).sort()).toEqual(['rust-L1-0', 'rust-L1-0.lock']);
    expect(existsSync(path.join(root, 'rust-L1-0', 'debug', 'deps', 'big.rlib'))).toBe(true);

    writeFileSync(path.join(root, 'rust-L1-0.lock'), String(deadPid)); // that harness ended
    expect(await removeStaleTargets(cache)).toEqual({ removed: ['rust-L1-0'], kept: [] });
    expect(existsSync(root)).toBe(false);
    expect(await removeStaleTargets(path.join(cache, 'absent'))).toEqual({ removed: [], kept: [] });
  });
});

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeFiles } from '../src/grade/grade.js';
import { removeStaleTargets, staleTargetsRoot } from '../src/grade/stale-targets.js';
import { prepareGrading } from '../src/run/environment.js';
import { miniTask, tempDir } from './support/run-helpers.js';
import { removeTree } from '../src/grade/remove-tree.js';

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

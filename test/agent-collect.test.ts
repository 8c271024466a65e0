import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECT_LIMITS, collectWorkspace } from '../src/agents/collect.js';
import { miniTask, tempDir } from './support/run-helpers.js';

describe('collecting what an agent left (hostile input)', () => {
  it('takes editable regular files only; links, FIFOs, oversized and non-editable changes are rejected, never followed or read', () => {
    const task = miniTask();
    const dir = tempDir('aibench-collect-');
    const baseline = new Map(task.starter);
    for (const [rel, content] of baseline) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), content);
    }
    writeFileSync(path.join(dir, 'src/lib.rs'), 'pub fn clamp() {}\n');
    writeFileSync(path.join(dir, 'Cargo.toml'), `${task.starter.get('Cargo.toml')}\n# changed\n`);
    mkdirSync(path.join(dir, 'tests'));
    writeFileSync(path.join(dir, 'tests/clamp.rs'), '#[test] fn forged() {}\n');
    symlinkSync('/etc/passwd', path.join(dir, 'src/secret.rs'));
    execFileSync('mkfifo', [path.join(dir, 'src/pipe.rs')]);
    writeFileSync(path.join(dir, 'src/huge.rs'), 'x'.repeat(COLLECT_LIMITS.fileBytes + 1));
    mkdirSync(path.join(dir, 'node_modules/evil'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules/evil/index.rs'), 'ignored');

    const { files, rejected } = collectWorkspace(dir, task, baseline);
    expect([...files.keys()]).toEqual(['src/lib.rs']);
    expect(files.get('src/lib.rs')).toBe('pub fn clamp() {}\n');
    expect(Object.fromEntries(rejected.map((r) => [r.path, r.reason]))).toEqual({
      'Cargo.toml': 'not an editable file for this task: ignored',
      'src/huge.rs': `larger than the ${COLLECT_LIMITS.fileBytes} bytes allowed`,
      'src/pipe.rs': 'not a regular file',
      'src/secret.rs': 'a symbolic link, not a file',
      'tests/clamp.rs': 'not an editable file for this task: ignored',
    });
  });
});

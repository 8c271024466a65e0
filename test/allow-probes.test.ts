import { describe, expect, it } from 'vitest';
import { ALLOW_PROBES, allowProbeJobs, probeVerdict } from '../src/run/allow-probes.js';
import { tamperRuleIds } from '../src/grade/tamper.js';
import type { GradeResult } from '../src/grade/types.js';
import { builtinTasksRoot, loadTasks } from '../src/tasks/loader.js';

/** The allow-list proof's pure part: which probes validate grades, and how it reads their results. */
const tasks = loadTasks([builtinTasksRoot()]);
const task = (key: string) => tasks.find((t) => t.key === key)!;

describe('allow-list probes', () => {
  it('has a probe for every Rust rule (no rule escapes the proof)', () => {
    expect(tamperRuleIds('rust').filter((id) => !ALLOW_PROBES.rust.probes[id])).toEqual([]);
  });

  it("has a probe for every python rule but the scan's own limit", () => {
    expect(tamperRuleIds('python').filter((id) => !ALLOW_PROBES.python.probes[id])).toEqual(['unscannable']);
  });

  it("has a probe for every node rule but the scan's own limit", () => {
    expect(tamperRuleIds('node').filter((id) => !ALLOW_PROBES.node.probes[id])).toEqual(['unscannable']);
  });

  it('makes each node probe, appended to a React reference, fail the TypeScript scan with its own rule', async () => {
    const statcard = task('react/L1-statcard');
    const { nodeModulePolicy, scanNodeSubmission } = await import('../src/grade/scan/ts-scan.js');
    const jobs = allowProbeJobs(statcard);
    expect(jobs.length).toBe(Object.keys(ALLOW_PROBES.node.probes).length);
    expect(scanNodeSubmission(statcard.reference, [], nodeModulePolicy(statcard))).toEqual([]);
    for (const job of jobs) {
      const rules = scanNodeSubmission(job.files, statcard.allow, nodeModulePolicy(statcard)).map(
        (h) => h.rule,
      );
      expect(rules, job.rule).toContain(job.rule);
    }
  });

  it('probes every rule the wc clone does not lift, appended to its editable main.rs', () => {
    const wc = task('rust/L2-wc-rs');
    const jobs = allowProbeJobs(wc);
    expect(jobs.map((j) => j.rule).sort()).toEqual(
      tamperRuleIds('rust')
        .filter((id) => !wc.allow.includes(id))
        .sort(),
    );
    const probe = jobs.find((j) => j.rule === 'process-spawn')!;
    expect(probe.files.get('src/main.rs')).toContain(wc.reference.get('src/main.rs')!.trimEnd());
    expect(probe.files.get('src/main.rs')).toContain('std::process::Command::new');
  });

  it('passes a probe only when the scan refused it with that very rule', () => {
    const result = (outcome: GradeResult['outcome'], suspect: string[]) =>
      ({ outcome, suspect }) as GradeResult;
    expect(probeVerdict(result('check', ['network: src/lib.rs:9: x']), 'network').ok).toBe(true);
    expect(probeVerdict(result('check', ['fs-access: src/lib.rs:9: x']), 'network').ok).toBe(false);
    expect(probeVerdict(result('pass', []), 'network').detail).toContain('not enforced');
  });
});

// The simulated grader of scripts/bench-run.mts: it holds its grading slot (one core) for the task's
// simulated cost, then passes or fails as the mock model's reply says (`SIM:pass` / `SIM:fail`). It
// exports what the harness imports from src/grade/grade.ts.

/** Simulated CPU-seconds of one grading, from the measurements on 2 cores. */
export function simulatedGradeSec(task: {
  suite: { toolchain: string };
  level: number;
  checks: { kind: string }[];
}): number {
  if (task.suite.toolchain === 'node') return 2.5 + 0.5 * task.level;
  if (task.checks.some((c) => c.kind === 'tsan')) return 32;
  return 4.5 + 1.5 * task.level;
}

const scale = Number(process.env.AIBENCH_BENCH_GRADE_SCALE ?? '1');

export function singleEditablePath(task: { editable: string[] }): string | null {
  return task.editable.length === 1 && !/[*?[\]{}!]/.test(task.editable[0]!) ? task.editable[0]! : null;
}

async function simulate(task: Parameters<typeof simulatedGradeSec>[0], pass: boolean) {
  const ms = simulatedGradeSec(task) * 1000 * scale;
  const started = Date.now();
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  return {
    outcome: pass ? 'pass' : 'test',
    files: [],
    rejected: [],
    steps: [],
    tests: null,
    failingTests: pass ? [] : ['simulated'],
    feedback: pass ? null : `simulated failure\n${'assertion failed: expected left == right\n'.repeat(40)}`,
    gradeMs: Date.now() - started,
    suspect: [],
    harnessFaults: [],
  };
}

export function gradeReply(task: Parameters<typeof simulatedGradeSec>[0], reply: string) {
  return simulate(task, reply.startsWith('SIM:pass'));
}

export function gradeFiles(task: Parameters<typeof simulatedGradeSec>[0]) {
  return simulate(task, true);
}

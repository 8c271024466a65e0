import path from 'node:path';
import type { Check } from '../../tasks/schema.js';
import { mkdirSync } from 'node:fs';
import type { StepRecord } from '../types.js';
import { execSandboxed, stepRecord, type ToolchainContext } from './types.js';

type TsanCheck = Extract<Check, { kind: 'tsan' }>;

const REPORT_START = 'WARNING: ThreadSanitizer:';

/**
 * Splits ThreadSanitizer's stderr into reports and keeps those with a stack frame in a file the model
 * wrote. Un-instrumented std and libtest raise reports of their own; only the submission's are its fault.
 */
export function tsanReportsIn(stderr: string, modelFiles: Iterable<string>): string[] {
  const files = [...modelFiles];
  return stderr
    .split(/^={10,}$/m)
    .filter((block) => block.includes(REPORT_START))
    .filter((block) => files.some((f) => block.includes(`/${f}:`)))
    .map((block) => block.trim());
}

/** Runs a `harness = false` stress target under ThreadSanitizer with the nightly toolchain. */
export async function runTsanCheck(
  check: TsanCheck,
  ctx: ToolchainContext,
  baseEnv: Record<string, string>,
): Promise<{ step: StepRecord; diagnostics: string }> {
  if (!ctx.env.nightly) {
    return {
      step: { name: check.name, ok: false, status: 'unavailable', durationMs: 0, exitCode: null },
      diagnostics: `The ${check.name} check needs the nightly Rust toolchain, which this host does not have: the verdict cannot be established.`,
    };
  }
  const targetDir = path.join(ctx.env.cacheDir, 'rust-tsan', `${ctx.task.suite.name}-${ctx.task.id}-w${ctx.slot}`);
  mkdirSync(targetDir, { recursive: true });
  const env = {
    ...baseEnv,
    CARGO_TARGET_DIR: targetDir,
    RUSTFLAGS: '-Zsanitizer=thread',
    TSAN_OPTIONS: 'halt_on_error=0 exitcode=66 report_signal_unsafe=0',
  };
  const r = await execSandboxed(
    ctx.env,
    ['cargo', '+nightly', 'test', '--offline', '--release', '--target', 'x86_64-unknown-linux-gnu', '--test', check.target],
    { writable: [ctx.ws.root, targetDir], readable: [], unlimitedAddressSpace: true },
    { cwd: ctx.ws.dir, env, timeoutMs: (check.timeout ?? 120) * 1000 },
  );
  const reports = tsanReportsIn(r.stderr, ctx.modelFiles);
  const completed = r.exitCode === 0 || r.exitCode === 66;
  const ok = !r.timedOut && completed && reports.length === 0;
  let diagnostics = '';
  if (reports.length) {
    diagnostics = `ThreadSanitizer found ${reports.length} data race report(s) in your code under a concurrent producer/consumer stress:\n\n${reports.slice(0, 2).join('\n\n')}`;
  } else if (!completed) {
    diagnostics = `The ${check.name} stress run failed (exit ${r.exitCode}):\n${r.stderr.split('\n').slice(-25).join('\n')}`;
  }
  return { step: stepRecord(check.name, r, ok), diagnostics };
}

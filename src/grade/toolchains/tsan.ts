import { mkdirSync } from 'node:fs';
import type { Check } from '../../tasks/schema.js';
import type { StepRecord } from '../types.js';
import { testExecutables } from './cargo-artifacts.js';
import { execSandboxed, stepRecord, type ToolchainContext } from './types.js';

export type TsanCheck = Extract<Check, { kind: 'tsan' }>;

const ACCESS_HEADER = /^ {2}(?:Previous )?(?:atomic )?(?:read|write) of size \d+ at 0x[0-9a-f]+ by /i;
const FRAME = /^ {4}#\d+ /;

export interface TsanReport {
  warning: string;
  /** Access headers with the frames in the submission's files (workspace prefix removed). */
  sections: { header: string; frames: string[] }[];
  symbolized: boolean;
}

/**
 * Parses ThreadSanitizer's stderr into reports (WARNING … SUMMARY). A report counts against the
 * submission when a frame of one of its access sections lies in the workspace's `src/`: std and the
 * check program raise reports of their own that are not the submission's fault.
 */
export function parseTsanReports(
  stderr: string,
  srcPrefixes: string[],
): { counted: TsanReport[]; unsymbolized: number } {
  const counted: TsanReport[] = [];
  let unsymbolized = 0;
  let current: { warning: string; lines: string[] } | null = null;
  const finish = (): void => {
    if (!current) return;
    const sections: TsanReport['sections'] = [];
    let section: { header: string; frames: string[]; access: boolean } | null = null;
    let symbolized = false;
    for (const line of current.lines) {
      if (FRAME.test(line)) {
        if (/\.rs:\d+/.test(line)) symbolized = true;
        const prefix = srcPrefixes.find((p) => line.includes(p));
        if (section?.access && prefix) section.frames.push(line.replace(prefix, 'src/').trim());
      } else if (/^ {2}\S/.test(line)) {
        section = { header: line.trim(), frames: [], access: ACCESS_HEADER.test(line) };
        sections.push(section);
      }
    }
    if (!symbolized) unsymbolized++;
    const mine = sections.filter((s) => s.frames.length);
    if (mine.length) counted.push({ warning: current.warning, sections: mine, symbolized });
    current = null;
  };
  for (const line of stderr.split('\n')) {
    if (line.startsWith('WARNING: ThreadSanitizer:')) {
      finish();
      current = { warning: line.trim(), lines: [] };
    } else if (line.startsWith('SUMMARY: ThreadSanitizer:')) finish();
    else current?.lines.push(line);
  }
  finish();
  return { counted, unsymbolized };
}

/** The cargo command that builds (and, without `--no-run`, runs) a check target under ThreadSanitizer. */
export function tsanCargoTest(check: TsanCheck): string[] {
  return [
    'cargo',
    '+nightly',
    'test',
    '--offline',
    '--target',
    'x86_64-unknown-linux-gnu',
    '--test',
    check.target,
  ];
}

/** The sanitizer's build flags and run options for a check in the project folder `projectDir`. */
export function tsanEnv(check: TsanCheck, projectDir: string): Record<string, string> {
  return {
    // Current nightlies refuse to link sanitized code against the prebuilt std without the second flag.
    RUSTFLAGS: '-Zsanitizer=thread -Cunsafe-allow-abi-mismatch=sanitizer',
    TSAN_OPTIONS: `halt_on_error=0 exitcode=66 symbolize=1${check.suppressions ? ` suppressions=${projectDir}/${check.suppressions}` : ''}`,
  };
}

function unavailable(check: TsanCheck, why: string): { step: StepRecord; diagnostics: string } {
  return {
    step: { name: check.name, ok: false, status: 'unavailable', durationMs: 0, exitCode: null },
    diagnostics: `The ${check.name} check could not run on this host (${why}): the verdict cannot be established.`,
  };
}

/**
 * Builds a `harness = false` stress target with the nightly toolchain under ThreadSanitizer and runs the
 * binary directly (cargo's exit code mixes compile errors and panics). Verdict, in order: timeout fails;
 * a sanitizer fault or an unsymbolized report is the host's problem (unavailable, never a pass); a race
 * in the submission's files fails; the program must print its completion line and exit 0 or 66.
 */
export async function runTsanCheck(
  check: TsanCheck,
  ctx: ToolchainContext,
  baseEnv: Record<string, string>,
  /** Inside the grading's own target folder (fresh, removed with its workspace). */
  targetDir: string,
): Promise<{ step: StepRecord; diagnostics: string }> {
  if (!ctx.env.nightly) return unavailable(check, 'no nightly Rust toolchain');
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return unavailable(check, `ThreadSanitizer is not set up for ${process.platform}-${process.arch}`);
  mkdirSync(targetDir, { recursive: true });
  const env: Record<string, string> = {
    ...baseEnv,
    CARGO_TARGET_DIR: targetDir,
    ...tsanEnv(check, ctx.ws.dir),
  };
  // The sources stay read-only: the tests that ran before cannot swap the code this check builds.
  const scratch = { scratch: [ctx.ws.scratch], quotaRoot: ctx.ws.root };
  const buildMounts = { writable: [targetDir], readable: [], readOnly: [ctx.ws.dir], ...scratch };
  const runMounts = { writable: [], readable: [targetDir], readOnly: [ctx.ws.dir], ...scratch };
  const timeoutMs = (check.timeout ?? 180) * 1000;
  const build = await execSandboxed(
    ctx.env,
    [...tsanCargoTest(check), '--no-run', '--message-format=json-render-diagnostics'],
    buildMounts,
    { cwd: ctx.ws.dir, env, timeoutMs },
  );
  const executable = testExecutables(build.stdout, [check.target]).get(check.target);
  if (build.timedOut)
    return {
      step: stepRecord(check.name, build, false),
      diagnostics: `The ${check.name} build ran past its time limit.`,
    };
  if (build.exitCode !== 0 || !executable)
    return unavailable(
      check,
      `the nightly ThreadSanitizer build failed: ${build.stderr.split('\n').filter(Boolean).slice(-2).join(' ')}`,
    );

  const run = await execSandboxed(ctx.env, [executable], runMounts, { cwd: ctx.ws.dir, env, timeoutMs });
  const step = (ok: boolean): StepRecord => ({
    ...stepRecord(check.name, run, ok),
    durationMs: build.durationMs + run.durationMs,
  });
  if (run.timedOut || run.outputExceeded || run.diskExceeded)
    return {
      step: step(false),
      diagnostics: `The ${check.name} stress run did not finish within ${timeoutMs / 1000} s (a lost wake-up or a livelock?).`,
    };
  if (/FATAL: ThreadSanitizer|CHECK failed/.test(run.stderr))
    return unavailable(check, 'ThreadSanitizer itself failed on this host');
  const prefixes = [`${ctx.ws.dir}/src/`];
  const { counted, unsymbolized } = parseTsanReports(run.stderr, prefixes);
  if (unsymbolized)
    return unavailable(
      check,
      'ThreadSanitizer reports could not be symbolized (no llvm-symbolizer or addr2line)',
    );
  if (counted.length) {
    const shown = counted
      .slice(0, 3)
      .map((r) =>
        [r.warning, ...r.sections.flatMap((s) => [`  ${s.header}`, ...s.frames.map((f) => `    ${f}`)])].join(
          '\n',
        ),
      );
    return {
      step: step(false),
      diagnostics: `ThreadSanitizer found ${counted.length} data race report(s) in your code while a producer and a consumer thread ran concurrently:\n\n${shown.join('\n\n')}`,
    };
  }
  const completed = run.stdout.split('\n').some((l) => l.startsWith('tsan-check: complete'));
  if (!completed || (run.exitCode !== 0 && run.exitCode !== 66)) {
    const panic = run.stderr.split('\n').findIndex((l) => l.includes('panicked at'));
    const detail =
      panic >= 0
        ? run.stderr
            .split('\n')
            .slice(panic, panic + 2)
            .join('\n')
        : `exit code ${run.exitCode}`;
    return {
      step: step(false),
      diagnostics: `The ${check.name} stress program did not complete:\n${detail}`,
    };
  }
  return { step: step(true), diagnostics: '' };
}

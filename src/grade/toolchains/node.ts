import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { holdEntry } from '../../cache/holds.js';
import { ensureFixture, fixtureDir } from '../../tasks/fixture.js';
import { parseVitestReport } from '../parse-vitest.js';
import { readHostileFile } from '../safe-read.js';
import { sandboxEnv } from '../sandbox-env.js';
import {
  emptyObservation,
  execSandboxed,
  recordTestCounts,
  stepRecord,
  stopRunawayTests,
  type Toolchain,
} from './types.js';

/** A real report of a task's hidden tests is a few KiB; reading one never takes long. */
const REPORT_LIMITS = { maxBytes: 16 * 1024 ** 2, timeoutMs: 10_000 };

/** React / TypeScript tasks: `tsc` (typecheck) then vitest (hidden tests, JSON report) in the fixture's setup. */
export const nodeToolchain: Toolchain = {
  async prepare(suite, env, log) {
    if (!suite.fixture) throw new Error(`suite ${suite.name}: a node suite needs a fixture`);
    // Held before it is looked for, so a prune by a concurrent run cannot remove it under this one.
    env.holds.push(holdEntry(fixtureDir(suite, env.cacheDir)));
    env.fixtures.set(suite.name, path.join(await ensureFixture(suite, env.cacheDir, log), 'node_modules'));
  },

  async grade({ task, ws, env }) {
    const obs = emptyObservation();
    const procEnv = sandboxEnv(ws.scratch, {}, env.hostEnv);
    const node = process.execPath;
    // The project is read-only while tsc and the tests run; they write only to capped scratch space
    // (HOME/TMPDIR and Vite's cache, see the fixture's vitest.config.ts) and vitest to its report.
    const viteCache = path.join(ws.dir, '.cache');
    mkdirSync(viteCache, { recursive: true });
    const reportPath = path.join(ws.private, 'vitest-report.json');
    // Created by the harness and bound into the sandbox as this one file: with namespaces code under
    // test can write into it but never replace it (a FIFO, a symlink to /dev/zero); it is read as
    // hostile anyway, since without namespaces it can.
    writeFileSync(reportPath, '');
    const mounts = {
      writable: [] as string[],
      readable: [env.fixtures.get(task.suite.name)!],
      readOnly: [ws.dir, ...ws.protectedPaths],
      scratch: [ws.scratch, viteCache],
      quotaRoot: ws.root,
    };

    const tsc = await execSandboxed(
      env,
      [node, 'node_modules/typescript/bin/tsc', '-p', '.', '--pretty', 'false'],
      mounts,
      {
        cwd: ws.dir,
        env: procEnv,
        timeoutMs: task.timeouts.build * 1000,
      },
    );
    const tscOk = tsc.exitCode === 0 && !tsc.timedOut;
    obs.steps.push(stepRecord('typecheck', tsc, tscOk));
    if (!tscOk) {
      obs.failedStep = { name: 'typecheck', class: tsc.timedOut ? 'timeout' : 'build' };
      obs.diagnostics = `${tsc.stdout}\n${tsc.stderr}`;
      return obs;
    }

    // Node's heap cap turns a JS memory bomb into a crash of the test run, not of the machine.
    const vitest = await execSandboxed(
      env,
      [
        node,
        '--max-old-space-size=3072',
        'node_modules/vitest/vitest.mjs',
        'run',
        '--configLoader=runner',
        '--reporter=json',
        `--outputFile=${reportPath}`,
      ],
      { ...mounts, writable: [reportPath] },
      { cwd: ws.dir, env: procEnv, timeoutMs: task.timeouts.test * 1000 },
    );
    if (vitest.timedOut || vitest.outputExceeded || vitest.diskExceeded) {
      return stopRunawayTests(
        obs,
        vitest,
        task.timeouts.test,
        'an infinite loop or a promise that never settles?',
      );
    }
    const read = await readHostileFile(reportPath, REPORT_LIMITS);
    if (!read.ok && !/does not exist/.test(read.problem)) {
      obs.steps.push(stepRecord('test', vitest, false));
      obs.failedStep = { name: 'test', class: 'test' };
      obs.diagnostics = `The test report could not be read: ${read.problem}. Code under test must not touch the test runner's files.`;
      return obs;
    }
    const report = parseVitestReport(read.ok ? read.text : null);
    if (!report) {
      obs.steps.push(stepRecord('test', vitest, false));
      obs.failedStep = { name: 'test', class: 'test' };
      obs.diagnostics = `The test run ended without a test report (exit code ${vitest.exitCode}); did the code exit the process?\n${vitest.stderr.slice(-1500)}`;
      return obs;
    }
    recordTestCounts(obs, task, report);
    if (report.fileErrors.length) obs.diagnostics = report.fileErrors.join('\n');
    // vitest's JSON report says success even when an error escaped every test (an unhandled rejection,
    // an error thrown after a test ended); only its exit code tells. Report the error lines, not the
    // console's code frames, which may quote hidden tests.
    if (vitest.exitCode !== 0 && report.failed === 0 && !report.fileErrors.length) {
      const errorLines = `${vitest.stdout}\n${vitest.stderr}`
        .split('\n')
        .filter((l) => /^\s*(?:\w*Error\b|Unhandled|TypeError|This error)/.test(l));
      obs.diagnostics = `Errors were raised outside any test (an unhandled promise rejection, or an error thrown after a test ended):\n${errorLines.slice(0, 10).join('\n')}`;
    }
    const ok = report.failed === 0 && report.fileErrors.length === 0 && vitest.exitCode === 0;
    obs.steps.push(stepRecord('test', vitest, ok));
    if (!ok) obs.failedStep = { name: 'test', class: 'test' };
    return obs;
  },
};

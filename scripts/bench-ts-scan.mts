// Tamper-scan speed on large node replies, the TypeScript scan beside the regex scan it replaced
// (kept below only as the baseline; the machine is shared and noisy, so only the ratios mean anything).
//   npx tsx scripts/bench-ts-scan.mts [--kb 1024] [--repeat 3]
// Target: a 1 MB reply scanned well under a second, growing linearly with its size.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { nodeModulePolicy, scanNodeSubmission } from '../src/grade/scan/ts-scan.js';
import { builtinTasksRoot, loadTasks } from '../src/tasks/loader.js';

const { values } = parseArgs({
  options: { kb: { type: 'string', default: '1024' }, repeat: { type: 'string', default: '3' } },
});
const bytes = Number(values.kb) * 1024;
const repeat = Number(values.repeat);
const task = loadTasks([builtinTasksRoot()]).find((t) => t.key === 'react/L4-postscrud')!;
const policy = nodeModulePolicy(task);

/** The node rules of the regex scan before this one (commit a5a49ed), for comparison only. */
const OLD_NODE_PATTERNS = [
  /\/proc\//,
  /test result: ok|\.\.\. ok\\n|\btest\s+\{[^}]*\}\s+\.\.\.|numPassedTests|"numFailedTests"|assertionResults|'assertion'\s*\+/,
  /(?:from\s+|require\(\s*|import\(\s*)['"](?:vitest(?:\/[^'"]*)?|@vitest\/[^'"]*|chai|@testing-library\/[^'"]*)['"]/,
  /\bglobalThis\b|\b(?:window|global|self|process)\s*\[|\b(?:global|self)\s*\.\s*(?:expect|describe|it|test|vi|chai)\b|\b__vitest_\w+/,
  /\binspector\b|insp'\s*\+|\bgetBuiltinModule\b|\bconnectToMainThread\b|\bSIGUSR1\b|\b_debugProcess\b/,
  /\basymmetricMatch\b/,
  /\bprocess\s*\.\s*(?:exit|kill|abort|reallyExit|binding|_linkedBinding|dlopen|stdout|stderr)\b/,
  /['"](?:node:)?(?:child_process|fs|fs\/promises|net|http|https|http2|dgram|worker_threads|cluster|vm|v8|inspector|module|os)['"]/,
  /\bprocess\s*\.\s*env\b(?!\s*\.\s*NODE_ENV\b)/,
  /\b(?:Object|Array|Function|Promise|String|Number|Element|Node|HTMLElement)\.prototype\.\w+\s*=(?!=)|Object\.(?:defineProperty|setPrototypeOf)\s*\(\s*(?:globalThis|window|Object\.prototype|Array\.prototype)/,
];
const oldScan = (text: string) => OLD_NODE_PATTERNS.filter((p) => p.test(text)).length;

function fill(unit: (i: number) => string): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const s = unit(i);
    parts.push(s);
    size += s.length;
  }
  return parts.join('');
}

const reference = task.reference.get('src/PostsCrud.tsx')!;
const inputs: [string, string][] = [
  // An honest, long reply: the reference component, renamed and repeated.
  ['honest components', fill((i) => reference.replaceAll('PostsCrud', `PostsCrud${i}`))],
  // What made the regex scan quadratic: unbounded classes that never find their end.
  ['"test {" without "}"', fill(() => 'const test = 1; // test {\n')],
  [
    'long member chains',
    fill((i) => `export const v${i} = a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z;\n`),
  ],
  [
    'globals read by name',
    fill((i) => `export const id${i} = globalThis.crypto.randomUUID() + window.location.hash;\n`),
  ],
];

/** Median CPU time (user + system) of `fn`: less skewed than wall time on a machine shared with other jobs. */
const time = (fn: () => unknown) => {
  const runs: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const t0 = process.cpuUsage();
    fn();
    const t = process.cpuUsage(t0);
    runs.push((t.user + t.system) / 1000);
  }
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
};

console.log(
  `reply size ${(bytes / 1024).toFixed(0)} KB; median CPU time of ${repeat}; load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
);
console.log('input                      | TypeScript scan | regex scan (old) | old / new');
// Warm up: the first parse also compiles the TypeScript parser itself.
scanNodeSubmission(new Map([['src/a.tsx', inputs[0]![1].slice(0, 64 * 1024)]]), [], policy);
for (const [name, text] of inputs) {
  const files = new Map([['src/PostsCrud.tsx', text]]);
  const newMs = time(() => scanNodeSubmission(files, [], policy));
  // The old scan is quadratic on some inputs: one run, and only up to 128 KB, is enough to show it.
  const oldText = text.slice(0, Math.min(text.length, 128 * 1024));
  const oldMs = time(() => oldScan(oldText)) * (text.length / oldText.length);
  const note = oldText.length < text.length ? ' (128 KB run, scaled linearly: a lower bound)' : '';
  console.log(
    `${name.padEnd(26)} | ${newMs.toFixed(0).padStart(12)} ms | ${oldMs.toFixed(0).padStart(13)} ms | ${(oldMs / newMs).toFixed(2)}x${note}`,
  );
}

// Determinism: every reference must pass every grading. Grades each selected task's reference N times
// (fresh workspace each time, as a real attempt) and prints passes / N per task.
//   npx tsx scripts/determinism.mts [--repeat 20] [--tasks …] [--concurrency 2]
import { parseArgs } from 'node:util';
import { gradeFiles } from '../src/grade/grade.js';
import { prepareGrading } from '../src/run/environment.js';
import { Pool } from '../src/run/pool.js';
import { builtinTasksRoot, loadTasks, selectTasks } from '../src/tasks/loader.js';

const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '20' },
    tasks: { type: 'string' },
    concurrency: { type: 'string', default: '2' },
  },
});
const repeat = Number(values.repeat);
const tasks = selectTasks(loadTasks([builtinTasksRoot()]), undefined, values.tasks?.split(','));
const { env } = await prepareGrading(tasks, process.env, (l) => console.error(l));
const pool = new Pool(Number(values.concurrency));
let failures = 0;
for (const task of tasks) {
  const outcomes = await Promise.all(
    Array.from({ length: repeat }, () =>
      pool.use((slot) => gradeFiles(task, task.reference, { env, slot, feedbackChars: 4000 })),
    ),
  );
  const passes = outcomes.filter((o) => o.outcome === 'pass').length;
  failures += repeat - passes;
  const odd = outcomes
    .filter((o) => o.outcome !== 'pass')
    .map((o) => `${o.outcome}: ${(o.feedback ?? '').split('\n').slice(0, 4).join(' ')}`);
  console.log(`${task.key}: ${passes}/${repeat} passed${odd.length ? `\n  ${odd.join('\n  ')}` : ''}`);
}
process.exitCode = failures ? 1 : 0;

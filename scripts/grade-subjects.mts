// Grades chosen subjects of one task (the reference and/or named mutants) and prints each outcome: a
// quick loop while writing a mutant or a hidden test, without validating the whole task.
//   npx tsx scripts/grade-subjects.mts --task rust/L5-spsc-ring [--subjects reference,final-drop-release-only]
import { parseArgs } from 'node:util';
import { gradeFiles } from '../src/grade/grade.js';
import { prepareGrading } from '../src/run/environment.js';
import { mutantVerdict } from '../src/run/validate.js';
import { builtinTasksRoot, loadTasks, selectTasks } from '../src/tasks/loader.js';

const { values } = parseArgs({ options: { task: { type: 'string' }, subjects: { type: 'string' } } });
if (!values.task) throw new Error('--task <suite/id> is required');
const [task] = selectTasks(loadTasks([builtinTasksRoot()]), undefined, [values.task]);
const wanted = values.subjects?.split(',') ?? ['reference', ...task!.mutants.map((m) => m.name)];
const { env } = await prepareGrading([task!], process.env, (l) => console.error(l));
for (const subject of wanted) {
  const mutant = task!.mutants.find((m) => m.name === subject);
  if (subject !== 'reference' && !mutant) throw new Error(`${subject}: no such mutant`);
  const result = await gradeFiles(task!, mutant ? mutant.files : task!.reference, {
    env,
    slot: 0,
    feedbackChars: 4000,
  });
  const verdict = mutant
    ? mutantVerdict(result, mutant.expect)
    : { ok: result.outcome === 'pass', detail: result.outcome };
  console.log(
    `${verdict.ok ? 'ok  ' : 'FAIL'} ${subject}: ${verdict.detail} (${(result.gradeMs / 1000).toFixed(1)} s)`,
  );
  if (!verdict.ok && result.feedback) console.log(result.feedback.slice(0, 3000));
}

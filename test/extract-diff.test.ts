import path from 'node:path';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { gradeReply } from '../src/grade/grade.js';
import type { GradeEnv } from '../src/grade/toolchains/types.js';
import { cargoDiagnostics } from '../src/grade/parse-cargo.js';
import { DIFF_REJECTED, extractFiles, isUnifiedDiff } from '../src/prompt/extract.js';
import { loadTasks } from '../src/tasks/loader.js';

const DIFF = `--- a/src/StatCard.tsx
+++ b/src/StatCard.tsx
@@ -1,3 +1,3 @@
 import { useId } from 'react';
-export const A = 1;
+export const A = 2;
 export const B = 3;
`;

const rules = (globs: string[], singleEditable: string | null = null) => ({
  isEditable: picomatch(globs),
  knownFiles: [],
  singleEditable,
});

describe('unified diffs in replies', () => {
  it('recognises a unified diff, and not source code that merely contains minus signs', () => {
    expect(isUnifiedDiff(DIFF)).toBe(true);
    expect(isUnifiedDiff('const a = b - c;\n--x;\n// --- a note\n')).toBe(false);
  });

  it.each([
    ['a ```diff block', `\`\`\`diff\n${DIFF}\`\`\`\n`],
    ['a diff in a block labelled with the path', `\`\`\`tsx src/StatCard.tsx\n${DIFF}\`\`\`\n`],
    ['a single unlabelled block that is a diff', `\`\`\`\n${DIFF}\`\`\`\n`],
    ['a bare diff without fences', DIFF],
  ])('rejects %s instead of writing it into the file', (_name, reply) => {
    const { files, rejected } = extractFiles(reply, rules(['src/StatCard.tsx'], 'src/StatCard.tsx'));
    expect([...files.keys()]).toEqual([]);
    expect(rejected).toEqual([{ path: 'src/StatCard.tsx', reason: DIFF_REJECTED }]);
  });

  it('still takes the whole files of a reply that also shows a diff', () => {
    const reply = `\`\`\`diff\n${DIFF}\`\`\`\n\n\`\`\`tsx src/StatCard.tsx\nexport const A = 2;\n\`\`\`\n`;
    const { files, rejected } = extractFiles(reply, rules(['src/**']));
    expect([...files]).toEqual([['src/StatCard.tsx', 'export const A = 2;\n']]);
    expect(rejected).toHaveLength(1);
  });

  it('grades a diff reply as malformed, saying diffs are not accepted, in both suites', async () => {
    const tasks = [
      ...loadTasks([path.join(import.meta.dirname, '..', 'tasks')]).filter(
        (t) => t.key === 'react/L1-statcard',
      ),
      ...loadTasks([path.join(import.meta.dirname, 'fixtures', 'tasks')])
        .filter((t) => t.suite.toolchain === 'rust')
        .slice(0, 1),
    ];
    expect(tasks.map((t) => t.suite.toolchain).sort()).toEqual(['node', 'rust']);
    for (const task of tasks) {
      const result = await gradeReply(
        task,
        `\`\`\`diff\n${DIFF.replaceAll('src/StatCard.tsx', task.editable[0]!.replace('**/*.rs', 'lib.rs'))}\`\`\`\n`,
        {
          // A malformed reply is refused before any toolchain runs: no environment is needed.
          env: {} as GradeEnv,
          slot: 0,
          feedbackChars: 4000,
        },
      );
      expect(result.outcome, task.key).toBe('malformed');
      expect(result.feedback, task.key).toContain('diffs are not accepted');
    }
  });
});

describe('cargoDiagnostics', () => {
  it('reports an error once when the library and library-test targets both hit it', () => {
    const message = {
      reason: 'compiler-message',
      message: {
        message: 'mismatched types',
        code: { code: 'E0308' },
        level: 'error',
        spans: [{ file_name: 'src/lib.rs', line_start: 3, column_start: 5, is_primary: true }],
        children: [],
        rendered: 'error[E0308]: mismatched types\n --> src/lib.rs:3:5\n',
      },
    };
    const stdout = [
      JSON.stringify({ ...message, target: { kind: ['lib'] } }),
      JSON.stringify({ ...message, target: { kind: ['lib'], test: true } }),
    ].join('\n');
    expect(cargoDiagnostics(stdout, (rel) => rel.startsWith('src/'))).toEqual([
      'error[E0308]: mismatched types\n --> src/lib.rs:3:5',
    ]);
  });
});

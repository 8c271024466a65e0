import { describe, expect, it } from 'vitest';
import type { GradeResult } from '../src/grade/types.js';
import { checkRequirementMaps, type ValidationItem } from '../src/run/validate.js';
import { hiddenTestNames } from '../src/tasks/hidden-tests.js';
import { builtinTasksRoot, loadTasks, type Task } from '../src/tasks/loader.js';
import { applyMutantPatch, createMutantPatch } from '../src/tasks/mutant-patch.js';
import {
  parseRequirements,
  staticRequirementProblems,
  unprovenRequirements,
  type CoverageSubject,
} from '../src/tasks/requirements.js';

const MAP = `# Requirements: demo

Free text before the first section is ignored.

## R1 Currency has two decimals
> \`currency\`: exactly 2 decimals
- test: formats currency
- mutant: \`currency-tofixed\`

## R2 Named exports
> named exports only
- check: typecheck
- mutant: default-export

## R3 Arrow hidden
> hide it from assistive technology
- unobservable: children of role=img are presentational
`;

const subject: CoverageSubject = {
  hiddenTests: ['formats currency with two decimals', 'shows a zero value'],
  steps: ['typecheck', 'test'],
  mutants: new Map([
    ['currency-tofixed', { fails: ['formats currency'] }],
    ['default-export', { fails: ['typecheck'] }],
    ['falsy-empty', { fails: ['shows a zero value'] }],
  ]),
};

describe('parseRequirements', () => {
  it('reads ids, quotes, tests, checks, mutants and unobservable reasons', () => {
    const reqs = parseRequirements(MAP, 'REQUIREMENTS.md');
    expect(reqs.map((r) => r.id)).toEqual(['R1', 'R2', 'R3']);
    expect(reqs[0]).toMatchObject({
      summary: 'Currency has two decimals',
      quote: '`currency`: exactly 2 decimals',
      tests: ['formats currency'],
      mutants: ['currency-tofixed'],
      unobservable: null,
    });
    expect(reqs[1]!.checks).toEqual(['typecheck']);
    expect(reqs[2]!.unobservable).toBe('children of role=img are presentational');
  });

  it.each([
    ['a requirement without a test', '## R1 x\n> q\n- mutant: m\n', /R1: .*test:/],
    ['a requirement without a mutant', '## R1 x\n> q\n- test: t\n', /R1: .*mutant:/],
    ['a requirement without a quote', '## R1 x\n- test: t\n- mutant: m\n', /R1: quote/],
    ['an unknown line', '## R1 x\n> q\n- tests: t\n- mutant: m\n', /REQUIREMENTS.md:3: expected/],
    [
      'a duplicate id',
      '## R1 x\n> q\n- test: t\n- mutant: m\n## R1 y\n> q\n- test: t\n- mutant: m\n',
      /R1 is defined twice/,
    ],
    ['no section', '# nothing here\n', /no "## R1/],
  ])('refuses %s with one clear line', (_name, text, message) => {
    expect(() => parseRequirements(text, 'REQUIREMENTS.md')).toThrow(message);
  });
});

describe('requirement coverage', () => {
  const reqs = parseRequirements(MAP, 'REQUIREMENTS.md');

  it('finds nothing wrong with a map that names existing tests and killing mutants', () => {
    expect(staticRequirementProblems(reqs, subject)).toEqual([]);
  });

  it('reports unknown tests, unknown mutants and mutants whose why.md names another test', () => {
    const bad = parseRequirements(
      '## R1 x\n> q\n- test: no such test\n- mutant: currency-tofixed\n## R2 y\n> q\n- test: shows a zero\n- mutant: ghost\n- mutant: currency-tofixed\n## R3 z\n> q\n- check: clippy\n- mutant: default-export\n',
      'R.md',
    );
    expect(staticRequirementProblems(bad, subject)).toEqual([
      'R1: test "no such test" matches no hidden test',
      `R1: mutant "currency-tofixed"'s why.md names none of the requirement's tests or checks`,
      'R2: mutant "ghost" does not exist',
      `R2: mutant "currency-tofixed"'s why.md names none of the requirement's tests or checks`,
      'R3: check "clippy" is not a step of this task (typecheck, test)',
      `R3: mutant "default-export"'s why.md names none of the requirement's tests or checks`,
    ]);
  });

  it('proves a requirement only when a mapped mutant met its why.md and failed one of its tests', () => {
    const killed = new Map([
      ['currency-tofixed', { met: true, failing: ['StatCard > formats currency with two decimals'] }],
      ['default-export', { met: true, failing: ['typecheck'] }],
    ]);
    expect(unprovenRequirements(reqs, subject, killed)).toEqual([]);
    const passed = new Map([
      ['currency-tofixed', { met: false, failing: [] }],
      ['default-export', { met: true, failing: ['typecheck'] }],
    ]);
    expect(unprovenRequirements(reqs, subject, passed)).toEqual([
      'R1 (Currency has two decimals): no mapped mutant was seen failing formats currency with two decimals',
    ]);
  });
});

describe('checkRequirementMaps', () => {
  const result = (failingTests: string[]): GradeResult => ({
    outcome: 'test',
    files: [],
    rejected: [],
    steps: [],
    tests: null,
    failingTests,
    harnessFaults: [],
    feedback: null,
    gradeMs: 1,
    suspect: [],
  });
  const task = {
    key: 'demo/L1-x',
    suite: { toolchain: 'node' },
    checks: [],
    hiddenTests: ['formats currency with two decimals'],
    mutants: [{ name: 'currency-tofixed', expect: { class: 'test', fails: ['formats currency'] } }],
    requirements: parseRequirements(
      '## R1 x\n> q\n- test: formats currency\n- mutant: currency-tofixed\n',
      'R.md',
    ),
  } as unknown as Task;
  const item = (ok: boolean, failing: string[]): ValidationItem => ({
    task: 'demo/L1-x',
    subject: 'mutant:currency-tofixed',
    ok,
    detail: '',
    gradeMs: 1,
    result: result(failing),
  });

  it('passes when the mapped mutant failed the mapped test', () => {
    expect(checkRequirementMaps([task], [item(true, ['formats currency with two decimals'])])).toEqual([
      { task: 'demo/L1-x', requirements: 1, unobservable: 0, problems: [] },
    ]);
  });

  it('reports the requirement when its mutant passed the hidden tests', () => {
    const [coverage] = checkRequirementMaps([task], [item(false, [])]);
    expect(coverage!.problems).toHaveLength(1);
    expect(coverage!.problems[0]).toMatch(/^R1 .*no mapped mutant/);
  });

  it('says a task without a map is not checked rather than failing it', () => {
    expect(checkRequirementMaps([{ ...task, requirements: null } as Task], [])).toEqual([
      { task: 'demo/L1-x', requirements: null, unobservable: 0, problems: [] },
    ]);
  });
});

describe('hiddenTestNames', () => {
  it('lists vitest titles and Rust #[test] functions, not commented-out ones', () => {
    const hidden = new Map([
      [
        'tests/A.test.tsx',
        "describe('A', () => {\n  it('shows \\'quoted\\' text', () => {});\n  // it('commented out', () => {});\n  test(\"second\", () => {});\n});\n",
      ],
      [
        'tests/cli.rs',
        '#[test]\nfn first() {}\n#[test]\n#[should_panic(expected = "x")]\nfn second() {}\n// #[test]\n// fn gone() {}\nfn helper() {}\n',
      ],
      ['tests/helpers.ts', "it('not a test file', () => {});"],
    ]);
    expect(hiddenTestNames(hidden)).toEqual(["shows 'quoted' text", 'second', 'first', 'second']);
  });
});

describe('mutant patches', () => {
  const starter = new Map([
    ['src/lib.rs', 'todo\n'],
    ['Cargo.toml', '[package]\n'],
  ]);
  const reference = new Map([['src/lib.rs', 'fn a() {\n    1\n}\n']]);

  it('round-trips: the patch of a full-copy mutant reproduces it over the reference', () => {
    const mutant = new Map([
      ['src/lib.rs', 'fn a() {\n    2\n}\n'],
      ['src/extra.rs', 'pub fn b() {}\n'],
    ]);
    const patch = createMutantPatch(reference, starter, mutant);
    expect(patch).toContain('-    1\n+    2');
    expect(applyMutantPatch(patch, reference, starter)).toEqual(mutant);
  });

  it('patches a starter file the reference does not touch', () => {
    const mutant = new Map([...reference, ['Cargo.toml', '[package]\nname = "x"\n']]);
    const patch = createMutantPatch(reference, starter, mutant);
    expect(applyMutantPatch(patch, reference, starter).get('Cargo.toml')).toBe('[package]\nname = "x"\n');
  });

  it('refuses a patch whose context no longer matches the reference', () => {
    const patch = createMutantPatch(reference, starter, new Map([['src/lib.rs', 'fn a() {\n    2\n}\n']]));
    const changed = new Map([['src/lib.rs', 'fn a() {\n    3\n}\n']]);
    expect(() => applyMutantPatch(patch, changed, starter)).toThrow(/src\/lib.rs: a hunk does not apply/);
  });
});

describe('built-in tasks', () => {
  const tasks = loadTasks([builtinTasksRoot()]);

  it('every task has a requirement map whose tests, checks and mutants exist and agree', () => {
    for (const task of tasks) {
      expect(task.requirements, `${task.key} has a REQUIREMENTS.md`).not.toBeNull();
      const subject: CoverageSubject = {
        hiddenTests: task.hiddenTests,
        steps: [
          task.suite.toolchain === 'node' ? 'typecheck' : 'build',
          'test',
          ...task.checks.map((c) => c.name),
        ],
        mutants: new Map(task.mutants.map((m) => [m.name, { fails: m.expect.fails ?? [] }])),
      };
      expect(staticRequirementProblems(task.requirements!, subject), task.key).toEqual([]);
    }
  });

  it('declares exactly as many hidden tests as task.yml expects', () => {
    for (const task of tasks) expect(task.hiddenTests.length, task.key).toBe(task.expectedTests);
  });

  it('stores every built-in mutant as a patch that applies to the current reference', () => {
    for (const task of tasks) {
      for (const m of task.mutants) expect(m.stored, `${task.key} ${m.name}`).toBe('patch');
    }
  });
});

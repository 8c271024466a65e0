import { z } from 'zod';
import { UsageError } from '../errors.js';
import { describeZodError } from './schema.js';

/**
 * One requirement of a task's prompt, from `REQUIREMENTS.md`: the sentence(s) it rests on, the hidden
 * tests or checks that fail when it is violated, and the mutants that prove those tests do fail.
 */
export interface Requirement {
  /** `R1`, `R2`, … unique within the task. */
  id: string;
  summary: string;
  /** The prompt's own words (one or more `>` lines). */
  quote: string;
  /** Substrings of hidden test names (vitest full names, libtest paths). */
  tests: string[];
  /** Step names: a task check, or `typecheck` (node) / `build` (rust) for the compile step. */
  checks: string[];
  mutants: string[];
  /** Why no test can observe it in this environment (then tests and mutants may be empty). */
  unobservable: string | null;
}

const requirementSchema = z
  .strictObject({
    id: z.string().regex(/^R[0-9]+$/, 'like R1'),
    summary: z.string().min(1),
    quote: z.string().min(1, 'quote the prompt sentence(s) in `>` lines'),
    tests: z.array(z.string().min(1)),
    checks: z.array(z.string().min(1)),
    mutants: z.array(z.string().min(1)),
    unobservable: z.string().min(1).nullable(),
  })
  .refine((r) => r.unobservable !== null || r.tests.length + r.checks.length > 0, {
    message: 'needs at least one `- test:` or `- check:` line (or `- unobservable: <why>`)',
  })
  .refine((r) => r.unobservable !== null || r.mutants.length > 0, {
    message: 'needs at least one `- mutant:` line that fails its test (or `- unobservable: <why>`)',
  });

const HEADING = /^## (R[0-9]+)\b[:.]?\s*(.*)$/;
const ITEM = /^- (test|check|mutant|unobservable):\s*(.+?)\s*$/;

/**
 * Parses a `REQUIREMENTS.md`: free text, then one `## R<n> summary` section per requirement with
 * `> quoted prompt text` lines and `- test: …`, `- check: …`, `- mutant: …` or `- unobservable: …` items.
 * Any other non-blank line inside a section is refused, so a typo never silently drops a mapping.
 */
export function parseRequirements(text: string, file: string): Requirement[] {
  const out: Requirement[] = [];
  let current: Requirement | null = null;
  let lineNo = 0;
  const finish = (): void => {
    if (!current) return;
    const parsed = requirementSchema.safeParse(current);
    if (!parsed.success) throw new UsageError(`${file}: ${current.id}: ${describeZodError(parsed.error)}`);
    if (out.some((r) => r.id === current!.id)) throw new UsageError(`${file}: ${current.id} is defined twice`);
    out.push(current);
  };
  for (const raw of text.split('\n')) {
    lineNo++;
    const line = raw.trimEnd();
    const heading = HEADING.exec(line);
    if (heading) {
      finish();
      current = {
        id: heading[1]!,
        summary: heading[2] ?? '',
        quote: '',
        tests: [],
        checks: [],
        mutants: [],
        unobservable: null,
      };
      continue;
    }
    if (!current || !line.trim()) continue;
    if (line.startsWith('>')) {
      current.quote = `${current.quote} ${line.slice(1).trim()}`.trim();
      continue;
    }
    const item = ITEM.exec(line);
    if (!item) {
      throw new UsageError(
        `${file}:${lineNo}: expected "> quote", "- test: …", "- check: …", "- mutant: …" or "- unobservable: …" in ${current.id}`,
      );
    }
    const value = item[2]!.replace(/^`(.*)`$/, '$1');
    if (item[1] === 'test') current.tests.push(value);
    else if (item[1] === 'check') current.checks.push(value);
    else if (item[1] === 'mutant') current.mutants.push(value);
    else current.unobservable = value;
  }
  finish();
  if (!out.length) throw new UsageError(`${file}: no "## R1 …" requirement sections`);
  return out;
}

/** What a requirement map is checked against: the task's hidden tests, steps and mutants. */
export interface CoverageSubject {
  hiddenTests: string[];
  steps: string[];
  mutants: Map<string, { fails: string[] }>;
}

/** Hidden test (or step) names a requirement's `tests`/`checks` entries resolve to. */
export function requirementTargets(req: Requirement, subject: CoverageSubject): string[] {
  const tests = subject.hiddenTests.filter((name) => req.tests.some((t) => name.includes(t)));
  return [...tests, ...req.checks.filter((c) => subject.steps.includes(c))];
}

/**
 * Pure, static half of the map check: every `test:` names an existing hidden test, every `check:` an
 * existing step, every `mutant:` an existing mutant whose why.md `fails` names one of the
 * requirement's tests or checks. Returns one line per problem.
 */
export function staticRequirementProblems(reqs: Requirement[], subject: CoverageSubject): string[] {
  const problems: string[] = [];
  for (const req of reqs) {
    for (const t of req.tests) {
      if (!subject.hiddenTests.some((name) => name.includes(t)))
        problems.push(`${req.id}: test "${t}" matches no hidden test`);
    }
    for (const c of req.checks) {
      if (!subject.steps.includes(c))
        problems.push(`${req.id}: check "${c}" is not a step of this task (${subject.steps.join(', ')})`);
    }
    const targets = requirementTargets(req, subject);
    for (const m of req.mutants) {
      const mutant = subject.mutants.get(m);
      if (!mutant) {
        problems.push(`${req.id}: mutant "${m}" does not exist`);
        continue;
      }
      if (!targets.some((name) => mutant.fails.some((f) => name.includes(f) || f === name)))
        problems.push(`${req.id}: mutant "${m}"'s why.md names none of the requirement's tests or checks`);
    }
  }
  return problems;
}

/**
 * The dynamic half, after grading: a requirement is proven when one of its mutants met its why.md and
 * actually failed one of the requirement's tests or checks. `failing` maps mutant name to the tests and
 * steps that failed in its grading, `met` to whether it failed the way its why.md says.
 */
export function unprovenRequirements(
  reqs: Requirement[],
  subject: CoverageSubject,
  graded: Map<string, { met: boolean; failing: string[] }>,
): string[] {
  const problems: string[] = [];
  for (const req of reqs) {
    if (req.unobservable !== null) continue;
    const targets = requirementTargets(req, subject);
    const killer = req.mutants.find((m) => {
      const g = graded.get(m);
      return g?.met && g.failing.some((name) => targets.some((t) => name.includes(t) || t.includes(name)));
    });
    if (!killer)
      problems.push(
        `${req.id} (${req.summary}): no mapped mutant was seen failing ${targets.join(' / ') || 'its tests'}`,
      );
  }
  return problems;
}

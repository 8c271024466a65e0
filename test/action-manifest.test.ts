/**
 * action.yml, the workflows and the README's example workflows, checked with GitHub's own workflow and
 * action parser (@actions/workflow-parser: the schema the Actions service and the VS Code extension use),
 * plus structure the schema cannot know: input names match src/action/names.ts exactly, every step that
 * uses this action passes only inputs it declares, and checkouts keep no credentials.
 */
import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { INPUT, INPUT_DEFAULTS, OUTPUT } from '../src/action/names.js';
import { tempDir } from './support/run-helpers.js';

type ParseResult = { context: { errors: { getErrors(): { message: string }[] } } };
type Parser = (file: { name: string; content: string }, trace: unknown) => ParseResult;
let parser: { parseWorkflow: Parser; parseAction: Parser; NoOperationTraceWriter: new () => unknown };

// The parser imports its JSON schemas without import attributes (it ships for bundlers), so it is
// bundled once here with esbuild rather than loaded by Node directly.
beforeAll(async () => {
  const outfile = path.join(tempDir('workflow-parser-'), 'parser.mjs');
  await build({
    stdin: {
      contents:
        "export { parseWorkflow, NoOperationTraceWriter } from '@actions/workflow-parser'; export { parseAction } from '@actions/workflow-parser/actions/index';",
      resolveDir: process.cwd(),
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    logLevel: 'error',
  });
  parser = await import(pathToFileURL(outfile).href);
});

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown> | string;
  permissions?: Record<string, string>;
  jobs: Record<
    string,
    {
      steps?: Step[];
      needs?: string | string[];
      uses?: string;
      with?: Record<string, unknown>;
      strategy?: { matrix?: Record<string, unknown> };
    }
  >;
}

const action = parseYaml(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};
const WORKFLOWS = path.join('.github', 'workflows');
const workflowFiles = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

function schemaErrors(name: string, content: string, kind: 'workflow' | 'action'): string[] {
  const trace = new parser.NoOperationTraceWriter();
  const result =
    kind === 'action'
      ? parser.parseAction({ name, content }, trace)
      : parser.parseWorkflow({ name, content }, trace);
  return result.context.errors.getErrors().map((e) => e.message);
}

/** Every step that runs this action (by its published name or `./`), in any job. */
function actionSteps(wf: Workflow): Step[] {
  return Object.values(wf.jobs)
    .flatMap((j) => j.steps ?? [])
    .filter((s) => s.uses === './' || s.uses?.startsWith('atomicolabs/aibench-action@'));
}

function readmeSection(): string {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('## GitHub Action');
  return readme.slice(start, readme.indexOf('\n## ', start + 5));
}

function readmeWorkflows(): string[] {
  return [...readmeSection().matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((y) => /^on:/m.test(y));
}

describe('the schema check itself', () => {
  it('catches what GitHub would reject: unknown keys, broken expressions, unknown runtimes', () => {
    const badWorkflow =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n    steps:\n      - run: echo ${{ foo( }}\n';
    expect(schemaErrors('bad.yml', badWorkflow, 'workflow').length).toBeGreaterThanOrEqual(2);
    const badAction = readFileSync('action.yml', 'utf8').replace('using: node24', 'using: node99');
    expect(schemaErrors('action.yml', badAction, 'action')).not.toEqual([]);
  });
});

describe('action.yml', () => {
  it("passes GitHub's action schema and runs the bundle on node24", () => {
    expect(schemaErrors('action.yml', readFileSync('action.yml', 'utf8'), 'action')).toEqual([]);
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('lists exactly the inputs and outputs the code reads and sets, with the same defaults, each described', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(INPUT).sort());
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(OUTPUT).sort());
    for (const [name, spec] of Object.entries(action.inputs)) {
      expect(spec.description, name).toBeTruthy();
      expect(spec.default === undefined ? undefined : String(spec.default), name).toBe(
        INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS],
      );
    }
  });
});

describe('workflows', () => {
  it.each(workflowFiles)("%s passes GitHub's workflow schema (expressions included)", (file) => {
    expect(schemaErrors(file, readFileSync(path.join(WORKFLOWS, file), 'utf8'), 'workflow')).toEqual([]);
  });

  it.each(workflowFiles)(
    '%s: checkouts keep no credentials; steps using the action pass only its inputs',
    (file) => {
      const wf = parseYaml(readFileSync(path.join(WORKFLOWS, file), 'utf8')) as Workflow;
      for (const step of Object.values(wf.jobs).flatMap((j) => j.steps ?? [])) {
        if (step.uses?.startsWith('actions/checkout@'))
          expect(step.with?.['persist-credentials'], file).toBe(false);
      }
      for (const step of actionSteps(wf))
        expect(
          Object.keys(step.with ?? {}).filter((k) => !(k in action.inputs)),
          file,
        ).toEqual([]);
      expect(wf.permissions ?? {}, file).toMatchObject({ contents: 'read' });
    },
  );

  it('aibench.yml is reusable: workflow_call inputs mirror the action, shards by model × suite, one merge job publishes', () => {
    const wf = parseYaml(readFileSync(path.join(WORKFLOWS, 'aibench.yml'), 'utf8')) as Workflow & {
      on: { workflow_call: { inputs: Record<string, unknown>; secrets: Record<string, unknown> } };
    };
    const call = wf.on.workflow_call;
    const runInputs = Object.values(INPUT).filter(
      (n) => !['github-token', 'results', 'artifact-name'].includes(n),
    );
    expect(runInputs.filter((n) => !(n in call.inputs))).toEqual([]);
    expect(Object.keys(call.secrets)).toEqual(
      expect.arrayContaining(['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'DEEPSEEK_API_KEY']),
    );
    expect(Object.keys(wf.jobs)).toEqual(['plan', 'shard', 'merge']);
    expect(Object.keys(wf.jobs.shard!.strategy!.matrix!)).toEqual(['model', 'suite']);
    const [shardStep] = actionSteps({ ...wf, jobs: { shard: wf.jobs.shard! } });
    expect(shardStep!.with).toMatchObject({
      comment: 'never',
      baseline: 'none',
      'artifact-name': 'aibench-shard-${{ strategy.job-index }}',
    });
    expect(wf.jobs.merge!.needs).toEqual(['plan', 'shard']);
    const [mergeStep] = actionSteps({ ...wf, jobs: { merge: wf.jobs.merge! } });
    expect(mergeStep!.with).toMatchObject({
      results: 'shards',
      'min-pass-rate': '${{ inputs.min-pass-rate }}',
    });
    expect(wf.jobs.merge!.steps!.some((s) => s.uses?.startsWith('actions/download-artifact@'))).toBe(true);
  });
});

describe('README "GitHub Action"', () => {
  it('documents every input, every output and the permissions', () => {
    const section = readmeSection();
    for (const name of [...Object.values(INPUT), ...Object.values(OUTPUT)])
      expect(section).toContain(`| \`${name}\` |`);
    expect(section).toMatch(/contents: read[\s\S]*pull-requests: write/);
    expect(section).toContain('persist-credentials: false');
  });

  it('has the PR-gate, nightly, manual and reusable-workflow examples, each a valid workflow using only real inputs', () => {
    const examples = readmeWorkflows();
    expect(examples).toHaveLength(4);
    const parsed = examples.map((y) => parseYaml(y) as Workflow);
    expect(parsed.map((w) => Object.keys(w.on as object)[0])).toEqual([
      'pull_request',
      'schedule',
      'workflow_dispatch',
      'pull_request',
    ]);
    expect(examples[0]).toMatch(/concurrency:\n\s+group: .*\n\s+cancel-in-progress: true/);
    expect(Object.values(parsed[3]!.jobs)[0]!.uses).toBe(
      'atomicolabs/aibench-action/.github/workflows/aibench.yml@v1',
    );
    examples.forEach((y, i) => {
      expect(schemaErrors(`readme-example-${i}.yml`, y, 'workflow')).toEqual([]);
      for (const step of actionSteps(parsed[i]!))
        expect(Object.keys(step.with ?? {}).filter((k) => !(k in action.inputs))).toEqual([]);
    });
  });
});

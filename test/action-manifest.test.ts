/**
 * action.yml, the workflows and the README's example workflows, checked with GitHub's own workflow and
 * action parser (@actions/workflow-parser: the schema the Actions service and the VS Code extension use),
 * plus structure the schema cannot know: input names match src/action/names.ts exactly, every step that
 * uses this action passes only inputs it declares, and checkouts keep no credentials.
 */
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { INPUT, INPUT_DEFAULTS, OUTPUT } from '../src/action/names.js';
import { tempDir } from './support/run-helpers.js';

const execFileP = promisify(execFile);

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
  env?: Record<string, string>;
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
    .filter(
      (s) =>
        s.uses === './' ||
        s.uses === './.aibench-action' ||
        s.uses?.startsWith('atomicolabs/aibench-action@'),
    );
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
      (n) => !['github-token', 'results', 'artifact-name', 'api-keys'].includes(n),
    );
    expect(runInputs.filter((n) => !(n in call.inputs))).toEqual([]);
    expect(Object.keys(call.secrets)).toEqual(
      expect.arrayContaining(['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'DEEPSEEK_API_KEY', 'API_KEYS']),
    );
    expect(Object.keys(wf.jobs)).toEqual(['plan', 'shard', 'merge']);
    expect(Object.keys(wf.jobs.shard!.strategy!.matrix!)).toEqual(['model', 'suite']);
    const [shardStep] = actionSteps({ ...wf, jobs: { shard: wf.jobs.shard! } });
    expect(shardStep!.with).toMatchObject({
      comment: 'never',
      baseline: 'none',
      'artifact-name': 'aibench-shard-${{ needs.plan.outputs.call }}-${{ strategy.job-index }}',
      'api-keys': '${{ secrets.API_KEYS }}',
      sandbox: '${{ inputs.sandbox }}',
    });
    expect(wf.jobs.merge!.needs).toEqual(['plan', 'shard']);
    const [mergeStep] = actionSteps({ ...wf, jobs: { merge: wf.jobs.merge! } });
    expect(mergeStep!.with).toMatchObject({
      results: 'shards',
      'min-pass-rate': '${{ inputs.min-pass-rate }}',
    });
    expect(wf.jobs.merge!.steps!.some((s) => s.uses?.startsWith('actions/download-artifact@'))).toBe(true);
  });

  const reusable = () =>
    parseYaml(readFileSync(path.join(WORKFLOWS, 'aibench.yml'), 'utf8')) as Workflow & {
      jobs: Record<
        string,
        { permissions?: Record<string, string>; if?: string; 'runs-on'?: string; 'timeout-minutes'?: unknown }
      >;
    };

  it('aibench.yml asks for no permission beyond contents: read, so a caller granting only that can run it', () => {
    const text = readFileSync(path.join(WORKFLOWS, 'aibench.yml'), 'utf8');
    expect(schemaErrors('aibench.yml', text, 'workflow')).toEqual([]);
    const wf = reusable();
    expect(wf.permissions).toEqual({ contents: 'read' });
    for (const [name, job] of Object.entries(wf.jobs))
      expect(
        Object.values(job.permissions ?? {}).filter((p) => p !== 'read' && p !== 'none'),
        name,
      ).toEqual([]);
    // A caller's permission block as the README documents it: contents read, comment optional.
    const caller = `on: pull_request\npermissions:\n  contents: read\njobs:\n  aibench:\n    uses: atomicolabs/aibench-action/.github/workflows/aibench.yml@v1\n    with:\n      models: reference\n    secrets: inherit\n`;
    expect(schemaErrors('caller.yml', caller, 'workflow')).toEqual([]);
    // The schema check is live: a job asking for an unknown permission is caught.
    expect(
      schemaErrors(
        'bad.yml',
        text.replace(
          'timeout-minutes: 20',
          'timeout-minutes: 20\n    permissions:\n      pull-requestz: write',
        ),
        'workflow',
      ),
    ).not.toEqual([]);
  });

  it('aibench.yml runs the action from its own commit, never a moving tag', () => {
    const text = readFileSync(path.join(WORKFLOWS, 'aibench.yml'), 'utf8');
    expect(text).not.toMatch(/uses: atomicolabs\/aibench-action@/);
    const wf = reusable();
    for (const name of ['shard', 'merge']) {
      const steps = wf.jobs[name]!.steps!;
      const checkout = steps.findIndex(
        (s) => s.uses?.startsWith('actions/checkout@') && s.with?.repository === 'atomicolabs/aibench-action',
      );
      expect(steps[checkout]!.with).toMatchObject({
        ref: '${{ github.job_workflow_sha }}',
        path: '.aibench-action',
        'persist-credentials': false,
      });
      const uses = steps.findIndex((s) => s.uses === './.aibench-action');
      expect(uses, name).toBeGreaterThan(checkout);
    }
  });

  it('aibench.yml: runner label lists, a shard time limit, no merge after a failed plan', () => {
    const wf = reusable();
    for (const job of Object.values(wf.jobs)) expect(job['runs-on']).toContain('fromJSON(inputs.runs-on)');
    expect(wf.jobs.shard!['timeout-minutes']).toBe('${{ inputs.timeout-minutes }}');
    expect(wf.jobs.merge!.if).toContain("needs.plan.result == 'success'");
  });

  it("aibench.yml's shell steps: the plan counts shards and names the call; the merge refuses a missing shard", async () => {
    const wf = reusable();
    const plan = wf.jobs.plan!.steps![0]!.run!;
    const dir = tempDir('reusable-');
    const output = path.join(dir, 'out');
    const runStep = (script: string, env: Record<string, string>) =>
      execFileP('bash', ['-e', '-c', script], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: output, ...env },
      });
    writeFileSync(output, '');
    await runStep(plan, { MODELS: 'a/m, b/n', SUITES: 'react,rust', TASKS: '' });
    const first = Object.fromEntries(
      readFileSync(output, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(/=(.*)/s).slice(0, 2)),
    );
    expect(first).toMatchObject({ models: '["a/m","b/n"]', suites: '["react","rust"]', count: '4' });
    writeFileSync(output, '');
    await runStep(plan, { MODELS: 'a/m', SUITES: 'react,rust', TASKS: 'react/L1-x' });
    const second = Object.fromEntries(
      readFileSync(output, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(/=(.*)/s).slice(0, 2)),
    );
    expect(second).toMatchObject({ suites: '[""]', count: '1' });
    expect(second.call).toMatch(/^[0-9a-f]{12}$/);
    expect(second.call).not.toBe(first.call);

    const check = wf.jobs.merge!.steps!.find((s) => s.run?.includes('EXPECTED'))!.run!;
    mkdirSync(path.join(dir, 'shards', 'aibench-shard-x-0'), { recursive: true });
    writeFileSync(path.join(dir, 'shards', 'aibench-shard-x-0', 'results.json'), '{}');
    const missing = await runStep(check, { EXPECTED: '2' }).catch((e: { code: number; stdout: string }) => e);
    expect((missing as { code: number }).code).toBe(1);
    expect((missing as { stdout: string }).stdout).toMatch(/^::error::1 of 2 shards uploaded results/);
    await expect(runStep(check, { EXPECTED: '1' })).resolves.toBeTruthy();
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
      'push',
      'schedule',
      'workflow_dispatch',
      'push',
    ]);
    // The PR gates save their baseline on pushes to the default branch.
    for (const i of [0, 3]) expect(Object.keys(parsed[i]!.on as object)).toContain('pull_request');
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

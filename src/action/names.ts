/**
 * The action's input and output names: the one place they are spelled. action.yml must list exactly
 * these (a test checks), and every message about an input names it as written here.
 */
export const INPUT = {
  models: 'models',
  suites: 'suites',
  tasks: 'tasks',
  tasksPath: 'tasks-path',
  config: 'config',
  systemPrompt: 'system-prompt',
  attempts: 'attempts',
  trials: 'trials',
  concurrency: 'concurrency',
  maxCost: 'max-cost',
  minPassRate: 'min-pass-rate',
  failOnRegression: 'fail-on-regression',
  baseline: 'baseline',
  comment: 'comment',
  githubToken: 'github-token',
  cache: 'cache',
  results: 'results',
  artifactName: 'artifact-name',
  sandbox: 'sandbox',
  commentId: 'comment-id',
  apiKeys: 'api-keys',
} as const;
export type InputName = (typeof INPUT)[keyof typeof INPUT];

/** Defaults the code applies when an input is empty (action.yml declares the same ones; a test checks). */
export const INPUT_DEFAULTS: Partial<Record<InputName, string>> = {
  [INPUT.baseline]: 'cache',
  [INPUT.comment]: 'always',
  [INPUT.failOnRegression]: 'false',
  [INPUT.githubToken]: '${{ github.token }}',
  [INPUT.cache]: 'true',
  [INPUT.artifactName]: 'aibench-results',
  [INPUT.sandbox]: 'auto',
  [INPUT.commentId]: '${{ toJSON(matrix) }}',
};

export const OUTPUT = {
  passRate: 'pass-rate',
  passed: 'passed',
  total: 'total',
  costUsd: 'cost-usd',
  costPerPass: 'cost-per-pass',
  regressions: 'regressions',
  resultsPath: 'results-path',
  reportPath: 'report-path',
  skipped: 'skipped',
} as const;
export type OutputName = (typeof OUTPUT)[keyof typeof OUTPUT];

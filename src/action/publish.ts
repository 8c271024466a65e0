import * as core from '@actions/core';
import path from 'node:path';
import { runTotals } from '../results/aggregate.js';
import type { Results } from '../results/schema.js';
import { commentMarker, renderComment } from '../report/comment.js';
import { renderSummary, type PublishView } from '../report/summary.js';
import { OUTPUT_FILES } from '../run/journal.js';
import { CONTEXT_FILE } from './baseline-store.js';
import { actionsArtifacts, uploadRunFiles, type ArtifactUploader } from './artifact.js';
import { VISUAL_FILES } from '../report/figures/names.js';
import type { RunContext } from './context.js';
import type { ActionInputs } from './inputs.js';
import { OUTPUT } from './names.js';
import { stickyCommentId, upsertStickyComment } from './sticky-comment.js';

const log = { info: (l: string) => core.info(l), warning: (l: string) => core.warning(l) };

/** The step's outputs, as strings; unknown values (no price, nothing graded) are empty, never a made-up 0. */
export function outputsFor(results: Results, outDir: string, regressions: number): Record<string, string> {
  const t = runTotals(results);
  const num = (n: number | null, digits: number) => (n === null ? '' : String(Number(n.toFixed(digits))));
  return {
    [OUTPUT.passRate]: num(t.passRate, 4),
    [OUTPUT.passed]: String(t.passes),
    [OUTPUT.total]: String(t.graded),
    [OUTPUT.costUsd]: num(t.cost, 6),
    [OUTPUT.costPerPass]: num(t.costPerPass, 6),
    [OUTPUT.regressions]: String(regressions),
    [OUTPUT.resultsPath]: path.join(outDir, OUTPUT_FILES.results),
    [OUTPUT.reportPath]: path.join(outDir, OUTPUT_FILES.report),
    [OUTPUT.skipped]: 'false',
  };
}

/** Writes the job summary; a missing GITHUB_STEP_SUMMARY (a local run) is a warning. */
export async function writeSummary(body: string): Promise<boolean> {
  try {
    await core.summary.addRaw(body).write();
    return true;
  } catch (err) {
    core.summary.emptyBuffer();
    core.warning(`no job summary written: ${(err as Error).message.split('\n')[0]}`);
    return false;
  }
}

/** Whether `comment: on-change` has something to say: a flip, a failed gate, or nothing to compare with. */
function changed(view: PublishView): boolean {
  const c = view.comparison;
  return (
    !c ||
    c.compared === 0 ||
    c.regressions.length > 0 ||
    c.fixes.length > 0 ||
    (c.passRate.delta ?? 0) !== 0 ||
    !!view.gate?.failed
  );
}

/**
 * Publishes a finished run: artifact first (so the bodies can link it), then the job summary, the sticky
 * PR comment and the outputs. Every publishing failure is a warning: the gate alone decides the outcome.
 */
export async function publishRun(
  results: Results,
  outDir: string,
  view: PublishView,
  ctx: RunContext,
  inputs: ActionInputs,
  uploader: ArtifactUploader = actionsArtifacts,
): Promise<void> {
  await core.group('Publishing', async () => {
    view.links.artifact = await uploadRunFiles(uploader, {
      name: inputs.artifactName,
      dir: outDir,
      files: [
        OUTPUT_FILES.results,
        OUTPUT_FILES.transcripts,
        OUTPUT_FILES.report,
        CONTEXT_FILE,
        ...VISUAL_FILES,
      ],
      runUrl: ctx.runUrl,
      env: process.env,
      log,
    });
    if (await writeSummary(renderSummary(results, view))) core.info('job summary written');
    await postComment(results, view, ctx, inputs);
    const outputs = outputsFor(results, outDir, view.comparison?.regressions.length ?? 0);
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  });
}

async function postComment(
  results: Results,
  view: PublishView,
  ctx: RunContext,
  inputs: ActionInputs,
): Promise<void> {
  if (inputs.comment === 'never') return;
  if (!ctx.pr) {
    core.info(
      `no PR comment: the ${ctx.eventName || 'current'} event has no pull request (the job summary has the results)`,
    );
    return;
  }
  if (!ctx.repo || !inputs.token) {
    core.warning(
      `no PR comment: ${!inputs.token ? 'input "github-token" is empty' : 'GITHUB_REPOSITORY is unset'}; the results are in the job summary`,
    );
    return;
  }
  const marker = commentMarker(stickyCommentId(inputs.commentId, ctx));
  const body = renderComment(results, view, { marker, sha: ctx.pr.headSha ?? ctx.sha });
  const result = await upsertStickyComment({
    token: inputs.token,
    apiUrl: ctx.apiUrl,
    ...ctx.repo,
    issue: ctx.pr.number,
    marker,
    body,
    create: inputs.comment === 'always' || changed(view),
  });
  if (result.action === 'failed') core.warning(`could not post the PR comment: ${result.reason}`);
  else if (result.action === 'skipped') core.info(`no PR comment: ${result.reason}`);
  else core.info(`PR comment ${result.action}: ${result.url}`);
}

/** Publishes a skipped run (no API key available): a short job summary and the outputs; nothing was spent. */
export async function publishSkip(reason: string): Promise<void> {
  await writeSummary(`## AIBench: skipped\n\n${reason}\n`);
  for (const name of Object.values(OUTPUT)) core.setOutput(name, name === OUTPUT.skipped ? 'true' : '');
}

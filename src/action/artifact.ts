import { DefaultArtifactClient } from '@actions/artifact';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { oneLine } from '../errors.js';
import type { Logger } from './cache.js';

/** The artifact service as the action uses it; the default is GitHub's through @actions/artifact. */
export interface ArtifactUploader {
  upload(name: string, files: string[], root: string): Promise<{ id?: number | undefined }>;
}

export const actionsArtifacts: ArtifactUploader = {
  upload: (name, files, root) => new DefaultArtifactClient().uploadArtifact(name, files, root),
};

/**
 * Uploads the run's files (results.json, transcripts.jsonl, report.md, report.html, figure-*.svg) as one artifact. An unavailable
 * artifact service (local runs, GHES without it) or a failed upload is a warning, never a failed step:
 * the results are still on the runner and in the job summary. Returns the artifact's page, when known.
 */
export async function uploadRunFiles(
  uploader: ArtifactUploader,
  opts: {
    name: string;
    dir: string;
    files: string[];
    runUrl: string | null;
    env: NodeJS.ProcessEnv;
    log: Logger;
  },
): Promise<string | null> {
  const files = opts.files.map((f) => path.join(opts.dir, f)).filter((f) => existsSync(f));
  if (!opts.env.ACTIONS_RUNTIME_TOKEN || !opts.env.ACTIONS_RESULTS_URL) {
    opts.log.warning(
      `the artifact service is not available here (ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL unset): results stay in ${opts.dir}`,
    );
    return null;
  }
  try {
    const { id } = await uploader.upload(opts.name, files, opts.dir);
    opts.log.info(`uploaded artifact ${opts.name} (${files.map((f) => path.basename(f)).join(', ')})`);
    return id !== undefined && opts.runUrl
      ? `${opts.runUrl.replace(/\/attempts\/\d+$/, '')}/artifacts/${id}`
      : opts.runUrl;
  } catch (err) {
    opts.log.warning(
      `could not upload the results artifact "${opts.name}" (${oneLine(err)}): results stay in ${opts.dir}`,
    );
    return null;
  }
}

import type { FileMap } from '../tasks/files.js';

const LANG_BY_EXT: Record<string, string> = {
  ts: 'ts',
  tsx: 'tsx',
  js: 'js',
  jsx: 'jsx',
  json: 'json',
  rs: 'rust',
  py: 'python',
  toml: 'toml',
  md: 'markdown',
  css: 'css',
  yml: 'yaml',
  yaml: 'yaml',
};

/** The fence's language word for a path (the info string then carries the path after it). */
export function languageOf(rel: string): string {
  return LANG_BY_EXT[rel.split('.').pop() ?? ''] ?? 'text';
}

/** Picks a fence long enough that no run of backticks inside the content closes it early. */
function fenceFor(content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`{3,}/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/** Renders files the way the output contract asks the model to: one fenced block per file, path in the info string. */
export function formatFiles(files: FileMap): string {
  return [...files]
    .map(([rel, content]) => {
      const fence = fenceFor(content);
      const body = content.endsWith('\n') ? content : `${content}\n`;
      return `${fence}${languageOf(rel)} ${rel}\n${body}${fence}`;
    })
    .join('\n\n');
}

// Bundles the CLI (and, when present, the action entry) into dist/ as self-contained ESM for Node 20+/24.
// dist/ is committed: the action runs it directly, and CI fails when it differs from a fresh bundle.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const entries = [
  { in: 'src/cli.ts', out: 'cli' },
  { in: 'src/index.ts', out: 'index' },
].filter((e) => existsSync(e.in));

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require() for Node built-ins, or read __filename at load
  // (typescript, for the node tamper scan): give each output file its own.
  banner: {
    js: "import { createRequire as __aibenchCreateRequire } from 'node:module'; const require = __aibenchCreateRequire(import.meta.url); const __aibenchFilename = new URL(import.meta.url).pathname; const __aibenchDirname = __aibenchFilename.slice(0, __aibenchFilename.lastIndexOf('/'));",
  },
  define: { __filename: '__aibenchFilename', __dirname: '__aibenchDirname' },
});

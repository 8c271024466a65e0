// Bundles the CLI (and, when present, the action entry) into dist/ as self-contained ESM for Node 20+/24.
// dist/ is committed: the action runs it directly, and CI fails when it differs from a fresh bundle.
// `node scripts/bundle.mjs <dir>` bundles into another folder instead (the runner simulation bundles the
// current source into a throwaway folder inside the package, so tasks/ is found the same way).
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import process from 'node:process';

const entries = [
  { in: 'src/cli.ts', out: 'cli' },
  { in: 'src/index.ts', out: 'index' },
].filter((e) => existsSync(e.in));

const outdir = process.argv[2] ?? 'dist';
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir,
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
    // Imported names only: a chunk's own hoisted `var URL` (vega bundles one) would shadow the global.
    js: "import { createRequire as __aibenchCreateRequire } from 'node:module'; import { fileURLToPath as __aibenchFileURLToPath } from 'node:url'; const require = __aibenchCreateRequire(import.meta.url); const __aibenchFilename = __aibenchFileURLToPath(import.meta.url); const __aibenchDirname = __aibenchFilename.slice(0, __aibenchFilename.lastIndexOf('/'));",
  },
  define: { __filename: '__aibenchFilename', __dirname: '__aibenchDirname' },
});

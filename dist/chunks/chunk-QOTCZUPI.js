import { createRequire as __aibenchCreateRequire } from 'node:module'; import { fileURLToPath as __aibenchFileURLToPath } from 'node:url'; const require = __aibenchCreateRequire(import.meta.url); const __aibenchFilename = __aibenchFileURLToPath(import.meta.url); const __aibenchDirname = __aibenchFilename.slice(0, __aibenchFilename.lastIndexOf('/'));

// node_modules/@anthropic-ai/sdk/internal/node.mjs
import * as child_process from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as stream from "node:stream";
import * as util from "node:util";

export {
  child_process,
  crypto,
  fs,
  os,
  path,
  stream,
  util
};

import { createRequire as __aibenchCreateRequire } from 'node:module'; import { fileURLToPath as __aibenchFileURLToPath } from 'node:url'; const require = __aibenchCreateRequire(import.meta.url); const __aibenchFilename = __aibenchFileURLToPath(import.meta.url); const __aibenchDirname = __aibenchFilename.slice(0, __aibenchFilename.lastIndexOf('/'));
import {
  child_process,
  crypto,
  fs,
  os,
  path,
  stream,
  util
} from "./chunk-QOTCZUPI.js";
import "./chunk-JHSXANGC.js";
export {
  child_process,
  crypto,
  fs,
  os,
  path,
  stream,
  util
};

import { createRequire as __aibenchCreateRequire } from 'node:module'; const require = __aibenchCreateRequire(import.meta.url); const __aibenchFilename = new URL(import.meta.url).pathname; const __aibenchDirname = __aibenchFilename.slice(0, __aibenchFilename.lastIndexOf('/'));
import {
  child_process,
  crypto,
  fs,
  os,
  path,
  stream,
  util
} from "./chunk-HOFNNVYW.js";
import "./chunk-KC5CV6WS.js";
export {
  child_process,
  crypto,
  fs,
  os,
  path,
  stream,
  util
};

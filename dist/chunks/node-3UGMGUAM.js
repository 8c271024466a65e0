import { createRequire as __aibenchCreateRequire } from 'node:module'; const require = __aibenchCreateRequire(import.meta.url);
import {
  child_process,
  crypto,
  fs,
  os,
  path,
  stream,
  util
} from "./chunk-N7MLZKXY.js";
import "./chunk-JM7FHWGO.js";
export {
  child_process,
  crypto,
  fs,
  os,
  path,
  stream,
  util
};

import type { Suite } from '../../tasks/loader.js';
import { goToolchain } from './go.js';
import { nodeToolchain } from './node.js';
import { pythonToolchain } from './python.js';
import { rustToolchain } from './rust.js';
import type { Toolchain } from './types.js';

/** One toolchain = one file + one line here. */
const TOOLCHAINS: Record<Suite['toolchain'], Toolchain> = {
  node: nodeToolchain,
  rust: rustToolchain,
  go: goToolchain,
  python: pythonToolchain,
};

export function toolchainFor(suite: Suite): Toolchain {
  return TOOLCHAINS[suite.toolchain];
}

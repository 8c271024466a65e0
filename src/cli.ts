#!/usr/bin/env node
import { main } from './cli/main.js';

const code = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  tty: Boolean(process.stderr.isTTY),
  // Live progress where a person watches a terminal: stderr (where progress goes) is one with a size (a
  // pty of 0×0, e.g. under `script` without a terminal, would clip every frame to nothing), it is not a
  // CI log and the terminal can move its cursor. Everywhere else: plain lines.
  ...(process.stderr.isTTY &&
  process.stderr.columns > 0 &&
  process.stderr.rows > 0 &&
  !process.env.CI &&
  process.env.TERM !== 'dumb'
    ? { live: { stream: process.stderr, others: [process.stdout] } }
    : {}),
});
process.exitCode = code;

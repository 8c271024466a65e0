#!/usr/bin/env node
import { main } from './cli/main.js';

const code = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  tty: Boolean(process.stderr.isTTY),
  // Live progress where a person watches a terminal: stderr (where progress goes) is one, it is not a
  // CI log and the terminal can move its cursor. Everywhere else: plain lines.
  ...(process.stderr.isTTY && !process.env.CI && process.env.TERM !== 'dumb'
    ? { live: { stream: process.stderr, others: [process.stdout] } }
    : {}),
});
process.exitCode = code;

// The floor under the run benchmark's harness CPU: the official Anthropic SDK alone sending the very
// request bodies a measured run sent (argv[2]: JSON { bodies, baseURL, concurrency }), as many at a
// time, to the same mock. Prints one JSON line: CPU seconds of this process (SDK, undici, GC) and wall.
import Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';

const cfg = JSON.parse(process.argv[2]!) as { bodies: string; baseURL: string; concurrency: number };
const bodies = JSON.parse(readFileSync(cfg.bodies, 'utf8')) as Anthropic.MessageCreateParamsNonStreaming[];

/** This process's CPU seconds from /proc (user + system). */
function cpuSec(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / Number(process.env.CLK_TCK ?? 100);
}

const client = new Anthropic({ apiKey: 'k', baseURL: cfg.baseURL, maxRetries: 0 });
const cpu0 = cpuSec();
const wall0 = performance.now();
let next = 0;
let chars = 0;
await Promise.all(
  Array.from({ length: cfg.concurrency }, async () => {
    while (next < bodies.length) {
      const msg = await client.messages.create(bodies[next++]!);
      for (const block of msg.content) if (block.type === 'text') chars += block.text.length;
    }
  }),
);
console.log(
  JSON.stringify({
    requests: bodies.length,
    replyChars: chars,
    cpuSec: cpuSec() - cpu0,
    wallSec: (performance.now() - wall0) / 1000,
  }),
);

// Input-cost reduction from Anthropic prompt caching on retries, measured side by side against the mock
// server (which bills input the way the vendor's cache would: write on first sight of a cache_control
// prefix, read after). Real wire requests from the official SDK; the conversation is the attempt loop's
// own (built-in task message, the reference as each reply, a grader-sized feedback turn), 3 attempts.
//   npx tsx scripts/cache-savings.mts [--model anthropic/claude-sonnet-4-6] [--tasks react/L4-postscrud]
import { parseArgs } from 'node:util';
import { AnthropicProvider } from '../src/models/anthropic.js';
import { costOf, lookupPrice, priceTable } from '../src/models/prices.js';
import { parseModelSpec } from '../src/models/spec.js';
import type { ChatMessage, Usage } from '../src/models/types.js';
import { formatFiles } from '../src/prompt/format-files.js';
import { defaultProfile, retryMessageFor, taskMessageFor } from '../src/prompt/variants.js';
import { builtinTasksRoot, loadTasks, selectTasks } from '../src/tasks/loader.js';
import { MockLlmServer } from '../test/support/mock-llm.js';

const { values } = parseArgs({
  options: { model: { type: 'string', default: 'anthropic/claude-sonnet-4-6' }, tasks: { type: 'string' } },
});
const spec = parseModelSpec(values.model!);
const price = lookupPrice(priceTable(), spec.provider, spec.model)!;
const tasks = selectTasks(loadTasks([builtinTasksRoot()]), undefined, values.tasks?.split(','));
const ATTEMPTS = 3;
// About what the grader sends back: a few failing tests with assertion messages (the default cap is 4000).
const FEEDBACK = `Result: FAILED (test)\n\n${'FAIL  src/__tests__/hidden.test.tsx > edits keep the row in sync\nAssertionError: expected "Old title" to be "New title"\n'.repeat(12)}`;

async function inputCost(
  task: (typeof tasks)[number],
  cache: boolean,
): Promise<{ cost: number; usage: Usage[] }> {
  const server = await new MockLlmServer('anthropic').start();
  server.simulateCache = true;
  const reply = `Here are the files.\n\n${formatFiles(task.reference)}`;
  const provider = new AnthropicProvider(spec, {
    apiKey: 'k',
    baseURL: server.baseURL,
    timeoutMs: 30_000,
    retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
  });
  const profile = defaultProfile();
  const conversation: ChatMessage[] = [taskMessageFor(task, profile)];
  const usage: Usage[] = [];
  try {
    for (let n = 1; n <= ATTEMPTS; n++) {
      // Output billed the same either way: count only prompt-side tokens.
      server.script({ text: reply, usage: { output: 0 } });
      const r = await provider.chat({
        system: profile.system,
        messages: conversation,
        maxTokens: 16_000,
        settings: { cache },
        context: { taskKey: task.key, trial: 1, attempt: n },
      });
      usage.push(r.usage);
      conversation.push(
        { role: 'assistant', content: r.text },
        retryMessageFor(FEEDBACK, n, ATTEMPTS, profile),
      );
    }
  } finally {
    await server.stop();
  }
  return { cost: usage.reduce((s, u) => s + costOf(u, price)!, 0), usage };
}

console.log(
  `${spec.raw}: input $${price.input}, cache write $${price.cacheWrite}, cache read $${price.cacheRead} per MTok; ${ATTEMPTS} attempts, all failing but the last`,
);
console.log('task                        input cost, no cache   with cache   reduction');
let off = 0;
let on = 0;
for (const task of tasks) {
  const a = await inputCost(task, false);
  const b = await inputCost(task, true);
  off += a.cost;
  on += b.cost;
  console.log(
    `${task.key.padEnd(28)}${`$${a.cost.toFixed(5)}`.padStart(20)}${`$${b.cost.toFixed(5)}`.padStart(13)}${`${((1 - b.cost / a.cost) * 100).toFixed(1)}%`.padStart(12)}`,
  );
}
console.log(
  `${'all'.padEnd(28)}${`$${off.toFixed(5)}`.padStart(20)}${`$${on.toFixed(5)}`.padStart(13)}${`${((1 - on / off) * 100).toFixed(1)}%`.padStart(12)}`,
);

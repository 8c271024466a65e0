import type { AttemptRecord } from '../results/schema.js';
import { usd } from '../report/format.js';

/** One line per graded attempt; on a TTY with a running count and colour. */
export function attemptLine(
  info: { model: string; task: string; trial: number; attempt: AttemptRecord },
  done: number,
  total: number,
  tty: boolean,
): string {
  const a = info.attempt;
  const steps = a.steps.map((s) => `${s.name} ${(s.durationMs / 1000).toFixed(1)}s`).join(', ');
  const tests = a.tests ? ` ${a.tests.passed}/${a.tests.expected} tests` : '';
  const cause = a.outcome === 'infra' ? ` (${a.faults.at(-1)?.message ?? 'fault'})` : '';
  const text = `${info.model} ${info.task}${info.trial > 1 ? ` #${info.trial}` : ''} attempt ${a.n}: ${a.outcome}${cause}${tests} ${steps ? `[${steps}] ` : ''}${usd(a.cost)}`;
  if (!tty) return text;
  const colour = a.outcome === 'pass' ? 32 : a.outcome === 'infra' ? 33 : 31;
  return `\x1b[2m[${done}/${total}]\x1b[0m \x1b[${colour}m${text}\x1b[0m`;
}

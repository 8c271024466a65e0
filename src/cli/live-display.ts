/**
 * The live progress display on a terminal: the thin edge over `progress-state.ts`.
 *
 * Drawn with log-update (sindresorhus; the renderer under ink's and listr2's simple modes): it redraws a
 * block in place by diffing frames, wraps the frame in synchronized-output markers where the terminal
 * has them (no tearing), writes lines that stay in the scrollback above the block (`persist`), and hides
 * the cursor through cli-cursor, whose restore-cursor shows it again on any exit. cli-progress draws
 * bars, not a list of work in flight; listr2 and ink bring a task tree and a React renderer this one
 * block does not need.
 */
import { createLogUpdate } from 'log-update';
import { liveLines, ProgressState } from './progress-state.js';
import { attemptLine, headerLine, TrialCounter, type RunProgress } from './progress.js';

export interface LiveOptions {
  /** Other streams on the same terminal (stdout): anything written there is printed above the block. */
  others?: NodeJS.WriteStream[];
  /** Least time between two redraws: events can arrive by the hundred, the screen needs ten a second. */
  redrawMs?: number;
  now?: () => number;
}

/** Cuts a line to the terminal's width so the block never wraps (a wrapped block redraws wrongly). */
function fit(line: string, columns: number | undefined): string {
  const max = Math.max(20, (columns ?? 80) - 1);
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

type Write = NodeJS.WriteStream['write'];

/**
 * A live display on `stream` (a TTY): each finished attempt and each warning as a line that stays, and
 * below them a block with done/total, passes, spend, ETA and the attempts in flight, redrawn at most
 * every `redrawMs` and once a second for the clocks. Whatever else writes to these streams while it is
 * live (a library's warning) is printed above the block, not through it. `finish` leaves the last frame
 * on screen and shows the cursor: call it at the end of the run and on Ctrl-C / SIGTERM.
 */
export function liveProgress(stream: NodeJS.WriteStream, opts: LiveOptions = {}): RunProgress {
  const now = opts.now ?? Date.now;
  const redrawMs = opts.redrawMs ?? 100;
  const state = new ProgressState();
  const draw = createLogUpdate(stream);
  let counter: TrialCounter | null = null;
  let planned = false;
  let done = false;
  let lastDraw = 0;
  let pending: NodeJS.Timeout | null = null;
  let ownWrite = false;

  const frame = (): string => {
    const rows = stream.rows ?? 24;
    return liveLines(state, now(), Math.max(1, Math.min(8, rows - 6)))
      .map((l) => fit(l, stream.columns))
      .join('\n');
  };
  /** Runs `fn` with the write hooks off: log-update's own writes go straight through. */
  const own = (fn: () => void): void => {
    ownWrite = true;
    try {
      fn();
    } finally {
      ownWrite = false;
    }
  };
  const redraw = (): void => {
    pending = null;
    if (done || !planned) return;
    lastDraw = now();
    own(() => draw(frame()));
  };
  const schedule = (): void => {
    if (done || !planned || pending) return;
    pending = setTimeout(redraw, Math.max(0, lastDraw + redrawMs - now()));
    pending.unref();
  };
  const persist = (line: string): void => {
    if (done) {
      stream.write(`${line}\n`);
      return;
    }
    own(() => draw.persist(line));
    schedule();
  };

  // A foreign write first clears the block, goes out as written, and the block comes back below it.
  const hooked = [stream, ...(opts.others ?? []).filter((s) => s.isTTY && s !== stream)];
  const originals = hooked.map((s) => s.write);
  hooked.forEach((s, i) => {
    const original = originals[i]!;
    s.write = function (this: NodeJS.WriteStream, ...args: Parameters<Write>) {
      if (ownWrite || done) return original.apply(s, args);
      own(() => draw.clear());
      const result = original.apply(s, args);
      schedule();
      return result;
    } as Write;
  });
  const ticker = setInterval(schedule, 1000);
  ticker.unref();

  return {
    onPlan: (plan) => {
      counter = new TrialCounter(plan.models * plan.tasks * plan.trials, plan.attempts, plan.resumed);
      state.plan(plan, now());
      persist(headerLine(plan));
      planned = true;
      redraw();
    },
    onPhase: (info) => {
      state.phase(info, now());
      schedule();
    },
    onAttempt: (info) => {
      state.attempt(info);
      persist(counter ? counter.line(info, true) : attemptLine(info, state.done, state.total, true));
    },
    log: persist,
    finish: () => {
      if (done) return;
      if (pending) clearTimeout(pending);
      clearInterval(ticker);
      if (planned) own(() => draw(frame()));
      own(() => draw.done());
      done = true;
      hooked.forEach((s, i) => (s.write = originals[i]!));
    },
  };
}

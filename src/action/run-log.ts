import { addSpend, costText, ProgressState, statusLine, type Spend } from '../cli/progress-state.js';
import { headerLine, TrialCounter, type RunProgress } from '../cli/progress.js';

/** The three log calls the action's run log needs (`@actions/core` in the action, arrays in tests). */
export interface GroupLog {
  info(line: string): void;
  startGroup(title: string): void;
  endGroup(): void;
}

/** Least time between two status lines in the log while the run goes on (ms). */
export const HEARTBEAT_MS = 30_000;

interface ModelLog {
  lines: string[];
  trials: number;
  passed: number;
  spend: Spend;
  flushed: boolean;
}

/**
 * The run as the Actions log shows it: one collapsible group per model holding that model's attempt
 * lines (plain text), written when its last trial ends (the run interleaves models, and a group cannot
 * be re-opened), with a status line between groups at most every `HEARTBEAT_MS` so a long run visibly
 * moves. Warnings go out at once, outside any group. `finish` writes the groups of models whose trials
 * did not all end (budget, fatal error, interruption) and the last status line.
 */
export function groupedRunLog(log: GroupLog, now: () => number = Date.now): RunProgress {
  const state = new ProgressState();
  const models = new Map<string, ModelLog>();
  let counter: TrialCounter | null = null;
  let perModel = 0;
  let lastBeat = 0;
  let finished = false;

  const modelLog = (model: string): ModelLog => {
    let m = models.get(model);
    if (!m) {
      m = { lines: [], trials: 0, passed: 0, spend: { knownCost: 0, unpriced: new Set() }, flushed: false };
      models.set(model, m);
    }
    return m;
  };
  const flush = (model: string, m: ModelLog): void => {
    m.flushed = true;
    const spend = costText(m.spend).replace(/^cost /, '');
    log.startGroup(`${model}: ${m.passed}/${m.trials} trial(s) passed, ${spend}`);
    for (const line of m.lines) log.info(line);
    log.endGroup();
  };

  return {
    onPlan: (plan) => {
      counter = new TrialCounter(plan.models * plan.tasks * plan.trials, plan.attempts, plan.resumed);
      perModel = plan.tasks * plan.trials;
      state.plan(plan, now());
      lastBeat = now();
      log.info(headerLine(plan));
    },
    onPhase: () => {},
    onAttempt: (info) => {
      const m = modelLog(info.model);
      if (counter) m.lines.push(counter.line(info, false));
      addSpend(m.spend, info.model, info.attempt.cost);
      if (!state.attempt(info)) return;
      m.trials++;
      if (info.attempt.outcome === 'pass') m.passed++;
      if (m.trials >= perModel && !m.flushed) flush(info.model, m);
      else if (now() - lastBeat >= HEARTBEAT_MS) {
        lastBeat = now();
        log.info(statusLine(state, now()));
      }
    },
    log: (line) => log.info(line),
    finish: () => {
      if (finished) return;
      finished = true;
      for (const [model, m] of models) if (!m.flushed) flush(model, m);
      if (counter) log.info(statusLine(state, now()));
    },
  };
}

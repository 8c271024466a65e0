/**
 * When results.json is materialised during a run. The journal is the durable record, appended per
 * attempt; results.json is a view of it that costs O(trials) to write (sort, validate, serialise), so
 * writing it per trial made a run quadratic. It is written at the start and the end of a run, on an
 * interruption, and in between at checkpoints bounded two ways: at most one per `minIntervalMs`, and
 * never more than `maxShare` of the wall time (a checkpoint that took c ms is followed by at least
 * c / maxShare ms without one). Checkpoints run from a timer, never on a trial's path.
 */
export class Checkpoints {
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;
  private lastCostMs = 0;
  private stopped = false;

  constructor(
    private readonly write: () => void,
    private readonly bounds: { minIntervalMs: number; maxShare: number } = {
      minIntervalMs: 30_000,
      maxShare: 0.005,
    },
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Something changed: a checkpoint will include it, at the earliest the bounds allow. */
  changed(): void {
    this.dirty = true;
    if (this.timer || this.stopped) return;
    const delay = Math.max(this.bounds.minIntervalMs, this.lastCostMs / this.bounds.maxShare);
    this.timer = setTimeout(() => this.checkpoint(), delay);
    this.timer.unref?.();
  }

  private checkpoint(): void {
    this.timer = null;
    if (!this.dirty || this.stopped) return;
    this.dirty = false;
    const started = this.now();
    this.write();
    this.lastCostMs = this.now() - started;
  }

  /** No checkpoint after this: the caller writes the final results itself. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

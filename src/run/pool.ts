/**
 * A bounded pool: at most `size` jobs at once, each told which slot it holds (so a slot can own
 * resources such as a Rust target dir). Waiters are served highest priority first, first come first
 * served among equals; the run uses the priority to start the longest expected work first and to
 * finish started trials before new ones begin (see `schedule.ts`).
 */
export class Pool {
  private readonly free: number[];
  /** Kept sorted: highest priority first, arrival order among equal priorities. */
  private readonly waiting: { priority: number; resolve: (slot: number) => void }[] = [];
  constructor(readonly size: number) {
    this.free = Array.from({ length: size }, (_, i) => size - 1 - i);
  }

  async use<T>(job: (slot: number) => Promise<T>, priority = 0): Promise<T> {
    const slot = this.free.length
      ? this.free.pop()!
      : await new Promise<number>((resolve) => this.enqueue(priority, resolve));
    try {
      return await job(slot);
    } finally {
      const next = this.waiting.shift();
      if (next) next.resolve(slot);
      else this.free.push(slot);
    }
  }

  private enqueue(priority: number, resolve: (slot: number) => void): void {
    // Binary search for the first waiter of strictly lower priority: FIFO among equals.
    let lo = 0;
    let hi = this.waiting.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.waiting[mid]!.priority >= priority) lo = mid + 1;
      else hi = mid;
    }
    this.waiting.splice(lo, 0, { priority, resolve });
  }
}

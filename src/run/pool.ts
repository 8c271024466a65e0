/**
 * A bounded pool: at most `size` jobs at once, each told which slot it holds (so a slot can own
 * resources such as a Rust target dir). Waiters are served first come, first served.
 */
export class Pool {
  private readonly free: number[];
  private readonly waiting: ((slot: number) => void)[] = [];
  constructor(readonly size: number) {
    this.free = Array.from({ length: size }, (_, i) => size - 1 - i);
  }

  async use<T>(job: (slot: number) => Promise<T>): Promise<T> {
    const slot = this.free.length
      ? this.free.pop()!
      : await new Promise<number>((resolve) => this.waiting.push(resolve));
    try {
      return await job(slot);
    } finally {
      const next = this.waiting.shift();
      if (next) next(slot);
      else this.free.push(slot);
    }
  }
}

/** Spend so far against an optional cap. Costs are added as each call's usage arrives. */
export class Budget {
  private spent = 0;
  private reached = false;
  constructor(readonly cap: number | null) {}

  add(cost: number | null): void {
    if (cost !== null) this.spent += cost;
    if (this.cap !== null && this.spent >= this.cap) this.reached = true;
  }

  /** True once the cap is reached: no new request may start. */
  get exhausted(): boolean {
    return this.reached;
  }

  get total(): number {
    return this.spent;
  }
}

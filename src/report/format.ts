/** USD as people read invoices: cents for dollars, more digits for fractions of a cent; n/a when unknown. */
export function usd(value: number | null): string {
  if (value === null) return 'n/a (no price)';
  if (value === 0) return '$0.00';
  if (value >= 1) return `$${value.toFixed(2)}`;
  if (value >= 0.01) return `$${value.toFixed(3)}`;
  return `$${value.toPrecision(2)}`;
}

export function percent(rate: number | null): string {
  return rate === null ? 'n/a' : `${(rate * 100).toFixed(0)}%`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Escapes text for a markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A rate with its interval: `80% [49–94%]`. */
export function rateCi(iv: { estimate: number; low: number; high: number } | null): string {
  if (!iv) return 'n/a';
  const p = (x: number) => (x * 100).toFixed(0);
  return `${p(iv.estimate)}% [${p(iv.low)}–${p(iv.high)}%]`;
}

/** A signed change in percentage points: `−20 pp`, `+5 pp`, `±0 pp`. */
export function pointsChange(delta: number): string {
  const n = Math.round(delta * 100);
  return n === 0 ? '±0 pp' : n > 0 ? `+${n} pp` : `−${-n} pp`;
}

/** A difference in rates with its interval: `−20 pp [−45, −3]`. */
export function differenceCi(iv: { estimate: number; low: number; high: number }): string {
  const n = (x: number) => {
    const r = Math.round(x * 100);
    return r === 0 ? '0' : r > 0 ? `+${r}` : `−${-r}`;
  };
  return `${pointsChange(iv.estimate)} [${n(iv.low)}, ${n(iv.high)}]`;
}

/** A USD amount with its interval: `$0.083 [$0.051–$0.14]`; an unbounded end reads `∞`. */
export function usdCi(iv: { estimate: number; low: number; high: number } | null): string {
  if (!iv) return '—';
  const end = (x: number) => (Number.isFinite(x) ? usd(x) : '∞');
  return `${usd(iv.estimate)} [${end(iv.low)}–${end(iv.high)}]`;
}

/** `estimate [low, high]`, or the estimate alone when the data bound no interval (one paired task). */
function changeWithInterval(
  iv: { estimate: number; low: number; high: number },
  s: (x: number) => string,
): string {
  if (!Number.isFinite(iv.low) || !Number.isFinite(iv.high))
    return `${s(iv.estimate)} [no interval: too few tasks]`;
  return `${s(iv.estimate)} [${s(iv.low)}, ${s(iv.high)}]`;
}

/** A signed USD change with its interval: `+$0.004 [−$0.001, +$0.009]`. */
export function usdChangeCi(iv: { estimate: number; low: number; high: number }): string {
  return changeWithInterval(iv, (x) => (x === 0 ? '$0.00' : x > 0 ? `+${usd(x)}` : `−${usd(-x)}`));
}

/** A signed duration change with its interval, in seconds. */
export function secondsChangeCi(iv: { estimate: number; low: number; high: number }): string {
  return changeWithInterval(iv, (ms) => `${ms >= 0 ? '+' : '−'}${(Math.abs(ms) / 1000).toFixed(1)} s`);
}

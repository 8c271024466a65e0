import { useId, type JSX } from 'react';

export type StatFormat = 'number' | 'currency' | 'percent';

export interface StatCardProps {
  /** What the metric is, e.g. "Monthly revenue". Also the card's accessible name. */
  label: string;
  /** The metric. `null`, `undefined` or a non-finite number (NaN, ±Infinity) means "no data". */
  value?: number | null;
  /** How `value` is displayed. Default: 'number'. */
  format?: StatFormat;
  /** ISO 4217 code, used only when `format` is 'currency'. Default: 'USD'. */
  currency?: string;
  /** Change versus the previous period, in percent: 4.2 means "up 4.2 %". Omitted: no delta. */
  delta?: number;
  /** The data is still being fetched. Default: false. */
  loading?: boolean;
}

function formatValue(value: number, format: StatFormat, currency: string): string {
  switch (format) {
    case 'currency':
      return new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency,
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }).format(value);
    case 'percent':
      return new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(value);
    default:
      return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value);
  }
}

function Delta({ delta }: { delta: number }): JSX.Element {
  // Direction follows the value as displayed (one decimal), so -0.04 is "no change", not "-0.0%".
  const tenths = Math.round(Math.abs(delta) * 10);
  const magnitude = (tenths / 10).toFixed(1);
  const direction = tenths === 0 ? 'flat' : delta > 0 ? 'up' : 'down';
  const text = direction === 'up' ? `+${magnitude}%` : direction === 'down' ? `-${magnitude}%` : `${magnitude}%`;
  const name = direction === 'up' ? `Up ${magnitude}%` : direction === 'down' ? `Down ${magnitude}%` : 'No change';
  const arrow = direction === 'up' ? '▲' : direction === 'down' ? '▼' : null;
  return (
    <p className={`stat-card__delta stat-card__delta--${direction}`} role="img" aria-label={name}>
      {arrow && <span aria-hidden="true">{arrow} </span>}
      {text}
    </p>
  );
}

export function StatCard({
  label,
  value,
  format = 'number',
  currency = 'USD',
  delta,
  loading = false,
}: StatCardProps): JSX.Element {
  const labelId = useId();
  const hasValue = typeof value === 'number' && Number.isFinite(value);
  const body = (
    <>
      {loading && <p className="stat-card__loading">Loading…</p>}
      <p className="stat-card__value">{hasValue ? formatValue(value, format, currency) : '—'}</p>
      {hasValue && delta !== undefined && <Delta delta={delta} />}
    </>
  );
  return (
    <div className="stat-card" role="group" aria-labelledby={labelId} aria-busy={loading || undefined}>
      <h3 id={labelId} className="stat-card__label">
        {label}
      </h3>
      {body}
    </div>
  );
}

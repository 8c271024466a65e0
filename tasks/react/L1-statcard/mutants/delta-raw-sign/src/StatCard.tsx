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
  const direction = delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat';
  const magnitude = Math.abs(delta).toFixed(1);
  const text = delta > 0 ? `+${delta.toFixed(1)}%` : `${delta.toFixed(1)}%`;
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
  let body: JSX.Element;
  if (loading) {
    body = <p className="stat-card__value">Loading…</p>;
  } else if (!hasValue) {
    body = <p className="stat-card__value">—</p>;
  } else {
    body = (
      <>
        <p className="stat-card__value">{formatValue(value, format, currency)}</p>
        {delta !== undefined && <Delta delta={delta} />}
      </>
    );
  }
  return (
    <div className="stat-card" role="group" aria-labelledby={labelId} aria-busy={loading || undefined}>
      <h3 id={labelId} className="stat-card__label">
        {label}
      </h3>
      {body}
    </div>
  );
}

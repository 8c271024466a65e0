import type { JSX } from 'react';

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

// TODO: implement the card described in the ticket.
export function StatCard(props: StatCardProps): JSX.Element {
  void props;
  return <div />;
}

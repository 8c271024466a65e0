import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { StatCard } from '../src/StatCard';

const DELTA_NAME = /^(Up|Down|No change)\b/;

/** The card root: role=group, named by its label. */
function getCard(label: string): HTMLElement {
  const card = screen.queryByRole('group', { name: label });
  expect(card, `expected an element with role="group" whose accessible name is its label "${label}" (aria-labelledby)`).not.toBeNull();
  return card!;
}

/** Asserts that the card shows `text` as the exact text of one element. */
function expectShown(card: HTMLElement, text: string, why: string): void {
  // Its own element: the whole text of the element is the string, not just its own text nodes.
  const found = within(card)
    .queryAllByText(text)
    .some((el) => el.textContent === text);
  expect(found, `${why}: expected an element whose text is exactly "${text}"; the card reads "${card.textContent}"`).toBe(true);
}

function expectNotShown(card: HTMLElement, text: string, why: string): void {
  expect(card.textContent ?? '', `${why}; the card reads "${card.textContent}"`).not.toContain(text);
}

/** The delta element, found by its aria-label. */
function getDelta(card: HTMLElement, name: string): HTMLElement {
  const el = within(card).queryByLabelText(name);
  const found = within(card).queryAllByLabelText(DELTA_NAME).map((e) => e.getAttribute('aria-label'));
  expect(el, `expected the delta element to carry aria-label "${name}" (delta elements found: ${JSON.stringify(found)})`).not.toBeNull();
  return el!;
}

describe('StatCard', () => {
  it('is a group named by its label and shows the formatted number value', () => {
    render(<StatCard label="Monthly revenue" value={1234567.891} />);
    const card = getCard('Monthly revenue');
    expectShown(card, 'Monthly revenue', 'the label is visible');
    expectShown(card, '1,234,567.89', 'the default format is "number"');
  });

  it('groups thousands in large numbers', () => {
    render(<StatCard label="Page views" value={1234567890} format="number" />);
    expectShown(getCard('Page views'), '1,234,567,890', 'large numbers get comma thousands separators');
  });

  it('keeps at most two decimals in number format, without trailing zeros', () => {
    const { rerender } = render(<StatCard label="Score" value={1234.5} />);
    expectShown(getCard('Score'), '1,234.5', 'no trailing zeros in number format');
    rerender(<StatCard label="Score" value={3.14159} />);
    expectShown(getCard('Score'), '3.14', 'number format rounds to at most two decimals');
    rerender(<StatCard label="Score" value={42} />);
    expectShown(getCard('Score'), '42', 'whole numbers have no decimal point');
  });

  it('formats negative numbers with a leading minus and grouping', () => {
    render(<StatCard label="Net change" value={-9876.5} />);
    expectShown(getCard('Net change'), '-9,876.5', 'negative numbers keep the separators and a leading "-"');
  });

  it('formats currency with the symbol, thousands separators and exactly two decimals', () => {
    const { rerender } = render(<StatCard label="Revenue" value={1234.5} format="currency" />);
    expectShown(getCard('Revenue'), '$1,234.50', 'currency defaults to USD with two decimals');
    rerender(<StatCard label="Revenue" value={1234567} format="currency" />);
    expectShown(getCard('Revenue'), '$1,234,567.00', 'large currency amounts are grouped and keep two decimals');
    rerender(<StatCard label="Revenue" value={0.5} format="currency" />);
    expectShown(getCard('Revenue'), '$0.50', 'amounts below one keep the leading zero');
  });

  it('puts the minus sign before the currency symbol', () => {
    render(<StatCard label="Refunds" value={-42.5} format="currency" />);
    expectShown(getCard('Refunds'), '-$42.50', 'negative amounts read -$42.50');
  });

  it('uses the currency given in the currency prop', () => {
    render(<StatCard label="EU revenue" value={1234.5} format="currency" currency="EUR" />);
    expectShown(getCard('EU revenue'), '€1,234.50', 'currency="EUR" shows the euro symbol');
  });

  it('formats percent values given as ratios', () => {
    const { rerender } = render(<StatCard label="Conversion rate" value={0.256} format="percent" />);
    expectShown(getCard('Conversion rate'), '25.6%', 'a ratio of 0.256 is 25.6%');
    rerender(<StatCard label="Conversion rate" value={1} format="percent" />);
    expectShown(getCard('Conversion rate'), '100%', 'a ratio of 1 is 100% (no trailing decimals)');
    rerender(<StatCard label="Conversion rate" value={-0.05} format="percent" />);
    expectShown(getCard('Conversion rate'), '-5%', 'negative ratios keep their minus sign');
  });

  it('formats with US-English conventions whatever the default locale', () => {
    // The environment's default locale becomes German ("1.234,5"): only explicitly US formatting passes.
    const NativeNumberFormat = Intl.NumberFormat;
    const orGerman = (locales?: Intl.LocalesArgument): Intl.LocalesArgument =>
      locales === undefined || (Array.isArray(locales) && locales.length === 0) ? 'de-DE' : locales;
    const germanDefault = function (locales?: Intl.LocalesArgument, options?: Intl.NumberFormatOptions) {
      return new NativeNumberFormat(orGerman(locales), options);
    } as unknown as typeof Intl.NumberFormat;
    vi.spyOn(Intl, 'NumberFormat').mockImplementation(germanDefault);
    vi.spyOn(Number.prototype, 'toLocaleString').mockImplementation(function (
      this: number,
      locales?: Intl.LocalesArgument,
      options?: Intl.NumberFormatOptions,
    ) {
      return new NativeNumberFormat(orGerman(locales), options).format(this);
    });
    const { rerender } = render(<StatCard label="Revenue" value={1234567.891} delta={4.2} />);
    expectShown(getCard('Revenue'), '1,234,567.89', 'under a German default locale, numbers still read 1,234,567.89');
    getDelta(getCard('Revenue'), 'Up 4.2%');
    rerender(<StatCard label="Revenue" value={-1234.5} format="currency" />);
    expectShown(getCard('Revenue'), '-$1,234.50', 'under a German default locale, currency still reads -$1,234.50');
    rerender(<StatCard label="Revenue" value={1234.5} format="currency" currency="EUR" />);
    expectShown(getCard('Revenue'), '€1,234.50', 'under a German default locale, euros still read €1,234.50');
    rerender(<StatCard label="Revenue" value={0.256} format="percent" />);
    expectShown(getCard('Revenue'), '25.6%', 'under a German default locale, percentages still read 25.6%');
  });

  it('shows a zero value as a value, not as "no data"', () => {
    const { rerender } = render(<StatCard label="Errors" value={0} delta={-12.5} />);
    let card = getCard('Errors');
    expectShown(card, '0', 'a value of 0 is displayed');
    expectNotShown(card, '—', 'a value of 0 must not show the no-data dash');
    getDelta(card, 'Down 12.5%');
    rerender(<StatCard label="Errors" value={0} format="currency" />);
    card = getCard('Errors');
    expectShown(card, '$0.00', 'a value of 0 in currency format');
    rerender(<StatCard label="Errors" value={0} format="percent" />);
    expectShown(getCard('Errors'), '0%', 'a value of 0 in percent format');
  });

  it('shows an em dash and no delta when there is no data', () => {
    const cases: Array<[string, number | null | undefined]> = [
      ['null', null],
      ['undefined', undefined],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
    ];
    for (const [name, value] of cases) {
      const { unmount } = render(<StatCard label="Signups" value={value} format="currency" delta={5} />);
      const card = getCard('Signups');
      expectShown(card, '—', `value ${name} means no data`);
      expect(within(card).queryByLabelText(DELTA_NAME), `no delta is shown when the value is ${name}`).toBeNull();
      expectNotShown(card, '%', `no delta is shown when the value is ${name}`);
      unmount();
    }
  });

  it('shows an increase with a plus sign and an accessible direction', () => {
    render(<StatCard label="Active users" value={5120} delta={4.2} />);
    const delta = getDelta(getCard('Active users'), 'Up 4.2%');
    expect(delta, 'an increase reads "+4.2%"').toHaveTextContent('+4.2%');
  });

  it('shows a decrease with a minus sign, one decimal and an accessible direction', () => {
    render(<StatCard label="Active users" value={5120} delta={-3} />);
    const delta = getDelta(getCard('Active users'), 'Down 3.0%');
    expect(delta.textContent ?? '', 'a decrease of 3 reads "-3.0%"').toMatch(/[-−]3\.0%/);
  });

  it('treats a zero delta as no change', () => {
    render(<StatCard label="Active users" value={5120} delta={0} />);
    const delta = getDelta(getCard('Active users'), 'No change');
    expect(delta, 'a zero delta reads "0.0%"').toHaveTextContent('0.0%');
    expect(delta.textContent ?? '', 'a zero delta has no + or - sign').not.toMatch(/[+\-−]/);
  });

  it('treats a delta that rounds to zero as no change', () => {
    for (const value of [-0.04, 0.04]) {
      const { unmount } = render(<StatCard label="Active users" value={5120} delta={value} />);
      const delta = getDelta(getCard('Active users'), 'No change');
      expect(delta, `a delta of ${value} is shown as "0.0%"`).toHaveTextContent('0.0%');
      expect(delta.textContent ?? '', `a delta of ${value} rounds to zero and has no sign`).not.toMatch(/[+\-−]/);
      unmount();
    }
  });

  it('renders no delta when none is given', () => {
    render(<StatCard label="Active users" value={5120} />);
    const card = getCard('Active users');
    expectShown(card, '5,120', 'the value is shown');
    expect(within(card).queryByLabelText(DELTA_NAME), 'no delta element without a delta prop').toBeNull();
    expectNotShown(card, '%', 'no delta text without a delta prop');
  });

  it('shows a busy loading state without value or delta, then the value once loaded', () => {
    const { rerender } = render(<StatCard label="Revenue" value={1234.5} format="currency" delta={4.2} loading />);
    let card = getCard('Revenue');
    expect(card, 'a loading card has aria-busy="true"').toHaveAttribute('aria-busy', 'true');
    expect(within(card).queryByText(/^Loading(…|\.\.\.)$/), 'a loading card shows "Loading…" in place of the value').not.toBeNull();
    expectNotShown(card, '1,234.5', 'the value is not rendered while loading');
    expect(within(card).queryByLabelText(DELTA_NAME), 'the delta is not rendered while loading').toBeNull();
    expectNotShown(card, '%', 'the delta is not rendered while loading');

    rerender(<StatCard label="Revenue" value={1234.5} format="currency" delta={4.2} loading={false} />);
    card = getCard('Revenue');
    expect(card.getAttribute('aria-busy') ?? 'false', 'a loaded card is not marked busy').toBe('false');
    expectShown(card, '$1,234.50', 'the value appears once loaded');
    expectNotShown(card, 'Loading', 'the loading text is gone once loaded');
    getDelta(card, 'Up 4.2%');
  });
});

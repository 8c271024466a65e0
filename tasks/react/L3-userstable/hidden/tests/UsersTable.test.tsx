import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { UsersTable } from '../src/UsersTable';
import type { User } from '../src/types';

type Label = 'Name' | 'Email' | 'Age' | 'Joined';
const LABELS: Label[] = ['Name', 'Email', 'Age', 'Joined'];

function user(id: string, name: string, email: string, age: number, joined: string): User {
  return { id, name, email, age, joined };
}

// Chosen so that every wrong comparison (case-sensitive, not locale-aware, lexicographic numbers,
// textual timestamps) yields a different order than the correct one.
const PEOPLE: readonly User[] = [
  user('p1', 'bob', 'bob@example.com', 34, '2022-01-01T01:00:00Z'),
  user('p2', 'Zoë', 'zoe@example.com', 9, '2021-12-31T23:00:00-05:00'),
  user('p3', 'émile', 'Emile@example.com', 100, '2023-05-10T10:30:00+02:00'),
  user('p4', 'Alice', 'alice@example.com', 10, '2023-05-10T09:00:00Z'),
  user('p5', 'david', 'David@example.com', 27, '2020-02-29T12:00:00Z'),
  user('p6', 'Emma', 'emma@example.com', 3, '2024-07-01T00:00:00+14:00'),
];
const INPUT_ORDER = ['bob', 'Zoë', 'émile', 'Alice', 'david', 'Emma'];

// Ties: ages 25 / 30, and Kim, lee and Max joined at the same instant (written differently for lee).
const TIES: readonly User[] = [
  user('t1', 'Kim', 'kim@example.com', 30, '2024-03-05T14:30:00Z'),
  user('t2', 'lee', 'lee@example.com', 25, '2024-03-05T16:30:00+02:00'),
  user('t3', 'Ann', 'ann@example.com', 30, '2023-01-01T00:00:00Z'),
  user('t4', 'Max', 'max@example.com', 25, '2024-03-05T14:30:00Z'),
  user('t5', 'jo', 'jo@example.com', 30, '2025-01-01T00:00:00Z'),
];

function fresh(list: readonly User[]): User[] {
  return list.map((u) => ({ ...u }));
}

function headerButton(label: Label): HTMLElement {
  return screen.getByRole('button', { name: new RegExp(`^${label}`) });
}

function header(label: Label): HTMLElement {
  return screen.getByRole('columnheader', { name: new RegExp(`^${label}`) });
}

function bodyRows(): HTMLTableRowElement[] {
  return screen
    .getAllByRole('row')
    .filter((row) => within(row).queryAllByRole('columnheader').length === 0) as HTMLTableRowElement[];
}

function names(): string[] {
  return bodyRows().map((row) => row.cells[0]?.textContent?.trim() ?? '');
}

async function clickHeader(label: Label, times = 1) {
  const ue = userEvent.setup();
  for (let i = 0; i < times; i++) await ue.click(headerButton(label));
}

function sortState(label: Label): string {
  return header(label).getAttribute('aria-sort') ?? 'none';
}

describe('UsersTable', () => {
  it('renders the four column headers as buttons, in order', () => {
    render(<UsersTable users={fresh(PEOPLE)} />);
    const headers = screen.getAllByRole('columnheader');
    expect(
      headers.map((h) => h.textContent?.replace(/[^A-Za-z]/g, '')),
      'the table has exactly the column headers Name, Email, Age, Joined, in that order',
    ).toEqual(LABELS);
    for (const label of LABELS) {
      expect(
        within(header(label)).getByRole('button', { name: new RegExp(`^${label}`) }),
        `the ${label} header contains a button named ${label}`,
      ).toBeInTheDocument();
    }
  });

  it('shows rows in the order of the users prop before any sort, with no header marked sorted', () => {
    render(<UsersTable users={fresh(PEOPLE)} />);
    expect(names(), 'before any click, rows follow the order of the users prop').toEqual(INPUT_ORDER);
    for (const label of LABELS) {
      expect(sortState(label), `before any click, the ${label} header is not marked as sorted`).toBe('none');
    }
  });

  it('renders name, email, age and joined in the cells of each row', () => {
    render(<UsersTable users={fresh(PEOPLE)} />);
    const rows = bodyRows();
    expect(rows, 'one body row per user').toHaveLength(PEOPLE.length);
    const alice = rows.find((row) => row.cells[0]?.textContent?.trim() === 'Alice');
    expect(alice, 'a row whose first cell is the name "Alice"').toBeDefined();
    expect(
      Array.from(alice!.cells).map((c) => c.textContent?.trim()),
      'cells show name, email, age and the joined string unchanged, in column order',
    ).toEqual(['Alice', 'alice@example.com', '10', '2023-05-10T09:00:00Z']);
  });

  it('sorts names case-insensitively, ascending on first click', async () => {
    render(<UsersTable users={fresh(PEOPLE)} />);
    await clickHeader('Name');
    const order = names();
    expect(
      order.filter((n) => n !== 'émile'),
      'name sort ignores case: "Alice", "bob", "david", "Emma", "Zoë"',
    ).toEqual(['Alice', 'bob', 'david', 'Emma', 'Zoë']);
  });

  it('sorts accented names with their base letter (locale-aware)', async () => {
    render(<UsersTable users={fresh(PEOPLE)} />);
    await clickHeader('Name');
    expect(names(), '"émile" sorts between "david" and "Emma", not after "Zoë"').toEqual([
      'Alice',
      'bob',
      'david',
      'émile',
      'Emma',
      'Zoë',
    ]);
  });

  it('reverses the direction when the sorted header is clicked again', async () => {
    render(<UsersTable users={fresh(PEOPLE)} />);
    await clickHeader('Name', 2);
    expect(names(), 'a second click on Name sorts names descending').toEqual([
      'Zoë',
      'Emma',
      'émile',
      'david',
      'bob',
      'Alice',
    ]);
    await clickHeader('Name');
    expect(names(), 'a third click on Name sorts ascending again').toEqual([
      'Alice',
      'bob',
      'david',
      'émile',
      'Emma',
      'Zoë',
    ]);
  });

  it('sets aria-sort on the sorted column header only', async () => {
    render(<UsersTable users={fresh(PEOPLE)} />);
    await clickHeader('Name');
    expect(sortState('Name'), 'after one click, the Name <th> has aria-sort="ascending"').toBe('ascending');
    expect(
      within(header('Name')).getByRole('button'),
      'a sort indicator is aria-hidden: the sorted button is still named exactly "Name"',
    ).toHaveAccessibleName('Name');
    for (const label of ['Email', 'Age', 'Joined'] as const) {
      expect(sortState(label), `${label} is not the sorted column: aria-sort is "none" or absent`).toBe(
        'none',
      );
    }
    await clickHeader('Name');
    expect(sortState('Name'), 'after a second click, the Name <th> has aria-sort="descending"').toBe(
      'descending',
    );
    await clickHeader('Age');
    expect(sortState('Age'), 'clicking Age makes the Age <th> aria-sort="ascending"').toBe('ascending');
    expect(sortState('Name'), 'Name is no longer sorted: aria-sort is "none" or absent').toBe('none');
  });

  it('sorts another column ascending when its header is clicked', async () => {
    render(<UsersTable users={fresh(PEOPLE)} />);
    await clickHeader('Name', 2);
    await clickHeader('Email');
    expect(sortState('Email'), 'switching to Email starts ascending').toBe('ascending');
    expect(
      names(),
      'emails sort ascending and case-insensitively (alice, bob, David, Emile, emma, zoe)',
    ).toEqual(['Alice', 'bob', 'david', 'émile', 'Emma', 'Zoë']);
  });

  it('sorts ages numerically, not as text', async () => {
    render(<UsersTable users={fresh(PEOPLE)} />);
    await clickHeader('Age');
    expect(names(), 'ages ascending: 3, 9, 10, 27, 34, 100 (numeric, not "10" < "100" < "27"…)').toEqual([
      'Emma',
      'Zoë',
      'Alice',
      'david',
      'bob',
      'émile',
    ]);
    await clickHeader('Age');
    expect(names(), 'ages descending: 100, 34, 27, 10, 9, 3').toEqual([
      'émile',
      'bob',
      'david',
      'Alice',
      'Zoë',
      'Emma',
    ]);
  });

  it('sorts joined timestamps chronologically, honouring UTC offsets', async () => {
    render(<UsersTable users={fresh(PEOPLE)} />);
    await clickHeader('Joined');
    expect(
      names(),
      'joined ascending by instant (e.g. 2021-12-31T23:00-05:00 is after 2022-01-01T01:00Z)',
    ).toEqual(['david', 'bob', 'Zoë', 'émile', 'Alice', 'Emma']);
    await clickHeader('Joined');
    expect(names(), 'joined descending by instant').toEqual([
      'Emma',
      'Alice',
      'émile',
      'Zoë',
      'bob',
      'david',
    ]);
  });

  it('keeps rows with equal values in input order when ascending', async () => {
    render(<UsersTable users={fresh(TIES)} />);
    await clickHeader('Age');
    expect(names(), 'equal ages keep the order of the users prop (25: lee, Max; 30: Kim, Ann, jo)').toEqual([
      'lee',
      'Max',
      'Kim',
      'Ann',
      'jo',
    ]);
  });

  it('keeps rows with equal values in input order when descending', async () => {
    render(<UsersTable users={fresh(TIES)} />);
    await clickHeader('Age', 2);
    expect(
      names(),
      'descending reverses the comparison, not the tie order: equal ages still follow the users prop',
    ).toEqual(['Kim', 'Ann', 'jo', 'lee', 'Max']);
  });

  it('orders ties by the users prop, not by a previously sorted column', async () => {
    render(<UsersTable users={fresh(TIES)} />);
    await clickHeader('Name', 2);
    await clickHeader('Age');
    expect(names(), 'after sorting by Name, then Age: equal ages still follow the users prop').toEqual([
      'lee',
      'Max',
      'Kim',
      'Ann',
      'jo',
    ]);
  });

  it('treats timestamps for the same instant as equal', async () => {
    render(<UsersTable users={fresh(TIES)} />);
    await clickHeader('Joined');
    expect(
      names(),
      '"2024-03-05T16:30:00+02:00" and "2024-03-05T14:30:00Z" are the same instant: a tie kept in input order',
    ).toEqual(['Ann', 'Kim', 'lee', 'Max', 'jo']);
  });

  it('does not mutate the users prop', async () => {
    const users = fresh(PEOPLE);
    const before = users.map((u) => u.id);
    render(<UsersTable users={users} />);
    await clickHeader('Name');
    await clickHeader('Age', 2);
    await clickHeader('Joined');
    expect(
      users.map((u) => u.id),
      'the users array passed as a prop must keep its order: sort a copy, never the prop itself',
    ).toEqual(before);
    expect(users, 'the user objects passed as a prop are unchanged').toEqual(fresh(PEOPLE));
  });

  it('keeps the sort when the users prop changes', async () => {
    const { rerender } = render(<UsersTable users={fresh(PEOPLE)} />);
    await clickHeader('Age', 2);
    const next = [
      ...fresh(PEOPLE).filter((u) => u.name !== 'bob'),
      user('p7', 'Quinn', 'quinn@example.com', 50, '2024-01-01T00:00:00Z'),
    ];
    rerender(<UsersTable users={next} />);
    expect(names(), 'new users prop: shown with the current sort (age descending) kept').toEqual([
      'émile',
      'Quinn',
      'david',
      'Alice',
      'Zoë',
      'Emma',
    ]);
    expect(sortState('Age'), 'the Age header stays aria-sort="descending" after the users prop changes').toBe(
      'descending',
    );
  });

  it('keys rows by id so row elements survive a re-sort', async () => {
    render(<UsersTable users={fresh(PEOPLE)} />);
    const byName = () => new Map(bodyRows().map((row) => [row.cells[0]?.textContent?.trim(), row]));
    const before = byName();
    await clickHeader('Name');
    const after = byName();
    for (const name of INPUT_ORDER) {
      expect(
        after.get(name),
        `the <tr> showing ${name} is the same element after sorting (rows keyed by user id, not by index)`,
      ).toBe(before.get(name));
    }
  });

  it('shows a No users row when the list is empty', async () => {
    render(<UsersTable users={[]} />);
    expect(
      screen.getAllByRole('columnheader'),
      'the header row still renders for an empty list',
    ).toHaveLength(4);
    const rows = bodyRows();
    expect(rows, 'the body has a single row for the empty state').toHaveLength(1);
    expect(rows[0].cells, 'the empty-state row has one cell').toHaveLength(1);
    expect(rows[0].cells[0].colSpan, 'the empty-state cell spans all four columns').toBe(4);
    expect(rows[0], 'the empty-state row reads "No users"').toHaveTextContent(/no users/i);
    await clickHeader('Name');
    await clickHeader('Age');
    expect(bodyRows(), 'sorting an empty table still shows only the empty-state row').toHaveLength(1);
    expect(screen.getByText(/no users/i), 'the "No users" text remains after sorting').toBeInTheDocument();
  });
});

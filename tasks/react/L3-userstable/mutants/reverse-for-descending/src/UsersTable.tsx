import { useMemo, useState } from 'react';
import type { SortDirection, SortKey, User } from './types';

export interface UsersTableProps {
  users: User[];
}

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  { key: 'age', label: 'Age' },
  { key: 'joined', label: 'Joined' },
];

const collator = new Intl.Collator(undefined, { sensitivity: 'base' });

function compareBy(key: SortKey, a: User, b: User): number {
  switch (key) {
    case 'name':
    case 'email':
      return collator.compare(a[key], b[key]);
    case 'age':
      return a.age - b.age;
    case 'joined':
      return Date.parse(a.joined) - Date.parse(b.joined);
  }
}

interface SortState {
  key: SortKey;
  direction: SortDirection;
}

export function UsersTable({ users }: UsersTableProps) {
  const [sort, setSort] = useState<SortState | null>(null);

  const rows = useMemo(() => {
    if (!sort) return users;
    // Copy first (never sort the parent's array); Array.prototype.sort is stable, and flipping the
    // sign of the comparison keeps ties in input order in both directions.
    const ascending = [...users].sort((a, b) => compareBy(sort.key, a, b));
    return sort.direction === 'ascending' ? ascending : ascending.reverse();
  }, [users, sort]);

  function onHeaderClick(key: SortKey) {
    setSort((prev) =>
      prev && prev.key === key
        ? { key, direction: prev.direction === 'ascending' ? 'descending' : 'ascending' }
        : { key, direction: 'ascending' },
    );
  }

  return (
    <table>
      <thead>
        <tr>
          {COLUMNS.map(({ key, label }) => {
            const active = sort?.key === key;
            return (
              <th key={key} scope="col" aria-sort={active ? sort.direction : 'none'}>
                <button type="button" onClick={() => onHeaderClick(key)}>
                  {label}
                  {active && <span aria-hidden="true">{sort.direction === 'ascending' ? ' ▲' : ' ▼'}</span>}
                </button>
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={COLUMNS.length}>No users</td>
          </tr>
        ) : (
          rows.map((user) => (
            <tr key={user.id}>
              <td>{user.name}</td>
              <td>{user.email}</td>
              <td>{user.age}</td>
              <td>{user.joined}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

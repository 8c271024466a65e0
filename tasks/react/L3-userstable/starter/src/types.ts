// The data contract for the users table. This file is fixed: do not change it.

export interface User {
  /** Unique and stable for a given user. */
  id: string;
  name: string;
  email: string;
  /** Whole years. */
  age: number;
  /**
   * When the user joined: an ISO 8601 timestamp with a time and an explicit offset,
   * e.g. "2024-03-05T14:30:00Z" or "2024-03-05T16:30:00+02:00" (the same instant).
   */
  joined: string;
}

/** The sortable columns, in display order. */
export type SortKey = 'name' | 'email' | 'age' | 'joined';

export type SortDirection = 'ascending' | 'descending';

import type { User } from './types';

export interface UsersTableProps {
  users: User[];
}

// TODO: implement the sortable users table described in the ticket.
export function UsersTable(_props: UsersTableProps) {
  return null;
}

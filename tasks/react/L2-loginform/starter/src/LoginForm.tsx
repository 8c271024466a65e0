import type { JSX } from 'react';

export interface LoginValues {
  email: string;
  password: string;
}

export interface LoginFormProps {
  /** Signs the user in. Resolves on success; rejects (usually with an Error) when sign-in fails. */
  onSubmit: (values: LoginValues) => Promise<void>;
}

// TODO: implement the form described in the ticket.
export function LoginForm(props: LoginFormProps): JSX.Element {
  void props;
  return <form />;
}

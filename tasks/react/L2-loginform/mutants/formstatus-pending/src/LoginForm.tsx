import { useId, useRef, useState, type FormEvent, type JSX } from 'react';
import { useFormStatus } from 'react-dom';

export interface LoginValues {
  email: string;
  password: string;
}

export interface LoginFormProps {
  /** Signs the user in. Resolves on success; rejects (usually with an Error) when sign-in fails. */
  onSubmit: (values: LoginValues) => Promise<void>;
}

type Field = 'email' | 'password';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FALLBACK_SERVER_ERROR = 'Sign-in failed. Please try again.';

function validateEmail(raw: string): string | null {
  const email = raw.trim();
  if (!email) return 'Email is required';
  if (!EMAIL_PATTERN.test(email)) return 'Enter a valid email address';
  return null;
}

function validatePassword(password: string): string | null {
  if (!password) return 'Password is required';
  if (password.length < 8) return 'Password must be at least 8 characters';
  return null;
}

function SubmitButton(): JSX.Element {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending}>
      {pending ? 'Signing in…' : 'Sign in'}
    </button>
  );
}

export function LoginForm({ onSubmit }: LoginFormProps): JSX.Element {
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState<Record<Field, boolean>>({ email: false, password: false });
  const [serverError, setServerError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const emailError = touched.email ? validateEmail(email) : null;
  const passwordError = touched.password ? validatePassword(password) : null;
  const touch = (field: Field) => setTouched((t) => (t[field] ? t : { ...t, [field]: true }));

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setTouched({ email: true, password: true });
    const emailProblem = validateEmail(email);
    const passwordProblem = validatePassword(password);
    if (emailProblem || passwordProblem) {
      (emailProblem ? emailRef : passwordRef).current?.focus();
      return;
    }
    setServerError(null);
    try {
      await onSubmit({ email: email.trim(), password });
    } catch (error) {
      setServerError(error instanceof Error && error.message ? error.message : FALLBACK_SERVER_ERROR);
    }
  }

  const emailErrorId = `${id}-email-error`;
  const passwordErrorId = `${id}-password-error`;

  return (
    <form className="login-form" noValidate onSubmit={(event) => void handleSubmit(event)}>
      <div className="login-form__field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          ref={emailRef}
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          onBlur={() => touch('email')}
          aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? emailErrorId : undefined}
        />
        {emailError && (
          <p id={emailErrorId} className="login-form__error">
            {emailError}
          </p>
        )}
      </div>
      <div className="login-form__field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          ref={passwordRef}
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          onBlur={() => touch('password')}
          aria-invalid={passwordError ? true : undefined}
          aria-describedby={passwordError ? passwordErrorId : undefined}
        />
        {passwordError && (
          <p id={passwordErrorId} className="login-form__error">
            {passwordError}
          </p>
        )}
      </div>
      {serverError && (
        <p role="alert" className="login-form__server-error">
          {serverError}
        </p>
      )}
      <SubmitButton />
    </form>
  );
}

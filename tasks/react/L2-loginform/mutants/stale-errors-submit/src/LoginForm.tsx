import { useId, useRef, useState, type FormEvent, type JSX } from 'react';

export interface LoginValues {
  email: string;
  password: string;
}

export interface LoginFormProps {
  /** Signs the user in. Resolves on success; rejects (usually with an Error) when sign-in fails. */
  onSubmit: (values: LoginValues) => Promise<void>;
}

type Field = 'email' | 'password';
type Errors = Partial<Record<Field, string>>;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validateEmail(raw: string): string | undefined {
  const email = raw.trim();
  if (!email) return 'Email is required';
  if (!EMAIL_PATTERN.test(email)) return 'Enter a valid email address';
  return undefined;
}

function validatePassword(password: string): string | undefined {
  if (!password) return 'Password is required';
  if (password.length < 8) return 'Password must be at least 8 characters';
  return undefined;
}

export function LoginForm({ onSubmit }: LoginFormProps): JSX.Element {
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState<Record<Field, boolean>>({ email: false, password: false });
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  function validateAll(): Errors {
    const next = { email: validateEmail(email), password: validatePassword(password) };
    setErrors(next);
    return next;
  }

  function handleChange(field: Field, value: string) {
    if (field === 'email') setEmail(value);
    else setPassword(value);
    if (touched[field]) {
      setErrors((prev) => ({ ...prev, [field]: field === 'email' ? validateEmail(value) : validatePassword(value) }));
    }
  }

  function handleBlur(field: Field) {
    setTouched((prev) => ({ ...prev, [field]: true }));
    setErrors((prev) => ({ ...prev, [field]: field === 'email' ? validateEmail(email) : validatePassword(password) }));
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (inFlight.current) return;
    setTouched({ email: true, password: true });
    validateAll();
    if (errors.email || errors.password) {
      (errors.email ? emailRef : passwordRef).current?.focus();
      return;
    }
    inFlight.current = true;
    setPending(true);
    setServerError(null);
    try {
      await onSubmit({ email: email.trim(), password });
    } catch (error) {
      setServerError(error instanceof Error && error.message ? error.message : 'Sign-in failed. Please try again.');
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }

  const emailError = touched.email ? errors.email : undefined;
  const passwordError = touched.password ? errors.password : undefined;

  return (
    <form noValidate onSubmit={(event) => void handleSubmit(event)}>
      <div>
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          ref={emailRef}
          id={`${id}-email`}
          type="email"
          value={email}
          onChange={(event) => handleChange('email', event.target.value)}
          onBlur={() => handleBlur('email')}
          aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? `${id}-email-error` : undefined}
        />
        {emailError && <p id={`${id}-email-error`}>{emailError}</p>}
      </div>
      <div>
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          ref={passwordRef}
          id={`${id}-password`}
          type="password"
          value={password}
          onChange={(event) => handleChange('password', event.target.value)}
          onBlur={() => handleBlur('password')}
          aria-invalid={passwordError ? true : undefined}
          aria-describedby={passwordError ? `${id}-password-error` : undefined}
        />
        {passwordError && <p id={`${id}-password-error`}>{passwordError}</p>}
      </div>
      {serverError && <p role="alert">{serverError}</p>}
      <button type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

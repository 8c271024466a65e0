import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test, vi } from 'vitest';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LoginForm, type LoginValues } from '../src/LoginForm';

const EMAIL_REQUIRED = 'Email is required';
const EMAIL_INVALID = 'Enter a valid email address';
const PASSWORD_REQUIRED = 'Password is required';
const PASSWORD_SHORT = 'Password must be at least 8 characters';
const FALLBACK = 'Sign-in failed. Please try again.';
const EMAIL_MESSAGES = [EMAIL_REQUIRED, EMAIL_INVALID];
const PASSWORD_MESSAGES = [PASSWORD_REQUIRED, PASSWORD_SHORT];

type Submit = (values: LoginValues) => Promise<void>;

function deferred() {
  let resolve!: () => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup(onSubmit: Submit = () => Promise.resolve()) {
  const spy = vi.fn(onSubmit);
  const user = userEvent.setup({ delay: null });
  const view = render(<LoginForm onSubmit={spy} />);
  return { user, onSubmit: spy, ...view };
}

function input(label: 'Email' | 'Password'): HTMLInputElement {
  const el = screen.queryByLabelText(label, { selector: 'input' });
  expect(el, `expected an input with the label "${label}"`).not.toBeNull();
  return el as HTMLInputElement;
}
const email = () => input('Email');
const password = () => input('Password');

function button(): HTMLButtonElement {
  const el = screen.queryByRole('button', { name: /sign/i });
  expect(el, 'expected a "Sign in" submit button').not.toBeNull();
  return el as HTMLButtonElement;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function visibleMessage(message: string): HTMLElement | undefined {
  return screen.queryAllByText(new RegExp(escape(message))).find((el) => {
    try {
      expect(el).toBeVisible();
      return true;
    } catch {
      return false;
    }
  });
}

function expectFieldError(field: HTMLInputElement, message: string, when: string): void {
  const label = field.type === 'password' ? 'Password' : 'Email';
  expect(visibleMessage(message), `${when}: the ${label} field should show "${message}"`).toBeDefined();
  expect(field, `${when}: the ${label} input should have aria-invalid="true"`).toHaveAttribute('aria-invalid', 'true');
  expect(field, `${when}: "${message}" should be the ${label} input's accessible description (aria-describedby)`).toHaveAccessibleDescription(
    new RegExp(escape(message)),
  );
}

function expectNoFieldError(field: HTMLInputElement, when: string): void {
  const label = field.type === 'password' ? 'Password' : 'Email';
  for (const message of label === 'Email' ? EMAIL_MESSAGES : PASSWORD_MESSAGES) {
    expect(visibleMessage(message), `${when}: the ${label} field should not show "${message}"`).toBeUndefined();
  }
  expect(field.getAttribute('aria-invalid') ?? 'false', `${when}: the ${label} input should not be marked aria-invalid`).not.toBe('true');
}

async function expectServerError(message: string): Promise<void> {
  await waitFor(() => {
    const alerts = screen.queryAllByRole('alert').map((el) => el.textContent ?? '');
    expect(alerts.some((text) => text.includes(message)), `expected an element with role="alert" showing "${message}" (alerts: ${JSON.stringify(alerts)})`).toBe(true);
  });
}

function serverErrorShown(message: string): boolean {
  return screen.queryAllByRole('alert').some((el) => (el.textContent ?? '').includes(message));
}

type User = ReturnType<typeof userEvent.setup>;

/** Puts `text` into the field the way a user pasting it would (one input event: faster than typing). */
async function enter(user: User, field: HTMLInputElement, text: string): Promise<void> {
  await user.click(field);
  await user.paste(text);
}

async function fillValid(user: User): Promise<void> {
  await enter(user, email(), 'ada@example.com');
  await enter(user, password(), 'correct horse');
}

describe('LoginForm', () => {
  it('renders labelled email and password inputs and a Sign in button', async () => {
    const { user } = setup();
    expect(email(), 'the Email input has type="email"').toHaveAttribute('type', 'email');
    expect(password(), 'the Password input has type="password"').toHaveAttribute('type', 'password');
    expect(button(), 'the Sign in button is enabled initially').toBeEnabled();
    await user.type(email(), 'ada@example.com');
    await user.type(password(), 'secret-123');
    expect(email(), 'the Email input shows what was typed').toHaveValue('ada@example.com');
    expect(password(), 'the Password input shows what was typed').toHaveValue('secret-123');
  });

  it('does not show errors while a field is first being typed into', async () => {
    const { user } = setup();
    await user.type(email(), 'ada');
    expectNoFieldError(email(), 'while typing "ada" for the first time, before leaving the field');
    await user.tab();
    await user.type(password(), 'abc');
    expectNoFieldError(password(), 'while typing "abc" for the first time, before leaving the field');
  });

  it('shows the email format error when the field is left, tied to the input', async () => {
    const { user } = setup();
    await user.type(email(), 'ada@example');
    await user.tab();
    expectFieldError(email(), EMAIL_INVALID, 'after leaving Email with "ada@example"');
    expectNoFieldError(password(), 'Password has not been touched yet');
  });

  it('shows required errors when fields are left empty', async () => {
    const { user } = setup();
    await user.click(email());
    await user.click(password());
    expectFieldError(email(), EMAIL_REQUIRED, 'after leaving an empty Email');
    expectNoFieldError(password(), 'while the empty Password has not been left yet');
    await user.click(document.body);
    expectFieldError(password(), PASSWORD_REQUIRED, 'after leaving an empty Password');
  });

  it('requires at least 8 password characters, and accepts exactly 8', async () => {
    const first = setup();
    await enter(first.user, password(), 'abc1234');
    await first.user.tab();
    expectFieldError(password(), PASSWORD_SHORT, 'after leaving Password with 7 characters');
    first.unmount();

    const second = setup();
    await enter(second.user, password(), 'abcd1234');
    await second.user.tab();
    expectNoFieldError(password(), 'after leaving Password with exactly 8 characters');
  });

  it('rejects malformed email addresses and accepts a well-formed one', async () => {
    const invalid = ['ada@example', 'ada.example.com', 'ada@ex@ample.com', 'ada lovelace@example.com', '@example.com', 'ada@example.', 'ada@.com'];
    for (const value of invalid) {
      const { user, unmount } = setup();
      await enter(user, email(), value);
      await user.tab();
      expectFieldError(email(), EMAIL_INVALID, `after leaving Email with "${value}"`);
      unmount();
    }
    const { user } = setup();
    await enter(user, email(), 'ada.lovelace+news@mail.example.org');
    await user.tab();
    expectNoFieldError(email(), 'after leaving Email with "ada.lovelace+news@mail.example.org"');
  });

  it('updates a shown error on every keystroke once the field is touched', async () => {
    const { user } = setup();
    await user.type(email(), 'ada@example');
    await user.tab();
    expectFieldError(email(), EMAIL_INVALID, 'after leaving Email with "ada@example"');
    await user.type(email(), '.com');
    expect(email(), 'the Email field still has focus').toHaveFocus();
    expectNoFieldError(email(), 'right after fixing a touched Email to "ada@example.com", without leaving it');
    await user.clear(email());
    expectFieldError(email(), EMAIL_REQUIRED, 'right after clearing a touched Email, without leaving it');
  });

  it('submitting an empty form shows every error and does not call onSubmit', async () => {
    const { user, onSubmit } = setup();
    await user.click(button());
    expectFieldError(email(), EMAIL_REQUIRED, 'after submitting an empty form');
    expectFieldError(password(), PASSWORD_REQUIRED, 'after submitting an empty form');
    expect(onSubmit, 'onSubmit must not be called while the form is invalid').not.toHaveBeenCalled();
  });

  it('an invalid submission moves focus to the first invalid field', async () => {
    const first = setup();
    await enter(first.user, email(), 'ada@');
    await enter(first.user, password(), 'correct horse');
    await first.user.click(button());
    expect(first.onSubmit, 'onSubmit must not be called with an invalid email').not.toHaveBeenCalled();
    expect(email(), 'after submitting with an invalid Email, focus moves to Email').toHaveFocus();
    first.unmount();

    const second = setup();
    await enter(second.user, email(), 'ada@example.com');
    await enter(second.user, password(), 'short');
    await second.user.click(button());
    expect(second.onSubmit, 'onSubmit must not be called with a short password').not.toHaveBeenCalled();
    expect(password(), 'after submitting with only the Password invalid, focus moves to Password').toHaveFocus();
    second.unmount();

    const both = setup();
    await enter(both.user, password(), 'short');
    await enter(both.user, email(), 'ada@');
    await both.user.click(button());
    expect(both.onSubmit, 'onSubmit must not be called with both fields invalid').not.toHaveBeenCalled();
    expect(email(), 'with both fields invalid, focus moves to the first one: Email before Password').toHaveFocus();
  });

  it('submits the trimmed email and the password exactly as typed', async () => {
    const { user, onSubmit } = setup();
    await enter(user, email(), 'ada@example.com ');
    await enter(user, password(), ' pass word ');
    await user.type(password(), '{Enter}');
    await waitFor(() => expect(onSubmit, 'pressing Enter in a field submits a valid form').toHaveBeenCalledTimes(1));
    expect(onSubmit, 'onSubmit receives the trimmed email and the untrimmed password').toHaveBeenCalledWith({
      email: 'ada@example.com',
      password: ' pass word ',
    });
  });

  it('disables Sign in while the submission is pending and re-enables it afterwards', async () => {
    const pending = deferred();
    const { user, onSubmit } = setup(() => pending.promise);
    await fillValid(user);
    await user.click(button());
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(button(), 'the submit button is disabled while onSubmit is pending').toBeDisabled();
    await act(async () => pending.resolve());
    await waitFor(() => expect(button(), 'the submit button is enabled again once onSubmit resolves').toBeEnabled());
  });

  it('ignores repeated submissions while one is pending', async () => {
    const pending = deferred();
    const { user, onSubmit } = setup(() => pending.promise);
    await fillValid(user);
    await user.click(button());
    await user.click(button());
    await user.type(password(), '{Enter}');
    expect(onSubmit, 'clicking again or pressing Enter while pending must not call onSubmit again').toHaveBeenCalledTimes(1);
    await act(async () => pending.reject(new Error('Server unavailable')));
    await waitFor(() => expect(button(), 'the submit button is enabled again once onSubmit rejects').toBeEnabled());
    await user.click(button());
    expect(onSubmit, 'once the first submission has settled, the form can be submitted again').toHaveBeenCalledTimes(2);
  });

  it('shows the server error and keeps the input when sign-in fails', async () => {
    const pending = deferred();
    const { user } = setup(() => pending.promise);
    await fillValid(user);
    await user.click(button());
    await act(async () => pending.reject(new Error('Invalid email or password')));
    await expectServerError('Invalid email or password');
    expect(email(), 'a failed sign-in keeps the email').toHaveValue('ada@example.com');
    expect(password(), 'a failed sign-in keeps the password').toHaveValue('correct horse');
    expect(button(), 'the submit button is enabled again after a failure').toBeEnabled();
  });

  it('falls back to a generic message when the rejection carries no message', async () => {
    const first = deferred();
    const second = deferred();
    const { user, onSubmit } = setup();
    onSubmit.mockImplementationOnce(() => first.promise).mockImplementationOnce(() => second.promise);
    await fillValid(user);
    await user.click(button());
    await act(async () => first.reject({ status: 401 }));
    await expectServerError(FALLBACK);
    await user.click(button());
    expect(onSubmit).toHaveBeenCalledTimes(2);
    await act(async () => second.reject(new Error('')));
    await expectServerError(FALLBACK);
  });

  it('clears the server error on the next valid submission', async () => {
    const failing = deferred();
    const { user, onSubmit } = setup();
    onSubmit.mockImplementationOnce(() => failing.promise);
    await fillValid(user);
    await user.click(button());
    await act(async () => failing.reject(new Error('Invalid email or password')));
    await expectServerError('Invalid email or password');
    await user.click(button());
    expect(onSubmit, 'the second submission calls onSubmit').toHaveBeenCalledTimes(2);
    await waitFor(() => expect(serverErrorShown('Invalid email or password'), 'the old server error is gone after a new submission').toBe(false));
  });
});

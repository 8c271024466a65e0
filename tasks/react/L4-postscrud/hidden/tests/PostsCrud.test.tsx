import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PostsCrud } from '../src/PostsCrud';
import type { Post } from '../src/api';
import { createFakeApi } from './fakeApi';

const POSTS: readonly Post[] = [
  { id: '1', title: 'First post', body: 'Hello world' },
  { id: '2', title: 'Second post', body: 'More words' },
  { id: '3', title: 'Third post', body: 'The end' },
];
const TITLES = POSTS.map((p) => p.title);

type Mode = 'create' | 'edit';
const FORM_NAME: Record<Mode, RegExp> = { create: /^new post$/i, edit: /^edit post$/i };
const SUBMIT_NAME: Record<Mode, RegExp> = { create: /^create\b/i, edit: /^save\b/i };

function renderScreen(
  posts: readonly Post[] = POSTS,
  prepare: (fake: ReturnType<typeof createFakeApi>) => void = () => {},
) {
  const fake = createFakeApi(posts);
  prepare(fake);
  const user = userEvent.setup({ delay: null });
  render(<PostsCrud api={fake.api} />);
  return { fake, user };
}

/** Renders and waits until the posts are listed. */
async function setup(posts: readonly Post[] = POSTS) {
  const ctx = renderScreen(posts);
  await screen.findByRole('list', { name: /^posts$/i }, { timeout: 2000 });
  return ctx;
}

function postList(): HTMLElement | null {
  return screen.queryByRole('list', { name: /^posts$/i });
}

/** The titles (headings) of the posts shown in the Posts list, in order. */
function titles(): string[] {
  const list = postList();
  if (!list) return [];
  return within(list)
    .queryAllByRole('listitem')
    .flatMap((li) => within(li).queryAllByRole('heading').slice(0, 1))
    .map((h) => h.textContent?.trim() ?? '');
}

function item(title: string): HTMLElement {
  const list = postList();
  const li =
    list &&
    within(list)
      .queryAllByRole('listitem')
      .find((el) =>
        within(el)
          .queryAllByRole('heading')
          .some((h) => h.textContent?.trim() === title),
      );
  if (!li) {
    throw new Error(
      `no item with the heading "${title}" in the Posts list (titles shown: ${titles().join(' | ')})`,
    );
  }
  return li;
}

function editButton(title: string) {
  return within(item(title)).getByRole('button', { name: /^edit\b/i });
}

function deleteButton(title: string) {
  return within(item(title)).getByRole('button', { name: /^delete\b/i });
}

function newPostButton() {
  return screen.getByRole('button', { name: /^new post$/i });
}

function getForm(mode: Mode): HTMLElement {
  return screen.getByRole('form', { name: FORM_NAME[mode] });
}

function titleField(form: HTMLElement) {
  return within(form).getByLabelText(/^title/i);
}

function bodyField(form: HTMLElement) {
  return within(form).getByLabelText(/^body/i);
}

function submitButton(form: HTMLElement, mode: Mode) {
  return within(form).getByRole('button', { name: SUBMIT_NAME[mode] });
}

function cancelButton(form: HTMLElement) {
  return within(form).getByRole('button', { name: /^cancel\b/i });
}

function confirmDialog(): HTMLElement {
  return screen.getByRole('dialog', { name: /delete post/i });
}

async function expectFormClosed(message: string) {
  await waitFor(() => {
    expect(screen.queryByRole('textbox', { name: /^title/i }), message).toBeNull();
  });
}

function alertTexts(scope: HTMLElement = document.body): string[] {
  return within(scope)
    .queryAllByRole('alert')
    .map((a) => a.textContent ?? '');
}

async function expectAlert(text: string, message: string) {
  await waitFor(() => {
    expect(
      alertTexts().some((t) => t.includes(text)),
      `${message} (role="alert" elements: ${JSON.stringify(alertTexts())})`,
    ).toBe(true);
  });
}

describe('PostsCrud: loading', () => {
  it('shows a loading state until the posts arrive, then lists them in order', async () => {
    const { fake } = renderScreen(POSTS, (f) => f.hold('list'));
    expect(fake.api.list, 'api.list() is called on mount').toHaveBeenCalledTimes(1);
    expect(
      screen.getByText(/loading posts/i),
      'shows "Loading posts…" while list() is pending',
    ).toBeInTheDocument();
    await fake.next('list').resolve();
    await waitFor(() =>
      expect(titles(), 'once list() resolves, every post is listed in order').toEqual(TITLES),
    );
    expect(
      screen.queryByText(/loading posts/i),
      'the loading text goes away once the posts are shown',
    ).toBeNull();
    expect(fake.api.list, 'api.list() is called exactly once on mount').toHaveBeenCalledTimes(1);
  });

  it('shows the error and a Retry button when loading fails; Retry loads again', async () => {
    const { fake: fake, user } = renderScreen(POSTS, (f) => f.failNext('list', new Error('Network down')));
    await expectAlert(
      'Network down',
      'when list() rejects, its error message is shown in a role="alert" element',
    );
    fake.hold('list');
    await user.click(screen.getByRole('button', { name: /^retry$/i }));
    expect(fake.api.list, 'Retry calls api.list() again').toHaveBeenCalledTimes(2);
    expect(
      screen.getByText(/loading posts/i),
      'the loading text shows again while the retry is pending',
    ).toBeInTheDocument();
    await fake.next('list').resolve();
    await waitFor(() => expect(titles(), 'after a successful retry the posts are listed').toEqual(TITLES));
  });

  it('shows an empty state when there are no posts', async () => {
    renderScreen([]);
    expect(
      await screen.findByText(/no posts yet/i, undefined, { timeout: 2000 }),
      'an empty list shows "No posts yet."',
    ).toBeInTheDocument();
    expect(titles(), 'no post items for an empty list').toEqual([]);
  });
});

describe('PostsCrud: creating', () => {
  it('creates a post from an empty form and appends it without reloading the list', async () => {
    const { fake, user } = await setup();
    await user.click(newPostButton());
    const form = getForm('create');
    expect(titleField(form), 'the New post form starts with an empty Title').toHaveValue('');
    expect(bodyField(form), 'the New post form starts with an empty Body').toHaveValue('');
    await user.type(titleField(form), 'Brand new');
    await user.type(bodyField(form), 'Fresh text');
    await user.click(submitButton(form, 'create'));
    expect(fake.api.create, 'Create sends the typed title and body').toHaveBeenCalledWith({
      title: 'Brand new',
      body: 'Fresh text',
    });
    await expectFormClosed('the form closes after a successful create');
    expect(titles(), 'the created post is appended at the end of the list').toEqual([...TITLES, 'Brand new']);
    expect(item('Brand new'), 'the created post shows its body').toHaveTextContent('Fresh text');
    expect(
      fake.api.list,
      'creating does not reload the list (api.list() only on mount)',
    ).toHaveBeenCalledTimes(1);
  });

  it('disables the submit button while the create request is pending', async () => {
    const { fake, user } = await setup();
    fake.hold('create');
    await user.click(newPostButton());
    const form = getForm('create');
    await user.type(titleField(form), 'Draft');
    const submit = submitButton(form, 'create');
    await user.click(submit);
    expect(fake.api.create, 'clicking Create calls api.create() once').toHaveBeenCalledTimes(1);
    expect(submit, 'the submit button is disabled while create() is pending').toBeDisabled();
    await user.click(submit);
    expect(fake.api.create, 'a second click while pending sends nothing').toHaveBeenCalledTimes(1);
    await fake.next('create').resolve();
    await expectFormClosed('the form closes once create() resolves');
    expect(titles(), 'the created post is listed once create() resolves').toEqual([...TITLES, 'Draft']);
  });

  it('sends the title and body exactly as entered, surrounding spaces included', async () => {
    const { fake, user } = await setup();
    await user.click(newPostButton());
    let form = getForm('create');
    await user.type(titleField(form), '  Spaced out ');
    await user.type(bodyField(form), ' indented body  ');
    await user.click(submitButton(form, 'create'));
    expect(fake.api.create, 'Create sends the field values as entered, without trimming them').toHaveBeenCalledWith({
      title: '  Spaced out ',
      body: ' indented body  ',
    });
    await expectFormClosed('the form closes after a successful create');
    await user.click(editButton('First post'));
    form = getForm('edit');
    await user.type(titleField(form), ' ');
    await user.click(submitButton(form, 'edit'));
    expect(fake.api.update, 'Save sends the field values as entered, without trimming them').toHaveBeenCalledWith(
      '1',
      { title: 'First post ', body: POSTS[0]!.body },
    );
  });

  it('requires a title before creating', async () => {
    const { fake, user } = await setup();
    await user.click(newPostButton());
    let form = getForm('create');
    await user.type(titleField(form), '   ');
    await user.type(bodyField(form), 'Only a body');
    await user.click(submitButton(form, 'create'));
    form = getForm('create');
    expect(
      within(form).getByText(/title is required/i),
      'a blank title shows "Title is required" in the form',
    ).toBeInTheDocument();
    expect(fake.api.create, 'nothing is sent when the title is blank').not.toHaveBeenCalled();
    expect(bodyField(form), 'the form keeps what the user typed').toHaveValue('Only a body');
    expect(titles(), 'the list is unchanged').toEqual(TITLES);
  });
});

describe('PostsCrud: editing', () => {
  it("opens the edit form with the post's saved values", async () => {
    const { user } = await setup();
    await user.click(editButton('Second post'));
    const form = getForm('edit');
    expect(titleField(form), 'the Edit post form starts with the post title').toHaveValue('Second post');
    expect(bodyField(form), 'the Edit post form starts with the post body').toHaveValue('More words');
    expect(submitButton(form, 'edit'), 'the edit form submits with a Save button').toBeInTheDocument();
  });

  it('saves an edit in place without reloading the list', async () => {
    const { fake, user } = await setup();
    await user.click(editButton('Second post'));
    let form = getForm('edit');
    await user.clear(titleField(form));
    await user.type(titleField(form), 'Second, revised');
    await user.clear(bodyField(form));
    await user.type(bodyField(form), 'Updated body');
    await user.click(submitButton(form, 'edit'));
    expect(fake.api.update, 'Save sends the post id and the typed values').toHaveBeenCalledWith('2', {
      title: 'Second, revised',
      body: 'Updated body',
    });
    await expectFormClosed('the form closes after a successful save');
    expect(titles(), 'the list shows the saved post in place, without a reload').toEqual([
      'First post',
      'Second, revised',
      'Third post',
    ]);
    expect(item('Second, revised'), 'the list shows the saved body').toHaveTextContent('Updated body');
    expect(fake.api.list, 'saving does not reload the list (api.list() only on mount)').toHaveBeenCalledTimes(
      1,
    );
    await user.click(editButton('Second, revised'));
    form = getForm('edit');
    expect(titleField(form), 'editing the post again starts from the saved title').toHaveValue(
      'Second, revised',
    );
    expect(bodyField(form), 'editing the post again starts from the saved body').toHaveValue('Updated body');
  });

  it('Cancel discards the draft and leaves the list unchanged', async () => {
    const { fake, user } = await setup();
    await user.click(editButton('First post'));
    let form = getForm('edit');
    await user.type(titleField(form), ' EDITED');
    await user.clear(bodyField(form));
    await user.type(bodyField(form), 'scratch');
    expect(titles(), 'typing in the form does not change the list').toEqual(TITLES);
    expect(item('First post'), 'the list keeps the saved body while typing').toHaveTextContent('Hello world');
    expect(item('First post'), 'the list does not show the draft body while typing').not.toHaveTextContent(
      'scratch',
    );
    await user.click(cancelButton(form));
    await expectFormClosed('Cancel closes the form');
    expect(titles(), 'after Cancel the list still shows the saved posts').toEqual(TITLES);
    expect(fake.api.update, 'Cancel sends nothing').not.toHaveBeenCalled();
    await user.click(editButton('First post'));
    form = getForm('edit');
    expect(
      titleField(form),
      'after Cancel, editing again starts from the saved title, not the discarded draft',
    ).toHaveValue('First post');
    expect(bodyField(form), 'after Cancel, editing again starts from the saved body').toHaveValue(
      'Hello world',
    );
  });

  it("editing another post while a form is open switches the form to that post's values", async () => {
    const { fake, user } = await setup();
    await user.click(editButton('First post'));
    const first = getForm('edit');
    await user.clear(titleField(first));
    await user.type(titleField(first), 'Typed for first');
    await user.click(editButton('Second post'));
    const form = getForm('edit');
    expect(titleField(form), 'clicking Edit on another post loads its title into the form').toHaveValue(
      'Second post',
    );
    expect(bodyField(form), 'clicking Edit on another post loads its body into the form').toHaveValue(
      'More words',
    );
    await user.type(titleField(form), '!');
    await user.click(submitButton(form, 'edit'));
    expect(fake.api.update, 'Save sends exactly one update').toHaveBeenCalledTimes(1);
    expect(fake.api.update, 'Save updates the post now in the form, with its values').toHaveBeenCalledWith(
      '2',
      {
        title: 'Second post!',
        body: 'More words',
      },
    );
    await expectFormClosed('the form closes after a successful save');
    expect(titles(), 'only the saved post changes in the list').toEqual([
      'First post',
      'Second post!',
      'Third post',
    ]);
  });

  it('a failed save keeps the form open with the typed values and shows the error', async () => {
    const { fake, user } = await setup();
    fake.failNext('update', new Error('Server exploded'));
    await user.click(editButton('First post'));
    let form = getForm('edit');
    await user.clear(titleField(form));
    await user.type(titleField(form), 'First, changed');
    await user.click(submitButton(form, 'edit'));
    await waitFor(() => {
      const open = screen.queryByRole('form', { name: FORM_NAME.edit });
      expect(open, 'after a failed save the Edit post form stays open').not.toBeNull();
      expect(
        alertTexts(open!).some((t) => t.includes('Server exploded')),
        'the save error message is shown in a role="alert" element inside the form',
      ).toBe(true);
    });
    form = getForm('edit');
    expect(titleField(form), 'the form keeps the typed title after a failed save').toHaveValue(
      'First, changed',
    );
    expect(bodyField(form), 'the form keeps the body after a failed save').toHaveValue('Hello world');
    expect(titles(), 'a failed save leaves the list unchanged').toEqual(TITLES);
    expect(submitButton(form, 'edit'), 'Save is enabled again after a failure').toBeEnabled();
    await user.click(submitButton(form, 'edit'));
    expect(fake.api.update, 'saving again retries the update').toHaveBeenCalledTimes(2);
    expect(fake.api.update).toHaveBeenLastCalledWith('1', { title: 'First, changed', body: 'Hello world' });
    await expectFormClosed('the form closes once the retried save succeeds');
    expect(titles(), 'the list shows the post saved by the retry').toEqual([
      'First, changed',
      'Second post',
      'Third post',
    ]);
  });

  it('opening another post after a failed save shows no stale error or draft', async () => {
    const { fake, user } = await setup();
    fake.failNext('update', new Error('Server exploded'));
    await user.click(editButton('First post'));
    await user.type(titleField(getForm('edit')), ' v2');
    await user.click(submitButton(getForm('edit'), 'edit'));
    await expectAlert('Server exploded', 'the save error is shown');
    await user.click(editButton('Second post'));
    let form = getForm('edit');
    expect(titleField(form), 'the form switches to the other post').toHaveValue('Second post');
    expect(
      within(form).queryByText(/server exploded/i),
      'a freshly opened form shows no error from before',
    ).toBeNull();
    await user.click(cancelButton(form));
    await user.click(editButton('First post'));
    form = getForm('edit');
    expect(titleField(form), 'the failed draft was discarded: the saved title is back').toHaveValue(
      'First post',
    );
    expect(within(form).queryByText(/server exploded/i), 'no stale error when reopening').toBeNull();
  });

  it('requires a title when saving an edit', async () => {
    const { fake, user } = await setup();
    await user.click(editButton('First post'));
    let form = getForm('edit');
    await user.clear(titleField(form));
    await user.click(submitButton(form, 'edit'));
    form = getForm('edit');
    expect(
      within(form).getByText(/title is required/i),
      'an empty title shows "Title is required"',
    ).toBeInTheDocument();
    expect(fake.api.update, 'nothing is sent when the title is empty').not.toHaveBeenCalled();
    expect(bodyField(form), 'the form keeps its body').toHaveValue('Hello world');
    expect(titles(), 'the list is unchanged').toEqual(TITLES);
  });
});

describe('PostsCrud: create after edit', () => {
  it('New post after a saved edit starts with an empty form', async () => {
    const { fake, user } = await setup();
    await user.click(editButton('First post'));
    const edit = getForm('edit');
    await user.clear(titleField(edit));
    await user.type(titleField(edit), 'Renamed');
    await user.click(submitButton(edit, 'edit'));
    await expectFormClosed('the form closes after a successful save');
    await user.click(newPostButton());
    const form = getForm('create');
    expect(titleField(form), 'New post starts with an empty Title, not the last edit').toHaveValue('');
    expect(bodyField(form), 'New post starts with an empty Body, not the last edit').toHaveValue('');
    expect(fake.api.update).toHaveBeenCalledTimes(1);
  });

  it('New post while editing switches to an empty create form', async () => {
    const { fake, user } = await setup();
    await user.click(editButton('Second post'));
    await user.type(titleField(getForm('edit')), ' (draft)');
    await user.click(newPostButton());
    const form = getForm('create');
    expect(
      screen.queryByRole('form', { name: FORM_NAME.edit }),
      'the edit form is replaced by the New post form',
    ).toBeNull();
    expect(titleField(form), 'New post starts with an empty Title').toHaveValue('');
    expect(bodyField(form), 'New post starts with an empty Body').toHaveValue('');
    await user.type(titleField(form), 'Another');
    await user.click(submitButton(form, 'create'));
    expect(fake.api.create, 'Create sends only what was typed in the New post form').toHaveBeenCalledWith({
      title: 'Another',
      body: '',
    });
    expect(fake.api.update, 'creating does not update the post that was being edited').not.toHaveBeenCalled();
    await expectFormClosed('the form closes after a successful create');
    expect(titles(), 'the edited post is unchanged; the new post is appended').toEqual([
      ...TITLES,
      'Another',
    ]);
  });
});

describe('PostsCrud: deleting', () => {
  it('asks for confirmation in a dialog; Cancel keeps the post', async () => {
    const { fake, user } = await setup();
    await user.click(deleteButton('Second post'));
    const dialog = confirmDialog();
    expect(dialog, 'the confirmation dialog names the post').toHaveTextContent('Second post');
    expect(fake.api.remove, 'nothing is deleted before confirming').not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: /^cancel\b/i }));
    expect(screen.queryByRole('dialog'), 'Cancel closes the dialog').toBeNull();
    expect(fake.api.remove, 'Cancel sends nothing').not.toHaveBeenCalled();
    expect(titles(), 'Cancel keeps the post').toEqual(TITLES);
  });

  it('confirming deletes the post without reloading the list', async () => {
    const { fake, user } = await setup();
    fake.hold('remove');
    await user.click(deleteButton('Second post'));
    await user.click(within(confirmDialog()).getByRole('button', { name: /^delete\b/i }));
    expect(fake.api.remove, 'confirming calls api.remove with the post id').toHaveBeenCalledWith('2');
    await fake.next('remove').resolve();
    await waitFor(() =>
      expect(titles(), 'the deleted post disappears from the list').toEqual(['First post', 'Third post']),
    );
    expect(screen.queryByRole('dialog'), 'the dialog is closed').toBeNull();
    expect(fake.api.remove).toHaveBeenCalledTimes(1);
    expect(
      fake.api.list,
      'deleting does not reload the list (api.list() only on mount)',
    ).toHaveBeenCalledTimes(1);
  });

  it('a failed delete keeps the post in place and shows the error', async () => {
    const { fake, user } = await setup();
    fake.hold('remove');
    await user.click(deleteButton('Second post'));
    await user.click(within(confirmDialog()).getByRole('button', { name: /^delete\b/i }));
    await fake.next('remove').reject(new Error('Cannot delete'));
    await expectAlert(
      'Cannot delete',
      'when remove() rejects, its error message is shown in a role="alert" element',
    );
    expect(titles(), 'after a failed delete the post is still listed at its original position').toEqual(
      TITLES,
    );
  });

  it('deleting the post open in the edit form closes the form', async () => {
    const { fake, user } = await setup();
    await user.click(editButton('Second post'));
    expect(getForm('edit')).toBeInTheDocument();
    await user.click(deleteButton('Second post'));
    await user.click(within(confirmDialog()).getByRole('button', { name: /^delete\b/i }));
    await waitFor(() =>
      expect(titles(), 'the deleted post disappears from the list').toEqual(['First post', 'Third post']),
    );
    await expectFormClosed('the edit form of a deleted post closes');
    expect(fake.api.remove).toHaveBeenCalledWith('2');
  });
});

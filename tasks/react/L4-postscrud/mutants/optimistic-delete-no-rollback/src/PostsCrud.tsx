import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Post, PostInput, PostsApi } from './api';

export interface PostsCrudProps {
  api: PostsApi;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type FormTarget = { mode: 'create' } | { mode: 'edit'; post: Post };

/** An open form: `session` changes every time a form is opened, so the form remounts fresh. */
interface OpenForm {
  session: number;
  target: FormTarget;
}

interface PostFormProps {
  target: FormTarget;
  onSubmit(input: PostInput): Promise<void>;
  onCancel(): void;
}

function PostForm({ target, onSubmit, onCancel }: PostFormProps) {
  const initial = target.mode === 'edit' ? target.post : { title: '', body: '' };
  const [title, setTitle] = useState(initial.title);
  const [body, setBody] = useState(initial.body);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const headingId = useId();
  const titleId = useId();
  const bodyId = useId();
  const heading = target.mode === 'edit' ? 'Edit post' : 'New post';

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (title.trim() === '') {
      setError('Title is required');
      return;
    }
    setError(null);
    setPending(true);
    try {
      await onSubmit({ title, body });
      // On success the parent closes (unmounts) this form.
    } catch (err) {
      setError(messageOf(err));
      setPending(false);
    }
  }

  return (
    <form aria-labelledby={headingId} onSubmit={handleSubmit} noValidate>
      <h2 id={headingId}>{heading}</h2>
      <div>
        <label htmlFor={titleId}>Title</label>
        <input id={titleId} type="text" value={title} onChange={(e) => setTitle(e.target.value)} />
      </div>
      <div>
        <label htmlFor={bodyId}>Body</label>
        <textarea id={bodyId} value={body} onChange={(e) => setBody(e.target.value)} />
      </div>
      {error !== null && <p role="alert">{error}</p>}
      <button type="submit" disabled={pending}>
        {target.mode === 'edit' ? 'Save' : 'Create'}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

interface ConfirmDeleteProps {
  post: Post;
  onConfirm(): void;
  onCancel(): void;
}

function ConfirmDelete({ post, onConfirm, onCancel }: ConfirmDeleteProps) {
  const headingId = useId();
  const textId = useId();
  return (
    <div role="dialog" aria-modal="true" aria-labelledby={headingId} aria-describedby={textId}>
      <h2 id={headingId}>Delete post</h2>
      <p id={textId}>Delete “{post.title}”? This cannot be undone.</p>
      <button type="button" onClick={onConfirm}>
        Delete
      </button>
      <button type="button" onClick={onCancel} autoFocus>
        Cancel
      </button>
    </div>
  );
}

type LoadState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready' };

export function PostsCrud({ api }: PostsCrudProps) {
  const [load, setLoad] = useState<LoadState>({ status: 'loading' });
  const [posts, setPosts] = useState<Post[]>([]);
  const [form, setForm] = useState<OpenForm | null>(null);
  const [confirming, setConfirming] = useState<Post | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const sessions = useRef(0);
  const mounted = useRef(true);

  const fetchPosts = useCallback(async () => {
    setLoad({ status: 'loading' });
    try {
      const result = await api.list();
      if (!mounted.current) return;
      setPosts(result);
      setLoad({ status: 'ready' });
    } catch (err) {
      if (!mounted.current) return;
      setLoad({ status: 'error', message: messageOf(err) });
    }
  }, [api]);

  useEffect(() => {
    mounted.current = true;
    void fetchPosts();
    return () => {
      mounted.current = false;
    };
  }, [fetchPosts]);

  function openForm(target: FormTarget) {
    sessions.current += 1;
    setForm({ session: sessions.current, target });
  }

  /** Close the form only if it is still the one that was open when the request started. */
  function closeForm(session: number) {
    setForm((current) => (current && current.session === session ? null : current));
  }

  async function submit(open: OpenForm, input: PostInput) {
    if (open.target.mode === 'create') {
      const created = await api.create(input);
      setPosts((current) => [...current, created]);
    } else {
      const id = open.target.post.id;
      const saved = await api.update(id, input);
      setPosts((current) => current.map((p) => (p.id === id ? saved : p)));
    }
    closeForm(open.session);
  }

  async function confirmDelete() {
    const post = confirming;
    if (!post) return;
    setConfirming(null);
    setDeleteError(null);
    setPosts((current) => current.filter((p) => p.id !== post.id));
    try {
      await api.remove(post.id);
      setForm((current) =>
        current && current.target.mode === 'edit' && current.target.post.id === post.id ? null : current,
      );
    } catch (err) {
      setDeleteError(messageOf(err));
    }
  }

  return (
    <section>
      <h1>Posts</h1>
      <button type="button" onClick={() => openForm({ mode: 'create' })}>
        New post
      </button>

      {form && (
        <PostForm
          key={form.session}
          target={form.target}
          onSubmit={(input) => submit(form, input)}
          onCancel={() => closeForm(form.session)}
        />
      )}

      {deleteError !== null && <p role="alert">{deleteError}</p>}

      {load.status === 'loading' && <p role="status">Loading posts…</p>}
      {load.status === 'error' && (
        <div>
          <p role="alert">{load.message}</p>
          <button type="button" onClick={() => void fetchPosts()}>
            Retry
          </button>
        </div>
      )}
      {load.status === 'ready' &&
        (posts.length === 0 ? (
          <p>No posts yet.</p>
        ) : (
          <ul aria-label="Posts">
            {posts.map((post) => (
              <li key={post.id}>
                <h3>{post.title}</h3>
                <p>{post.body}</p>
                <button
                  type="button"
                  onClick={() => {
                    // Fresh form with the saved values; whatever was being typed is discarded.
                    openForm({ mode: 'edit', post });
                  }}
                >
                  Edit
                </button>
                <button type="button" onClick={() => setConfirming(post)}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
        ))}

      {confirming && (
        <ConfirmDelete
          post={confirming}
          onConfirm={() => void confirmDelete()}
          onCancel={() => setConfirming(null)}
        />
      )}
    </section>
  );
}

// An in-memory PostsApi for the hidden tests. Calls resolve on their own (as a fast server would)
// unless the test holds a method (`hold`), in which case each call waits until the test settles it
// (`next(method).resolve()` / `.reject(error)`), so pending states are observable. `failNext` makes
// the next call of a method reject. No timers anywhere.
import { act } from '@testing-library/react';
import { vi } from 'vitest';
import type { Post, PostInput, PostsApi } from '../src/api';

type Method = keyof PostsApi;

interface HeldCall {
  args: unknown[];
  settle(outcome: { ok: true } | { ok: false; error: Error }): void;
}

export interface PendingCall {
  args: unknown[];
  /** Performs the call on the in-memory store and resolves it (inside act). */
  resolve(): Promise<void>;
  /** Rejects the call with `error` (inside act); the store is unchanged. */
  reject(error: Error): Promise<void>;
}

export function createFakeApi(initial: readonly Post[]) {
  let store: Post[] = initial.map((p) => ({ ...p }));
  let nextId = 100;
  const held = new Set<Method>();
  const queues: Record<Method, HeldCall[]> = { list: [], create: [], update: [], remove: [] };
  const failures: Record<Method, Error[]> = { list: [], create: [], update: [], remove: [] };

  function perform(method: Method, args: unknown[]): unknown {
    switch (method) {
      case 'list':
        return store.map((p) => ({ ...p }));
      case 'create': {
        const input = args[0] as PostInput;
        const post: Post = { id: String(nextId++), title: input.title, body: input.body };
        store = [...store, post];
        return { ...post };
      }
      case 'update': {
        const [id, input] = args as [string, PostInput];
        const existing = store.find((p) => p.id === id);
        if (!existing) throw new Error(`No post with id ${id}`);
        const post: Post = { id, title: input.title, body: input.body };
        store = store.map((p) => (p.id === id ? post : p));
        return { ...post };
      }
      case 'remove': {
        const [id] = args as [string];
        if (!store.some((p) => p.id === id)) throw new Error(`No post with id ${id}`);
        store = store.filter((p) => p.id !== id);
        return undefined;
      }
    }
  }

  function call(method: Method, args: unknown[]): Promise<unknown> {
    const failure = failures[method].shift();
    if (failure) return Promise.reject(failure);
    if (held.has(method)) {
      return new Promise((resolve, reject) => {
        queues[method].push({
          args,
          settle(outcome) {
            if (!outcome.ok) return reject(outcome.error);
            try {
              resolve(perform(method, args));
            } catch (error) {
              reject(error);
            }
          },
        });
      });
    }
    try {
      return Promise.resolve(perform(method, args));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  const api = {
    list: vi.fn(() => call('list', []) as Promise<Post[]>),
    create: vi.fn((input: PostInput) => call('create', [input]) as Promise<Post>),
    update: vi.fn((id: string, input: PostInput) => call('update', [id, input]) as Promise<Post>),
    remove: vi.fn((id: string) => call('remove', [id]) as Promise<void>),
  } satisfies PostsApi;

  return {
    api,
    /** From now on, calls of `method` stay pending until settled with `next(method)`. */
    hold(method: Method) {
      held.add(method);
    },
    /** The next call of `method` rejects with `error` (immediately, not held). */
    failNext(method: Method, error: Error) {
      failures[method].push(error);
    },
    /** The oldest still-pending held call of `method`. */
    next(method: Method): PendingCall {
      const pending = queues[method].shift();
      if (!pending) throw new Error(`expected a pending api.${method}() call, but there is none`);
      return {
        args: pending.args,
        async resolve() {
          await act(async () => pending.settle({ ok: true }));
        },
        async reject(error: Error) {
          await act(async () => pending.settle({ ok: false, error }));
        },
      };
    },
    /** The server-side posts, for assertions. */
    stored(): Post[] {
      return store.map((p) => ({ ...p }));
    },
  };
}

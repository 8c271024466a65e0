// The posts API contract. This file is fixed: do not change it.
// The component receives an implementation of PostsApi as a prop (a real HTTP client in production).

export interface Post {
  id: string;
  title: string;
  body: string;
}

/** What the form sends when creating or updating a post. */
export interface PostInput {
  title: string;
  body: string;
}

/** Every method may reject with an `Error` whose `message` is meant to be shown to the user. */
export interface PostsApi {
  /** All posts, in display order. */
  list(): Promise<Post[]>;
  /** Creates a post; resolves to the stored post (with its new id). */
  create(input: PostInput): Promise<Post>;
  /** Replaces a post's title and body; resolves to the stored post. */
  update(id: string, input: PostInput): Promise<Post>;
  /** Deletes a post. */
  remove(id: string): Promise<void>;
}

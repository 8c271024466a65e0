import type { PostsApi } from './api';

export interface PostsCrudProps {
  api: PostsApi;
}

// TODO: implement the posts CRUD screen described in the ticket.
export function PostsCrud(_props: PostsCrudProps) {
  return null;
}

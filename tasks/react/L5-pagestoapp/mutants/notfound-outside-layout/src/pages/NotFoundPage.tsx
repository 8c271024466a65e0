import { Link } from 'react-router';

export interface NotFoundPageProps {
  pathname: string;
}

export function NotFoundPage({ pathname }: NotFoundPageProps) {
  return (
    <section>
      <h1>Page not found</h1>
      <p>Nothing lives at {pathname}.</p>
      <Link to="/home">Go to the home page</Link>
    </section>
  );
}

export interface NotFoundPageProps {
  pathname: string;
}

export function NotFoundPage({ pathname }: NotFoundPageProps) {
  return (
    <section>
      <h1>Page not found</h1>
      <p>Nothing lives at {pathname}.</p>
      <a href="/home">Go to the home page</a>
    </section>
  );
}

export function HomePage() {
  return (
    <section>
      <h1>Home</h1>
      <p>Welcome to Mission Control. Pick a project to see where it stands.</p>
    </section>
  );
}

// The application shell: to be built (see the ticket).
export function App() {
  return <p>Mission Control is under construction.</p>;
}

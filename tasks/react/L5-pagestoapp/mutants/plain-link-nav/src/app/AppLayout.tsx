import { Link, Outlet } from 'react-router';
import { useSettings } from './SettingsContext';

export function AppLayout() {
  const { saved } = useSettings();
  return (
    <>
      <header>
        <p>Mission Control</p>
        <nav aria-label="Main">
          <ul>
            <li>
              <Link to="/home">Home</Link>
            </li>
            <li>
              <Link to="/projects">Projects</Link>
            </li>
            <li>
              <Link to="/settings">Settings</Link>
            </li>
          </ul>
        </nav>
        <p>Signed in as {saved.displayName}</p>
      </header>
      <main>
        <Outlet />
      </main>
    </>
  );
}

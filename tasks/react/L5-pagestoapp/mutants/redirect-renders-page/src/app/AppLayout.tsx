import { NavLink, Outlet } from 'react-router';
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
              <NavLink to="/home">Home</NavLink>
            </li>
            <li>
              <NavLink to="/projects">Projects</NavLink>
            </li>
            <li>
              <NavLink to="/settings">Settings</NavLink>
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

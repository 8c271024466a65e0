import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test, vi } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation, useNavigate, type NavigateFunction } from 'react-router';
import { App } from '../src/App';

// Test harness: the app is rendered inside a MemoryRouter (as src/main.tsx renders it inside a
// BrowserRouter); a probe next to it reads the router's current location and can go back in history.
let navigateInTest: NavigateFunction | null = null;

function LocationProbe() {
  const location = useLocation();
  navigateInTest = useNavigate();
  return <div data-testid="router-location">{location.pathname}</div>;
}

function renderApp(initialEntries: string[], initialIndex?: number) {
  navigateInTest = null;
  const user = userEvent.setup();
  const utils = render(
    <MemoryRouter initialEntries={initialEntries} initialIndex={initialIndex}>
      <App />
      <LocationProbe />
    </MemoryRouter>,
  );
  return { user, ...utils };
}

function currentPath(): string {
  return screen.getByTestId('router-location').textContent ?? '';
}

/** Waits (briefly) until the router's location is `path`. */
async function expectPath(path: string, message: string) {
  await waitFor(() => expect(currentPath(), message).toBe(path));
}

/** Waits (briefly) until <main> shows a level-1 heading `name`. */
async function expectPage(name: string, message: string) {
  await waitFor(() => {
    const main = screen.queryByRole('main');
    expect(main, `${message} (there is no <main> element)`).not.toBeNull();
    expect(within(main!).queryByRole('heading', { level: 1, name }), message).not.toBeNull();
  });
}

function mainNav() {
  return screen.getByRole('navigation', { name: 'Main' });
}

function navLink(name: 'Home' | 'Projects' | 'Settings') {
  return within(mainNav()).getByRole('link', { name });
}

function mainLink(name: string) {
  return within(screen.getByRole('main')).getByRole('link', { name });
}

function expectOnlyCurrent(current: 'Home' | 'Projects' | 'Settings' | null, where: string) {
  for (const name of ['Home', 'Projects', 'Settings'] as const) {
    if (name === current) {
      expect(navLink(name), `${where}: the "${name}" nav link is marked aria-current="page"`).toHaveAttribute(
        'aria-current',
        'page',
      );
    } else {
      expect(
        navLink(name),
        `${where}: the "${name}" nav link is not marked as the current page`,
      ).not.toHaveAttribute('aria-current', 'page');
    }
  }
}

describe('layout and pages', () => {
  it('renders the Home page at /home inside the shared layout', async () => {
    renderApp(['/home']);
    await expectPage('Home', 'the Home page renders inside <main> at /home');
    const banner = screen.getByRole('banner');
    expect(banner, 'the header shows the app name').toHaveTextContent('Mission Control');
    expect(banner, 'the header shows the saved display name').toHaveTextContent('Signed in as Ada');
    expect(
      within(banner).queryByRole('navigation', { name: 'Main' }),
      'the header contains <nav aria-label="Main">',
    ).not.toBeNull();
    expect(
      within(mainNav())
        .getAllByRole('link')
        .map((link) => link.textContent),
      'the main navigation has three links, in this order',
    ).toEqual(['Home', 'Projects', 'Settings']);
    expect(navLink('Home'), 'the Home nav link points to /home').toHaveAttribute('href', '/home');
    expect(navLink('Projects'), 'the Projects nav link points to /projects').toHaveAttribute(
      'href',
      '/projects',
    );
    expect(navLink('Settings'), 'the Settings nav link points to /settings').toHaveAttribute(
      'href',
      '/settings',
    );
  });

  it('navigates between pages with the nav links and moves the current-page mark', async () => {
    const { user } = renderApp(['/home']);
    await expectPage('Home', 'the Home page renders at /home');
    await user.click(navLink('Projects'));
    await expectPath('/projects', 'clicking the "Projects" nav link navigates to /projects');
    await expectPage('Projects', 'clicking the "Projects" nav link shows the Projects page');
    expectOnlyCurrent('Projects', 'after clicking Projects');
    await user.click(navLink('Settings'));
    await expectPath('/settings', 'clicking the "Settings" nav link navigates to /settings');
    await expectPage('Settings', 'clicking the "Settings" nav link shows the Settings page');
    expectOnlyCurrent('Settings', 'after clicking Settings');
    await user.click(navLink('Home'));
    await expectPath('/home', 'clicking the "Home" nav link navigates to /home');
    await expectPage('Home', 'clicking the "Home" nav link shows the Home page');
    expectOnlyCurrent('Home', 'after clicking Home');
  });

  it('marks only the current page link with aria-current="page"', async () => {
    renderApp(['/settings']);
    await expectPage('Settings', 'the Settings page renders at /settings');
    expectOnlyCurrent('Settings', 'at /settings');
  });

  it('keeps the Projects nav link current on a project detail page', async () => {
    renderApp(['/projects/gemini']);
    await expectPage('Gemini', 'the Gemini project page renders at /projects/gemini');
    expectOnlyCurrent('Projects', 'at /projects/gemini');
  });
});

describe('projects', () => {
  it('lists every project as a link to its detail page', async () => {
    renderApp(['/projects']);
    await expectPage('Projects', 'the Projects page renders at /projects');
    for (const [name, id] of [
      ['Apollo', 'apollo'],
      ['Gemini', 'gemini'],
      ['Mercury', 'mercury'],
    ]) {
      expect(mainLink(name), `the projects list links "${name}" to its detail page`).toHaveAttribute(
        'href',
        `/projects/${id}`,
      );
    }
  });

  it('opens a project detail page when its link in the list is clicked', async () => {
    const { user } = renderApp(['/projects']);
    await expectPage('Projects', 'the Projects page renders at /projects');
    await user.click(mainLink('Gemini'));
    await expectPath(
      '/projects/gemini',
      'clicking a project in the list navigates client-side to /projects/<id>',
    );
    await expectPage('Gemini', 'clicking a project in the list shows its detail page');
    expect(screen.getByRole('main'), 'the detail page shows the project description').toHaveTextContent(
      'Pair every support ticket with its deployment history.',
    );
  });

  it('renders a project detail page directly from its URL', async () => {
    renderApp(['/projects/mercury']);
    await expectPage('Mercury', '/projects/mercury shows the Mercury project');
    const main = screen.getByRole('main');
    expect(main, 'the detail page shows the project description').toHaveTextContent(
      'Cut the cold start of the mobile app below one second.',
    );
    expect(main, 'the detail page shows the project status').toHaveTextContent('Status: Done');
  });

  it('goes back to the list with the "Back to projects" link', async () => {
    const { user } = renderApp(['/projects/apollo']);
    await expectPage('Apollo', 'the Apollo project page renders at /projects/apollo');
    await user.click(mainLink('Back to projects'));
    await expectPath('/projects', '"Back to projects" navigates client-side to /projects');
    await expectPage('Projects', '"Back to projects" shows the Projects page');
  });

  it('shows "Project not found" for an unknown project id and keeps the URL', async () => {
    renderApp(['/projects/pluto']);
    await expectPage(
      'Project not found',
      'an unknown project id shows a "Project not found" heading in <main>',
    );
    expect(screen.getByRole('main'), 'the message names the requested id').toHaveTextContent('pluto');
    expect(currentPath(), 'an unknown project id does not redirect').toBe('/projects/pluto');
    expect(
      screen.queryByRole('navigation', { name: 'Main' }),
      'the layout stays around the "Project not found" message',
    ).not.toBeNull();
  });

  it('keeps the Projects nav link current on the page of an unknown project', async () => {
    renderApp(['/projects/pluto']);
    await expectPage('Project not found', 'an unknown project id shows a "Project not found" heading in <main>');
    expectOnlyCurrent('Projects', 'at /projects/pluto (a project page, even though the project does not exist)');
  });
});

describe('not found and redirects', () => {
  it('shows the not-found page for an unknown path inside the layout', async () => {
    renderApp(['/no/such/page']);
    await expectPage('Page not found', 'an unknown path shows "Page not found" inside <main>');
    expect(screen.getByRole('main'), 'the not-found page shows the requested path').toHaveTextContent(
      '/no/such/page',
    );
    expect(currentPath(), 'an unknown path does not redirect').toBe('/no/such/page');
    expect(screen.queryByRole('banner'), 'the header is shown on the not-found page').not.toBeNull();
    expect(screen.getByRole('banner'), 'the header is shown on the not-found page').toHaveTextContent(
      'Signed in as Ada',
    );
    expectOnlyCurrent(null, 'on the not-found page');
  });

  it('goes home from the not-found page with its link', async () => {
    const { user } = renderApp(['/missing']);
    await expectPage('Page not found', 'an unknown path shows "Page not found" inside <main>');
    await user.click(mainLink('Go to the home page'));
    await expectPath('/home', '"Go to the home page" navigates client-side to /home');
    await expectPage('Home', '"Go to the home page" shows the Home page');
  });

  it('redirects / to /home', async () => {
    renderApp(['/']);
    await expectPath('/home', '/ redirects: the location becomes /home');
    await expectPage('Home', 'the redirect from / shows the Home page');
    expectOnlyCurrent('Home', 'after the redirect from /');
  });

  it('redirects the old /dashboard path to /home', async () => {
    renderApp(['/dashboard']);
    await expectPath('/home', '/dashboard redirects: the location becomes /home');
    await expectPage('Home', 'the redirect from /dashboard shows the Home page');
    expectOnlyCurrent('Home', 'after the redirect from /dashboard');
  });

  it('redirects the legacy /p/:projectId path to that project', async () => {
    renderApp(['/p/apollo']);
    await expectPath('/projects/apollo', '/p/apollo redirects: the location becomes /projects/apollo');
    await expectPage('Apollo', 'the redirect from /p/apollo shows the Apollo project');
  });

  it('redirects replace the history entry, so Back skips the old path', async () => {
    renderApp(['/projects', '/dashboard'], 1);
    await expectPath('/home', '/dashboard redirects to /home');
    await expectPage('Home', 'the redirect from /dashboard shows the Home page');
    await act(async () => {
      await navigateInTest!(-1);
    });
    await expectPath(
      '/projects',
      'going Back after the /dashboard → /home redirect returns to the page before /dashboard',
    );
    await expectPage('Projects', 'going Back after a redirect shows the page before the old path');
  });
});

describe('settings state', () => {
  it('keeps an unsaved settings draft when navigating away and back', async () => {
    const { user } = renderApp(['/settings']);
    await expectPage('Settings', 'the Settings page renders at /settings');
    const name = screen.getByRole('textbox', { name: 'Display name' });
    await user.clear(name);
    await user.type(name, 'Grace');
    await user.click(screen.getByRole('checkbox', { name: 'Email notifications' }));

    await user.click(navLink('Projects'));
    await expectPage('Projects', 'the "Projects" nav link shows the Projects page');
    await user.click(navLink('Settings'));
    await expectPage('Settings', 'the "Settings" nav link shows the Settings page');

    expect(
      screen.getByRole('textbox', { name: 'Display name' }),
      'the unsaved display name survives navigating away and back',
    ).toHaveValue('Grace');
    expect(
      screen.getByRole('checkbox', { name: 'Email notifications' }),
      'the unsaved checkbox state survives navigating away and back',
    ).not.toBeChecked();
    expect(screen.getByRole('banner'), 'an unsaved draft does not change the header').toHaveTextContent(
      'Signed in as Ada',
    );
  });

  it('shows the saved display name in the header on every page', async () => {
    const { user } = renderApp(['/settings']);
    await expectPage('Settings', 'the Settings page renders at /settings');
    const name = screen.getByRole('textbox', { name: 'Display name' });
    await user.clear(name);
    await user.type(name, 'Grace');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('banner'), 'saving updates the header at once').toHaveTextContent(
      'Signed in as Grace',
    );

    await user.click(navLink('Home'));
    await expectPage('Home', 'the "Home" nav link shows the Home page');
    expect(screen.getByRole('banner'), 'the saved name stays in the header on other pages').toHaveTextContent(
      'Signed in as Grace',
    );
    await user.click(navLink('Settings'));
    await expectPage('Settings', 'the "Settings" nav link shows the Settings page');
    expect(
      screen.getByRole('textbox', { name: 'Display name' }),
      'the form shows the saved name when coming back',
    ).toHaveValue('Grace');
  });

  it('starts every newly rendered App from the default settings', async () => {
    const first = renderApp(['/settings']);
    await expectPage('Settings', 'the Settings page renders at /settings');
    const name = screen.getByRole('textbox', { name: 'Display name' });
    await first.user.clear(name);
    await first.user.type(name, 'Grace');
    await first.user.click(screen.getByRole('checkbox', { name: 'Email notifications' }));
    await first.user.click(screen.getByRole('button', { name: 'Save' }));
    first.unmount();

    renderApp(['/settings']);
    await expectPage('Settings', 'the Settings page renders at /settings');
    expect(
      screen.getByRole('textbox', { name: 'Display name' }),
      'a newly rendered App starts with the default display name',
    ).toHaveValue('Ada');
    expect(
      screen.getByRole('checkbox', { name: 'Email notifications' }),
      'a newly rendered App starts with the default notification setting',
    ).toBeChecked();
    expect(
      screen.getByRole('banner'),
      'a newly rendered App shows the default name in the header',
    ).toHaveTextContent('Signed in as Ada');
  });
});

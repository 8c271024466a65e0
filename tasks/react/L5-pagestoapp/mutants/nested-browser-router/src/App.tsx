import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AppLayout } from './app/AppLayout';
import { LegacyProjectRedirect, NotFoundRoute, ProjectDetailRoute, ProjectsRoute } from './app/routeElements';
import { SettingsProvider } from './app/SettingsContext';
import { HomePage } from './pages/HomePage';
import { SettingsPage } from './pages/SettingsPage';

export function App() {
  return (
    <BrowserRouter>
      <SettingsProvider>
        <Routes>
          <Route index element={<Navigate to="/home" replace />} />
          <Route path="dashboard" element={<Navigate to="/home" replace />} />
          <Route path="p/:projectId" element={<LegacyProjectRedirect />} />
          <Route element={<AppLayout />}>
            <Route path="home" element={<HomePage />} />
            <Route path="projects" element={<ProjectsRoute />} />
            <Route path="projects/:projectId" element={<ProjectDetailRoute />} />
            <Route path="settings" element={<SettingsPage />} />
            <Route path="*" element={<NotFoundRoute />} />
          </Route>
        </Routes>
      </SettingsProvider>
    </BrowserRouter>
  );
}

import { Navigate, useLocation, useParams } from 'react-router';
import { getProject, projects } from '../data/projects';
import { NotFoundPage } from '../pages/NotFoundPage';
import { ProjectDetailPage } from '../pages/ProjectDetailPage';
import { ProjectsPage } from '../pages/ProjectsPage';

export function ProjectsRoute() {
  return <ProjectsPage projects={projects} />;
}

export function ProjectDetailRoute() {
  const { projectId = '' } = useParams();
  const project = getProject(projectId);
  if (!project) {
    return (
      <section>
        <h1>Project not found</h1>
        <p>There is no project with id "{projectId}".</p>
      </section>
    );
  }
  return <ProjectDetailPage project={project} />;
}

export function LegacyProjectRedirect() {
  const { projectId = '' } = useParams();
  return <Navigate to={`/projects/${encodeURIComponent(projectId)}`} replace />;
}

export function NotFoundRoute() {
  const { pathname } = useLocation();
  return <NotFoundPage pathname={pathname} />;
}

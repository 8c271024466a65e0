import { Link } from 'react-router';
import type { Project } from '../data/projects';

const STATUS_LABELS: Record<Project['status'], string> = {
  active: 'Active',
  paused: 'Paused',
  done: 'Done',
};

export interface ProjectsPageProps {
  projects: readonly Project[];
}

export function ProjectsPage({ projects }: ProjectsPageProps) {
  return (
    <section>
      <h1>Projects</h1>
      <ul>
        {projects.map((project) => (
          <li key={project.id}>
            <Link to={`/projects/${project.id}`}>{project.name}</Link> ({STATUS_LABELS[project.status]})
          </li>
        ))}
      </ul>
    </section>
  );
}

import { Link } from 'react-router';
import type { Project } from '../data/projects';

const STATUS_LABELS: Record<Project['status'], string> = {
  active: 'Active',
  paused: 'Paused',
  done: 'Done',
};

export interface ProjectDetailPageProps {
  project: Project;
}

export function ProjectDetailPage({ project }: ProjectDetailPageProps) {
  return (
    <article>
      <h1>{project.name}</h1>
      <p>{project.description}</p>
      <p>Status: {STATUS_LABELS[project.status]}</p>
      <Link to="/projects">Back to projects</Link>
    </article>
  );
}

// Project data used by the app. Fixed: do not change it.
export type ProjectStatus = 'active' | 'paused' | 'done';

export interface Project {
  id: string;
  name: string;
  description: string;
  status: ProjectStatus;
}

export const projects: readonly Project[] = [
  {
    id: 'apollo',
    name: 'Apollo',
    description: 'Rebuild the billing service on the new event bus.',
    status: 'active',
  },
  {
    id: 'gemini',
    name: 'Gemini',
    description: 'Pair every support ticket with its deployment history.',
    status: 'paused',
  },
  {
    id: 'mercury',
    name: 'Mercury',
    description: 'Cut the cold start of the mobile app below one second.',
    status: 'done',
  },
];

/** The project with this id, or `undefined` when there is none. */
export function getProject(id: string): Project | undefined {
  return projects.find((project) => project.id === id);
}

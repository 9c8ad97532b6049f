'use client';

import { usePathname } from 'next/navigation';
import type { ViewerProject } from '@/lib/viewer';
import { switchProject } from './actions';

/** A plain form, so switching works before (or without) client JavaScript; the pathname is rendered on the server too. */
export function ProjectSwitcher({ projects, current }: { projects: ViewerProject[]; current: string | null }) {
  const pathname = usePathname();
  if (projects.length === 0) return null;
  return (
    <form action={switchProject} className="project-switcher">
      <input type="hidden" name="returnTo" value={pathname} />
      <label htmlFor="project-switcher" className="visually-hidden">
        Project
      </label>
      <select id="project-switcher" name="project" defaultValue={current ?? undefined}>
        {projects.map((project) => (
          <option key={project.id} value={project.key}>
            {project.name}
          </option>
        ))}
      </select>
      <button type="submit" className="button button-small">
        Switch
      </button>
    </form>
  );
}

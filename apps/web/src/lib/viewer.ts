import { AppErrorCode, roleSatisfies } from '@pedigree/shared';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { graphql } from '@/gql';
import type { ProjectRole, ViewerQuery } from '@/gql/graphql';
import { getClient } from './apollo/client';
import { apiErrorOf } from './apollo/errors';
import { selectedProjectKey } from './project';
import { readSessionToken } from './session';

export type ViewerProject = ViewerQuery['projects'][number];

const VIEWER = graphql(`
  query Viewer {
    me {
      id
      email
      name
      isAdmin
    }
    projects {
      id
      key
      name
      viewerRole
    }
  }
`);

/**
 * The signed-in user and their projects, or null without a valid session. Cached per request, so
 * the layout and the page share one API call.
 */
export const loadViewer = cache(async (): Promise<ViewerQuery | null> => {
  if (!(await readSessionToken())) return null;
  try {
    const { data } = await (await getClient()).query({ query: VIEWER });
    return data?.me ? data : null;
  } catch (error) {
    if (apiErrorOf(error)?.code === AppErrorCode.UNAUTHENTICATED) return null;
    throw error;
  }
});

export async function requireViewer(): Promise<ViewerQuery & { me: NonNullable<ViewerQuery['me']> }> {
  const viewer = await loadViewer();
  if (!viewer?.me) redirect('/login');
  return { ...viewer, me: viewer.me };
}

/**
 * The project a page shows (see `selectedProjectKey`), or null when the viewer is a member of none:
 * a project the viewer cannot read is never selected, whatever the URL asks for.
 */
export async function currentProject(requested?: string | string[]): Promise<ViewerProject | null> {
  const { projects } = await requireViewer();
  const key = await selectedProjectKey(
    projects.map((project) => project.key),
    typeof requested === 'string' ? requested : null,
  );
  return projects.find((project) => project.key === key) ?? null;
}

/** Whether the viewer's role shows a control; the API enforces the same rule either way. */
export function hasRole(viewerRole: ProjectRole | null | undefined, needed: ProjectRole): boolean {
  return viewerRole ? roleSatisfies(viewerRole, needed) : false;
}

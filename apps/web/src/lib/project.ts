import { cookies } from 'next/headers';

/** Name of the cookie holding the key of the project the viewer last switched to. */
export const PROJECT_COOKIE = 'pedigree_project';

/**
 * The project a page shows: `?project=KEY` wins, then the project switcher's cookie, then the
 * first of `available` (the viewer's projects, as the API lists them). Null when there are none.
 */
export async function selectedProjectKey(available: string[], requested?: string | null): Promise<string | null> {
  if (requested && available.includes(requested)) return requested;
  const remembered = (await cookies()).get(PROJECT_COOKIE)?.value;
  if (remembered && available.includes(remembered)) return remembered;
  return available[0] ?? null;
}

'use server';

import { redirect } from 'next/navigation';
import { cookies } from 'next/headers';
import { PROJECT_COOKIE } from '@/lib/project';
import { clearSessionToken } from '@/lib/session';
import { requireViewer } from '@/lib/viewer';
import { sectionOf } from './sections';

export async function signOut(): Promise<void> {
  await clearSessionToken();
  redirect('/login');
}

/**
 * Remembers the chosen project and reopens the section the switcher was used in, at its top: a
 * model or filter of the previous project means nothing in the next one.
 */
export async function switchProject(form: FormData): Promise<void> {
  const key = String(form.get('project') ?? '');
  const { projects } = await requireViewer();
  if (projects.some((project) => project.key === key)) {
    (await cookies()).set(PROJECT_COOKIE, key, {
      httpOnly: true,
      sameSite: 'lax',
      secure: process.env.NODE_ENV === 'production',
      path: '/',
      maxAge: 60 * 60 * 24 * 365,
    });
  }
  redirect(sectionOf(String(form.get('returnTo') ?? '')) ?? '/models');
}

import { cookies } from 'next/headers';

/** Name of the httpOnly cookie holding the API session token. */
export const SESSION_COOKIE = 'pedigree_session';

export async function readSessionToken(): Promise<string | undefined> {
  const value = (await cookies()).get(SESSION_COOKIE)?.value;
  return value ? value : undefined;
}

/** Only callable from a server action or route handler: server components cannot set cookies. */
export async function storeSessionToken(token: string): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    // Browsers still accept Secure cookies from http://localhost, so this holds for `next start` locally too.
    secure: process.env.NODE_ENV === 'production',
    path: '/',
  });
}

export async function clearSessionToken(): Promise<void> {
  (await cookies()).delete({ name: SESSION_COOKIE, path: '/' });
}

import { type CookieOptions, type Request, type Response, Router } from 'express';
import { currentRequestId } from '../../common/request-context';
import { logger } from '../../logger';
import { SignInError } from './oidc.errors';
import type { OidcService } from './oidc.service';
import { PENDING_SIGN_IN_COOKIE, PENDING_SIGN_IN_MS } from './pending-sign-in';

/** The web app's httpOnly cookie with the API session token (apps/web/src/lib/session.ts). */
export const SESSION_COOKIE = 'pedigree_session';

function cookie(req: Request, name: string): string | undefined {
  for (const pair of (req.header('cookie') ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) return decodeURIComponent(pair.slice(separator + 1).trim());
  }
  return undefined;
}

function fail(res: Response, error: unknown, webUrl: string | null): void {
  const known = error instanceof SignInError ? error : null;
  if (!known) logger.error({ err: error, requestId: currentRequestId() }, 'single sign-on failed unexpectedly');
  const message = known?.message ?? `Internal error. Quote request id ${currentRequestId() ?? 'unknown'} when you report it.`;
  const again = webUrl ? `\n\nSign in: ${webUrl}/login` : '';
  res.status(known?.status ?? 500).type('text/plain').send(`Single sign-on failed: ${message}${again}\n`);
}

/**
 * `GET /auth/oidc/login?returnTo=/path[&reauthenticate=true]` sends the browser to the identity
 * provider; `GET /auth/oidc/callback` finishes the sign-in, sets the web app's session cookie, and
 * sends the browser to `returnTo`. The pending sign-in travels in a sealed cookie, so any replica can
 * finish it. The session cookie is set on the API's host, which the configuration requires to be
 * the web app's host too: browsers share cookies across the ports of one host.
 */
export function oidcRouter(oidc: OidcService | null): Router {
  const router = Router();
  const secure = (url: string) => new URL(url).protocol === 'https:';
  const pendingCookie: CookieOptions = { httpOnly: true, sameSite: 'lax', path: '/auth/oidc' };

  router.get('/auth/oidc/login', async (req, res) => {
    if (!oidc) return fail(res, new SignInError(404, 'NOT_CONFIGURED', 'Single sign-on is not configured on this instance. Sign in with your email and password.'), null);
    try {
      const { location, pendingCookie: sealed } = await oidc.start(req.query.returnTo, req.query.reauthenticate === 'true');
      res.cookie(PENDING_SIGN_IN_COOKIE, sealed, { ...pendingCookie, secure: secure(oidc.redirectUrl), maxAge: PENDING_SIGN_IN_MS });
      res.redirect(302, location);
    } catch (error) {
      fail(res, error, oidc.webUrl);
    }
  });

  router.get('/auth/oidc/callback', async (req, res) => {
    if (!oidc) return fail(res, new SignInError(404, 'NOT_CONFIGURED', 'Single sign-on is not configured on this instance.'), null);
    // A pending sign-in is good for one attempt, whatever its outcome.
    res.clearCookie(PENDING_SIGN_IN_COOKIE, pendingCookie);
    try {
      const query = new URL(req.originalUrl, 'http://callback.invalid').search;
      const { location, sessionToken } = await oidc.finish(query, cookie(req, PENDING_SIGN_IN_COOKIE));
      // The same attributes as the web app's own sign-in, so either can replace or clear the other's cookie.
      res.cookie(SESSION_COOKIE, sessionToken, { httpOnly: true, sameSite: 'lax', secure: secure(oidc.webUrl), path: '/' });
      res.redirect(302, location);
    } catch (error) {
      fail(res, error, oidc.webUrl);
    }
  });

  return router;
}

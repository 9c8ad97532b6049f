import type { ProjectRole } from '@pedigree/shared';
import type { DataSource } from 'typeorm';
import { preparedQuery } from '../database/prepared';
import { API_TOKEN_PREFIX, hashApiToken, type Session, verifySessionToken } from './credentials';
import { AuthMethod, type TokenScope, Viewer, type ViewerAuthentication, type ViewerUser } from './viewer';

const ASK_ADMIN = 'Ask an instance admin if you think this is a mistake.';

export interface Authentication {
  viewer: Viewer | null;
  /** Why a presented credential was refused; shown when a guarded field is asked for. */
  failure?: string;
}

/**
 * The user with their memberships, as one query; null when the user does not exist or is
 * deactivated. Every request runs it, so a deactivation takes effect on the next request on every
 * replica, without a revocation list.
 */
export async function loadViewer(
  dataSource: DataSource,
  userId: string,
  token: TokenScope | null = null,
  authentication: ViewerAuthentication | null = null,
): Promise<Viewer | null> {
  const rows = await preparedQuery<ViewerUser & { projectId: string | null; role: ProjectRole | null }>(
    dataSource,
    `SELECT u.id, u.email, u.is_admin AS "isAdmin", m.project_id AS "projectId", m.role
       FROM app_user u LEFT JOIN project_member m ON m.user_id = u.id
      WHERE u.id = $1 AND u.deactivated_at IS NULL`,
    [userId],
  );
  if (rows.length === 0) return null;
  const memberships = new Map<string, ProjectRole>();
  for (const row of rows) if (row.projectId && row.role) memberships.set(row.projectId, row.role);
  const { id, email, isAdmin } = rows[0];
  return new Viewer({ id, email, isAdmin }, memberships, token, authentication);
}

/** Reads `Authorization: Bearer <token>`: a session token from `login`, or an API token (`pdg_…`). */
export async function authenticate(dataSource: DataSource, secret: string, authorization: string | undefined): Promise<Authentication> {
  if (!authorization) return { viewer: null };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) return { viewer: null, failure: 'The Authorization header must be "Bearer <token>".' };
  const presented = match[1];
  if (presented.startsWith(API_TOKEN_PREFIX)) {
    const [token]: Array<{ id: string; userId: string; projectId: string | null; role: ProjectRole | null }> = await dataSource.query(
      `SELECT id, user_id AS "userId", project_id AS "projectId", role FROM api_token
        WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [hashApiToken(presented)],
    );
    if (!token) return { viewer: null, failure: 'The API token is unknown, revoked or expired. Create a new one with createApiToken.' };
    const scope = { tokenId: token.id, projectId: token.projectId, role: token.role };
    const viewer = await loadViewer(dataSource, token.userId, scope, { method: AuthMethod.API_TOKEN, authenticatedAt: null });
    return viewer ? { viewer } : { viewer: null, failure: `The API token's user no longer exists or has been deactivated. ${ASK_ADMIN}` };
  }
  let session: Session;
  try {
    session = verifySessionToken(presented, secret);
  } catch (error) {
    const expired = error instanceof Error && error.name === 'TokenExpiredError';
    return { viewer: null, failure: expired ? 'The session has expired. Sign in again with login.' : 'The session token is not valid. Sign in again with login.' };
  }
  const viewer = await loadViewer(dataSource, session.userId, null, { method: session.method, authenticatedAt: session.authenticatedAt });
  return viewer ? { viewer } : { viewer: null, failure: `The signed-in user no longer exists or has been deactivated. ${ASK_ADMIN}` };
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { signSessionToken } from '../../common/auth/credentials';
import { AuthMethod } from '../../common/auth/viewer';
import { lockKey } from '../../common/database/locks';
import type { OidcSettings } from '../../config';
import { auditedTransaction, recordAudit } from '../audit/audit.service';
import { syncGroupMemberships } from '../project/group-membership';
import { User } from '../user/user.entity';
import { OidcClient, type VerifiedIdentity } from './oidc.client';
import { SignInError, START_AGAIN } from './oidc.errors';
import { openPendingSignIn, type PendingSignIn, sealPendingSignIn } from './pending-sign-in';
import { webAppPath } from './return-to';
import { UserIdentity } from './user-identity.entity';

export interface SignInSettings {
  secret: string;
  sessionHours: number;
  oidc: OidcSettings;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Single sign-on: starts a sign-in at the identity provider, and finishes it by finding or creating
 * the user of the verified identity, bringing their group memberships in line, and opening a session.
 */
export class OidcService {
  private readonly client: OidcClient;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: SignInSettings,
  ) {
    this.client = new OidcClient(settings.oidc);
  }

  get webUrl(): string {
    return this.settings.oidc.webUrl;
  }

  /** The API's callback as browsers reach it; its scheme decides whether cookies are Secure. */
  get redirectUrl(): string {
    return this.settings.oidc.redirectUrl;
  }

  /** The provider URL to send the browser to, and the sealed pending sign-in for its cookie. */
  async start(returnTo: unknown, reauthenticate: boolean): Promise<{ location: string; pendingCookie: string }> {
    const path = webAppPath(returnTo);
    if (!path) throw new SignInError(400, 'BAD_RETURN_TO', 'returnTo must be a path of the web app, like /models; URLs of other hosts are refused.');
    const pending = this.client.newPendingSignIn(path, reauthenticate);
    return { location: await this.client.authorizationUrl(pending), pendingCookie: sealPendingSignIn(pending, this.settings.secret) };
  }

  /** Finishes the sign-in the provider redirected back with; failures are audited and rethrown. */
  async finish(query: string, pendingCookie: string | undefined): Promise<{ location: string; sessionToken: string }> {
    try {
      const pending = openPendingSignIn(pendingCookie, this.settings.secret);
      if (!pending) throw new SignInError(400, 'NO_PENDING_SIGN_IN', `This browser has no sign-in in progress, or it took longer than 10 minutes. ${START_AGAIN}`);
      const state = new URLSearchParams(query).get('state');
      if (!state || !sameText(state, pending.state)) {
        throw new SignInError(400, 'STATE_MISMATCH', `The sign-in response does not belong to the sign-in this browser started (state mismatch). ${START_AGAIN}`);
      }
      await this.consumeState(pending);
      const identity = await this.client.complete(query, pending);
      const userId = await this.signIn(identity);
      const session = { userId, method: AuthMethod.OIDC, authenticatedAt: identity.authenticatedAt };
      return { location: `${this.webUrl}${pending.returnTo}`, sessionToken: signSessionToken(session, this.settings.secret, this.settings.sessionHours) };
    } catch (error) {
      if (error instanceof SignInError) await this.recordFailure(error);
      throw error;
    }
  }

  /** Each state completes once, on any replica: a replayed response finds its state already used. */
  private async consumeState(pending: PendingSignIn): Promise<void> {
    await this.dataSource.query(`DELETE FROM oidc_consumed_state WHERE expires_at < now()`);
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO oidc_consumed_state (state_hash, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING state_hash`,
      [sha256(pending.state), new Date(pending.expiresAt)],
    );
    if (inserted.length === 0) throw new SignInError(400, 'STATE_REPLAYED', `This sign-in response was already used. ${START_AGAIN}`);
  }

  /** The user of the identity, created on first sign-in; found by issuer and subject, never by email. */
  private signIn(identity: VerifiedIdentity): Promise<string> {
    return auditedTransaction(this.dataSource, async (manager) => {
      await lockKey(manager, `user-identity:${identity.issuer}:${identity.subject}`);
      const linked = await manager.findOneBy(UserIdentity, { issuer: identity.issuer, subject: identity.subject });
      const user = linked ? await this.updateLinkedUser(manager, linked, identity) : await this.createUser(manager, identity);
      const [{ groups }]: Array<{ groups: string[] }> = await manager.query(
        `SELECT array(SELECT DISTINCT unnest(groups) FROM user_identity WHERE user_id = $1 ORDER BY 1) AS groups`,
        [user.id],
      );
      await syncGroupMemberships(manager, null, { id: user.id, email: user.email, groups });
      recordAudit(manager, null, {
        action: 'auth.oidc_login_succeeded',
        entityType: 'User',
        entityId: user.id,
        projectId: null,
        after: { email: user.email, issuer: identity.issuer, subject: identity.subject, groups: identity.groups, authenticatedAt: identity.authenticatedAt.toISOString() },
      });
      return user.id;
    });
  }

  private async createUser(manager: EntityManager, identity: VerifiedIdentity): Promise<User> {
    if (!identity.email) {
      throw new SignInError(400, 'EMAIL_MISSING', 'The identity provider sent no email claim, which Pedigree needs to create your account. Ask an administrator to release the "email" claim to Pedigree.');
    }
    const [taken] = await manager.query(`SELECT 1 FROM app_user WHERE lower(email) = lower($1)`, [identity.email]);
    if (taken) {
      throw new SignInError(
        409,
        'EMAIL_TAKEN',
        `A Pedigree account with email ${identity.email} already exists and is not linked to this identity provider account. Accounts are never linked by email alone; ask an instance admin.`,
      );
    }
    const user = await manager.save(manager.create(User, { email: identity.email, name: identity.name ?? identity.email, passwordHash: null, isAdmin: false, deactivatedAt: null }));
    await manager.insert(UserIdentity, { userId: user.id, issuer: identity.issuer, subject: identity.subject, email: identity.email, groups: identity.groups, lastSignInAt: new Date() });
    recordAudit(manager, null, {
      action: 'user.created',
      entityType: 'User',
      entityId: user.id,
      projectId: null,
      after: { email: user.email, name: user.name, isAdmin: false, issuer: identity.issuer, subject: identity.subject },
      comment: 'first single sign-on',
    });
    return user;
  }

  /** Keeps the user's name and email as the provider has them now, unless the email belongs to another user. */
  private async updateLinkedUser(manager: EntityManager, linked: UserIdentity, identity: VerifiedIdentity): Promise<User> {
    const user = await manager.findOneOrFail(User, { where: { id: linked.userId }, lock: { mode: 'pessimistic_write' } });
    if (user.deactivatedAt) throw new SignInError(403, 'USER_DEACTIVATED', 'This account has been deactivated. Ask an instance admin if you think this is a mistake.');
    const changes: Partial<Pick<User, 'name' | 'email'>> = {};
    if (identity.name && identity.name !== user.name) changes.name = identity.name;
    if (identity.email && identity.email.toLowerCase() !== user.email.toLowerCase()) {
      const [taken] = await manager.query(`SELECT 1 FROM app_user WHERE lower(email) = lower($1) AND id <> $2`, [identity.email, user.id]);
      if (!taken) changes.email = identity.email;
    }
    if (Object.keys(changes).length > 0) {
      const before = { name: user.name, email: user.email };
      await manager.update(User, { id: user.id }, changes);
      Object.assign(user, changes);
      recordAudit(manager, null, { action: 'user.updated', entityType: 'User', entityId: user.id, projectId: null, before, after: { name: user.name, email: user.email }, comment: 'as asserted at single sign-on' });
    }
    await manager.update(UserIdentity, { id: linked.id }, { email: identity.email, groups: identity.groups, lastSignInAt: new Date() });
    return user;
  }

  /** Refused sign-ins are audited like wrong passwords: repeated failures are what an auditor looks for. */
  private recordFailure(error: SignInError): Promise<void> {
    return auditedTransaction(this.dataSource, async (manager) =>
      recordAudit(manager, null, { action: 'auth.oidc_login_failed', entityType: 'User', entityId: null, projectId: null, after: { reason: error.reason, message: error.message } }),
    );
  }
}

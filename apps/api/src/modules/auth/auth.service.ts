import { roleSatisfies } from '@pedigree/shared';
import { isUUID } from 'class-validator';
import type { DataSource } from 'typeorm';
import { hashApiToken, newApiTokenSecret, signSessionToken, verifyPassword } from '../../common/auth/credentials';
import { projectForRole } from '../../common/auth/project-access';
import { AuthMethod, type Viewer } from '../../common/auth/viewer';
import { AppError, AppErrorCode, badInput, notFound } from '../../common/errors/app-error';
import { auditedTransaction, recordAudit } from '../audit/audit.service';
import { User } from '../user/user.entity';
import { ApiToken } from './api-token.entity';
import type { CreateApiTokenInput } from './auth.inputs';
import { SignInRateLimiter } from '../../common/auth/sign-in-rate-limit';
import { currentRequest } from '../../common/request-context';
import { loadSignInLimits, type PasswordLogin } from '../../config';

const DEACTIVATED = {
  code: AppErrorCode.UNAUTHENTICATED,
  reason: 'USER_DEACTIVATED',
  message: 'This account has been deactivated. Ask an instance admin if you think this is a mistake.',
} as const;

const PASSWORD_LOGIN_OFF = {
  code: AppErrorCode.FORBIDDEN,
  reason: 'PASSWORD_LOGIN_DISABLED',
  message: 'Password sign-in is turned off on this instance. Sign in with single sign-on.',
} as const;

export class AuthService {
  private readonly signInLimiter = new SignInRateLimiter(loadSignInLimits());

  constructor(
    private readonly dataSource: DataSource,
    private readonly secret: string,
    private readonly sessionHours: number,
    private readonly passwordLogin: PasswordLogin = 'all',
  ) {}

  async login(email: string, password: string): Promise<{ token: string; user: User }> {
    this.signInLimiter.check(email, currentRequest()?.clientAddress ?? null);
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('lower(user.email) = lower(:email)', { email: email.trim() })
      .getOne();
    const verified = (await verifyPassword(password, user?.passwordHash)) && user ? user : null;
    // Only someone who knows the password learns that the account is deactivated or must use single sign-on.
    const refusal = !verified ? null : verified.deactivatedAt ? DEACTIVATED : this.passwordAllowedFor(verified) ? null : PASSWORD_LOGIN_OFF;
    const succeeded = verified !== null && refusal === null;
    // Failed sign-ins are recorded too: repeated failures are what an auditor looks for.
    await auditedTransaction(this.dataSource, async (manager) =>
      recordAudit(manager, null, {
        action: succeeded ? 'auth.login_succeeded' : 'auth.login_failed',
        entityType: 'User',
        entityId: user?.id ?? null,
        projectId: null,
        after: { email: email.trim(), ...(refusal ? { reason: refusal.reason } : {}) },
      }),
    );
    if (!verified) throw new AppError(AppErrorCode.UNAUTHENTICATED, 'Email or password is wrong. Check both and try again.');
    if (refusal) throw new AppError(refusal.code, refusal.message, { reason: refusal.reason });
    const session = { userId: verified.id, method: AuthMethod.PASSWORD, authenticatedAt: new Date() };
    return { token: signSessionToken(session, this.secret, this.sessionHours), user: verified };
  }

  private passwordAllowedFor(user: User): boolean {
    return this.passwordLogin === 'all' || (this.passwordLogin === 'admins' && user.isAdmin);
  }

  async createApiToken(viewer: Viewer, input: CreateApiTokenInput): Promise<{ token: string; apiToken: ApiToken }> {
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw badInput('expiresAt must be in the future');
    if (viewer.token) throw new AppError(AppErrorCode.FORBIDDEN, 'API tokens are created from a signed-in session, not from another API token.');
    return auditedTransaction(this.dataSource, async (manager) => {
      const project = input.project ? await projectForRole(manager, viewer, input.project, 'VIEWER') : null;
      const held = project ? viewer.roleIn(project.id) : null;
      if (held && input.role && !roleSatisfies(held, input.role)) {
        throw badInput(`role ${input.role} is above your role ${held} in project "${input.project}"; a token cannot do more than its user`);
      }
      const token = newApiTokenSecret();
      const apiToken = await manager.save(
        manager.create(ApiToken, {
          userId: viewer.id,
          name: input.name,
          tokenHash: hashApiToken(token),
          projectId: project?.id ?? null,
          role: input.role ?? null,
          expiresAt: input.expiresAt ?? null,
          revokedAt: null,
        }),
      );
      recordAudit(manager, viewer, {
        action: 'api_token.created',
        entityType: 'ApiToken',
        entityId: apiToken.id,
        projectId: project?.id ?? null,
        after: { name: apiToken.name, role: apiToken.role, expiresAt: apiToken.expiresAt },
      });
      return { token, apiToken };
    });
  }

  /** Revokes one of the viewer's own tokens. */
  async revokeApiToken(viewer: Viewer, id: string): Promise<ApiToken> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const apiToken = isUUID(id) ? await manager.findOne(ApiToken, { where: { id, userId: viewer.id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!apiToken) throw notFound(`API token ${id}`);
      if (!apiToken.revokedAt) {
        apiToken.revokedAt = new Date();
        await manager.save(apiToken);
        recordAudit(manager, viewer, { action: 'api_token.revoked', entityType: 'ApiToken', entityId: id, projectId: apiToken.projectId });
      }
      return apiToken;
    });
  }

  listApiTokens(viewer: Viewer): Promise<ApiToken[]> {
    return this.dataSource.getRepository(ApiToken).find({ where: { userId: viewer.id }, order: { createdAt: 'DESC' } });
  }
}

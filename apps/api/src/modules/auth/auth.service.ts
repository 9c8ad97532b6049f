import { roleSatisfies } from '@pedigree/shared';
import { isUUID } from 'class-validator';
import type { DataSource } from 'typeorm';
import { hashApiToken, newApiTokenSecret, signSessionToken, verifyPassword } from '../../common/auth/credentials';
import { projectForRole } from '../../common/auth/project-access';
import type { Viewer } from '../../common/auth/viewer';
import { AppError, AppErrorCode, badInput, notFound } from '../../common/errors/app-error';
import { auditedTransaction, recordAudit } from '../audit/audit.service';
import { User } from '../user/user.entity';
import { ApiToken } from './api-token.entity';
import type { CreateApiTokenInput } from './auth.inputs';

export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secret: string,
    private readonly sessionHours: number,
  ) {}

  async login(email: string, password: string): Promise<{ token: string; user: User }> {
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('lower(user.email) = lower(:email)', { email: email.trim() })
      .getOne();
    const verified = (await verifyPassword(password, user?.passwordHash)) && user ? user : null;
    // Failed sign-ins are recorded too: repeated failures are what an auditor looks for.
    await auditedTransaction(this.dataSource, async (manager) =>
      recordAudit(manager, null, {
        action: verified ? 'auth.login_succeeded' : 'auth.login_failed',
        entityType: 'User',
        entityId: user?.id ?? null,
        projectId: null,
        after: { email: email.trim() },
      }),
    );
    if (!verified) throw new AppError(AppErrorCode.UNAUTHENTICATED, 'Email or password is wrong. Check both and try again.');
    return { token: signSessionToken(verified.id, this.secret, this.sessionHours), user: verified };
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

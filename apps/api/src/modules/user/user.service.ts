import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../../common/auth/viewer';
import { hashPassword } from '../../common/auth/credentials';
import { badInput, conflict, notFound } from '../../common/errors/app-error';
import { auditedTransaction, recordAudit } from '../audit/audit.service';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  name: string;
  password: string;
  isAdmin?: boolean;
}

export class UserService {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates a user; instance admins only (checked by the resolver's declaration). */
  create(actor: Viewer | null, input: NewUser): Promise<User> {
    return auditedTransaction(this.dataSource, (manager) => this.insert(manager, actor, input));
  }

  /** On an empty instance, creates the first admin; returns whether it did. */
  async ensureFirstAdmin(email: string, password: string): Promise<boolean> {
    return auditedTransaction(this.dataSource, async (manager) => {
      // Serialises concurrent first starts of several replicas on one database.
      await manager.query(`LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE`);
      if ((await manager.count(User)) > 0) return false;
      await this.insert(manager, null, { email, name: 'Administrator', password, isAdmin: true });
      return true;
    });
  }

  /** Ends the user's access at once: sessions are refused by the per-request user check, tokens are also revoked. */
  deactivate(actor: Viewer, email: string): Promise<User> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const user = await this.lockedByEmail(manager, email);
      if (user.id === actor.id) throw badInput('You cannot deactivate yourself; ask another instance admin.');
      if (user.deactivatedAt) return user;
      user.deactivatedAt = new Date();
      await manager.update(User, { id: user.id }, { deactivatedAt: user.deactivatedAt });
      const revoked: Array<{ id: string }> = await manager.query(`UPDATE api_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`, [user.id]);
      recordAudit(manager, actor, {
        action: 'user.deactivated',
        entityType: 'User',
        entityId: user.id,
        projectId: null,
        after: { email: user.email, revokedApiTokens: revoked.map((token) => token.id) },
      });
      return user;
    });
  }

  reactivate(actor: Viewer, email: string): Promise<User> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const user = await this.lockedByEmail(manager, email);
      if (!user.deactivatedAt) return user;
      user.deactivatedAt = null;
      await manager.update(User, { id: user.id }, { deactivatedAt: null });
      recordAudit(manager, actor, { action: 'user.reactivated', entityType: 'User', entityId: user.id, projectId: null, after: { email: user.email } });
      return user;
    });
  }

  private async lockedByEmail(manager: EntityManager, email: string): Promise<User> {
    const user = await manager
      .createQueryBuilder(User, 'user')
      .where('lower(user.email) = lower(:email)', { email: email.trim() })
      .setLock('pessimistic_write')
      .getOne();
    if (!user) throw notFound(`User ${email}`);
    return user;
  }

  private async insert(manager: EntityManager, actor: Viewer | null, input: NewUser): Promise<User> {
    const email = input.email.trim();
    const [existing] = await manager.query(`SELECT 1 FROM app_user WHERE lower(email) = lower($1)`, [email]);
    if (existing) throw conflict(`A user with email ${email} already exists`);
    const saved = await manager.save(
      manager.create(User, { email, name: input.name.trim(), passwordHash: await hashPassword(input.password), isAdmin: input.isAdmin ?? false }),
    );
    recordAudit(manager, actor, {
      action: 'user.created',
      entityType: 'User',
      entityId: saved.id,
      projectId: null,
      after: { email: saved.email, name: saved.name, isAdmin: saved.isAdmin },
    });
    return saved;
  }
}

import type { DataSource } from 'typeorm';
import { projectForRole, rowForRole } from '../../common/auth/project-access';
import type { Viewer } from '../../common/auth/viewer';
import { AppError, AppErrorCode, badInput } from '../../common/errors/app-error';
import { type Page, decodeCursor, encodeCursor, pageSize, toPage } from '../../common/pagination/connection';
import type { WebhookSettings } from '../../config';
import { auditedTransaction, recordAudit } from '../audit/audit.service';
import { assertPublicHost } from './webhook.address';
import { Webhook, WebhookDelivery, WebhookDeliveryAttempt } from './webhook.entity';
import type { CreateWebhookInput } from './webhook.inputs';

/** What the audit trail records of a webhook: everything but the secret. */
const audited = (webhook: Webhook) => ({ url: webhook.url, events: webhook.events, description: webhook.description, active: webhook.active });

export class WebhookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: Pick<WebhookSettings, 'allowPrivateAddresses'>,
  ) {}

  async create(viewer: Viewer, input: CreateWebhookInput): Promise<Webhook> {
    // Refuse non-owners before resolving the URL, so the API is no DNS oracle; resolve outside the
    // transaction, so a slow lookup holds no connection.
    await projectForRole(this.dataSource.manager, viewer, input.project, 'OWNER');
    await this.assertReachableUrl(input.url);
    return auditedTransaction(this.dataSource, async (manager) => {
      const project = await projectForRole(manager, viewer, input.project, 'OWNER');
      const webhook = await manager.save(
        manager.create(Webhook, {
          projectId: project.id,
          url: input.url,
          events: [...new Set(input.events)],
          secret: input.secret,
          description: input.description ?? null,
          createdBy: viewer.id,
        }),
      );
      recordAudit(manager, viewer, { action: 'webhook.created', entityType: 'Webhook', entityId: webhook.id, projectId: project.id, after: audited(webhook) });
      return webhook;
    });
  }

  /** Pausing keeps the webhook and its log; while paused, no events are queued for it and queued ones wait. */
  setActive(viewer: Viewer, id: string, active: boolean): Promise<Webhook> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const webhook = await rowForRole(manager, Webhook, id, viewer, 'OWNER', 'Webhook', 'pessimistic_write');
      if (webhook.active === active) return webhook;
      const before = audited(webhook);
      webhook.active = active;
      await manager.update(Webhook, { id }, { active });
      recordAudit(manager, viewer, {
        action: active ? 'webhook.activated' : 'webhook.deactivated',
        entityType: 'Webhook',
        entityId: id,
        projectId: webhook.projectId,
        before,
        after: audited(webhook),
      });
      return webhook;
    });
  }

  /** Deletes the webhook with its queued deliveries and its delivery log. */
  delete(viewer: Viewer, id: string): Promise<string> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const webhook = await rowForRole(manager, Webhook, id, viewer, 'OWNER', 'Webhook', 'pessimistic_write');
      await manager.delete(Webhook, { id });
      recordAudit(manager, viewer, { action: 'webhook.deleted', entityType: 'Webhook', entityId: id, projectId: webhook.projectId, before: audited(webhook) });
      return id;
    });
  }

  /** Queues the event of a delivery again, as a new delivery with fresh attempts. */
  redeliver(viewer: Viewer, deliveryId: string): Promise<WebhookDelivery> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const original = await rowForRole(manager, WebhookDelivery, deliveryId, viewer, 'OWNER', 'Webhook delivery');
      const webhook = await manager.findOneByOrFail(Webhook, { id: original.webhookId });
      if (!webhook.active) {
        throw new AppError(AppErrorCode.PRECONDITION_FAILED, `Webhook ${webhook.id} is paused; activate it with setWebhookActive, then redeliver`);
      }
      const [{ id }]: Array<{ id: string }> = await manager.query(
        `INSERT INTO webhook_delivery (webhook_id, project_id, event_id, event_type, payload, event_created_at, next_attempt_at, redelivery_of)
         SELECT webhook_id, project_id, event_id, event_type, payload, event_created_at, now(), id FROM webhook_delivery WHERE id = $1
         RETURNING id`,
        [original.id],
      );
      recordAudit(manager, viewer, {
        action: 'webhook.redelivery_queued',
        entityType: 'WebhookDelivery',
        entityId: id,
        projectId: original.projectId,
        after: { webhookId: webhook.id, eventId: original.eventId, eventType: original.eventType, redeliveryOf: original.id },
      });
      return manager.findOneByOrFail(WebhookDelivery, { id });
    });
  }

  async list(viewer: Viewer, projectKey: string): Promise<Webhook[]> {
    const project = await projectForRole(this.dataSource.manager, viewer, projectKey, 'OWNER');
    return this.dataSource.getRepository(Webhook).find({ where: { projectId: project.id }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** The delivery log of a webhook, newest attempt first. */
  async attempts(viewer: Viewer, webhookId: string, first: number | null | undefined, after: string | null | undefined): Promise<Page<WebhookDeliveryAttempt>> {
    const size = pageSize(first);
    await rowForRole(this.dataSource.manager, Webhook, webhookId, viewer, 'OWNER', 'Webhook');
    const query = this.dataSource.getRepository(WebhookDeliveryAttempt).createQueryBuilder('a').where('a.webhook_id = :webhookId', { webhookId });
    const totalCount = await query.getCount();
    if (after) {
      const [attemptedAt, id] = decodeCursor(after);
      if (typeof attemptedAt !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(attemptedAt))) throw badInput('after is not a webhookDeliveries cursor');
      query.andWhere('(a.attempted_at, a.id) < (:cursorAttemptedAt, :cursorId)', { cursorAttemptedAt: attemptedAt, cursorId: id });
    }
    const rows = await query.orderBy('a.attempted_at', 'DESC').addOrderBy('a.id', 'DESC').take(size + 1).getMany();
    return toPage(rows, size, totalCount, (attempt) => encodeCursor([attempt.attemptedAt.toISOString(), attempt.id]));
  }

  /**
   * In production a webhook may not point into the API's own network (server-side request
   * forgery). The worker checks again at every attempt, since DNS answers can change.
   */
  private async assertReachableUrl(url: string): Promise<void> {
    if (this.settings.allowPrivateAddresses) return;
    try {
      await assertPublicHost(new URL(url));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOTFOUND' ? `${new URL(url).hostname} does not resolve` : (error as Error).message;
      throw badInput(`url is refused: ${reason}`);
    }
  }
}

import type { EntityManager } from 'typeorm';
import type { Viewer } from '../../common/auth/viewer';
import { currentRequestId } from '../../common/request-id';
import { AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  projectId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  comment?: string | null;
}

/**
 * Writes the audit event of a change through the change's own transaction manager, so a rolled-back
 * change leaves no event and a committed one never lacks it.
 */
export async function recordAudit(manager: EntityManager, actor: Viewer | null, entry: AuditEntry): Promise<void> {
  const event = manager.create(AuditEvent, {
    projectId: entry.projectId,
    actorUserId: actor?.id ?? null,
    actorTokenId: actor?.token?.tokenId ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    comment: entry.comment ?? null,
    requestId: currentRequestId() ?? null,
  });
  await manager.save(event);
}

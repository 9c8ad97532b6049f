import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../../common/auth/viewer';
import { lockKey } from '../../common/database/locks';
import { currentRequest } from '../../common/request-context';
import { AuditEvent } from './audit-event.entity';
import { type ChainedEvent, GENESIS_HASH, asStoredJson, chainHash } from './audit.chain';

export interface AuditEntry {
  /** Dotted, entity first and verb in the past tense: `model_version.registered`, `transition.approved`. */
  action: string;
  entityType: string;
  entityId: string | null;
  /** The project whose chain takes the event; null for instance-wide events (users, sign-ins). */
  projectId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  comment?: string | null;
}

type PendingEvent = Omit<ChainedEvent, 'seq'>;

/** Events recorded in an open transaction, appended to their chains just before it commits. */
const pendingByTransaction = new WeakMap<EntityManager, PendingEvent[]>();

/** The role the actor held where the event happened: a project role, ADMIN, or none. */
function actorRole(actor: Viewer | null, projectId: string | null): string | null {
  if (!actor) return null;
  return (projectId && actor.roleIn(projectId)) || (actor.isAdmin ? 'ADMIN' : null);
}

/**
 * Records the audit event of a change made through `manager`, which must belong to an
 * `auditedTransaction`: the event commits with the change or not at all.
 */
export function recordAudit(manager: EntityManager, actor: Viewer | null, entry: AuditEntry): void {
  const pending = pendingByTransaction.get(manager);
  if (!pending) throw new Error(`audit event ${entry.action} recorded outside an auditedTransaction`);
  const request = currentRequest();
  pending.push({
    projectId: entry.projectId,
    actorUserId: actor?.id ?? null,
    actorTokenId: actor?.token?.tokenId ?? null,
    actorRole: actorRole(actor, entry.projectId),
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: asStoredJson(entry.before),
    after: asStoredJson(entry.after),
    comment: entry.comment ?? null,
    requestId: request?.requestId ?? null,
    clientAddress: request?.clientAddress ?? null,
    userAgent: request?.userAgent ?? null,
    occurredAt: new Date().toISOString(),
  });
}

/**
 * One transaction per mutation, carrying its audit events. The events join their project's hash
 * chain at the very end, under a per-chain lock held until commit: the chain cannot fork, and as the
 * lock is the last one taken, waiting for it can never close a deadlock.
 */
export function auditedTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (manager) => {
    const pending: PendingEvent[] = [];
    pendingByTransaction.set(manager, pending);
    const result = await work(manager);
    await appendToChains(manager, pending);
    return result;
  });
}

const chainKey = (projectId: string | null) => projectId ?? 'instance';

async function appendToChains(manager: EntityManager, pending: PendingEvent[]): Promise<void> {
  // Chains are locked in one global order, so two transactions touching the same two never wait on each other.
  const chains = [...new Set(pending.map((event) => chainKey(event.projectId)))].sort();
  for (const chain of chains) {
    const events = pending.filter((event) => chainKey(event.projectId) === chain);
    const projectId = events[0].projectId;
    await lockKey(manager, `audit-chain:${chain}`);
    const [head]: Array<{ seq: string; hash: string }> = await manager.query(
      `SELECT seq, hash FROM audit_event WHERE ${projectId ? 'project_id = $1' : 'project_id IS NULL'} ORDER BY seq DESC LIMIT 1`,
      projectId ? [projectId] : [],
    );
    let seq = head ? Number(head.seq) : 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const rows = events.map((event) => {
      seq += 1;
      const chained: ChainedEvent = { ...event, seq };
      const hash = chainHash(prevHash, chained);
      const row = { ...chained, occurredAt: new Date(event.occurredAt), prevHash, hash };
      prevHash = hash;
      return row;
    });
    await manager.createQueryBuilder().insert().into(AuditEvent).values(rows as never).execute();
  }
}

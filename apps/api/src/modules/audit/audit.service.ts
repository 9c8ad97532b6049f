import type { DataSource, EntityManager } from 'typeorm';
import { projectForRole } from '../../common/auth/project-access';
import type { Viewer } from '../../common/auth/viewer';
import { lockKey } from '../../common/database/locks';
import { badInput } from '../../common/errors/app-error';
import { type Page, decodeCursor, encodeCursor, pageSize, toPage } from '../../common/pagination/connection';
import { auditAppends } from '../../common/observability/metrics';
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
  const pending: PendingEvent[] = [];
  return dataSource
    .transaction(async (manager) => {
      pendingByTransaction.set(manager, pending);
      const result = await work(manager);
      await appendToChains(manager, pending);
      return result;
    })
    .then((result) => {
      auditAppends.inc(pending.length);
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

/** Rows read per round trip when walking a whole chain: memory stays constant at any length. */
const VERIFY_BATCH = 5000;

const CHAINED_COLUMNS = `seq, project_id AS "projectId", actor_user_id AS "actorUserId", actor_token_id AS "actorTokenId", actor_role AS "actorRole",
  action, entity_type AS "entityType", entity_id AS "entityId", before, after, comment, request_id AS "requestId",
  client_address AS "clientAddress", user_agent AS "userAgent", occurred_at AS "occurredAt", prev_hash AS "prevHash", hash`;

export interface ChainHead {
  seq: number;
  hash: string;
}

export interface ChainReport {
  valid: boolean;
  checkedEvents: number;
  firstBrokenSeq: number | null;
  /** What was found wrong, in words; null when valid. */
  problem: string | null;
  head: ChainHead | null;
}

type StoredEvent = Omit<ChainedEvent, 'occurredAt' | 'seq'> & { seq: string; occurredAt: Date; prevHash: string; hash: string };

/**
 * Walks a chain from its first event, recomputing every hash: an edited, deleted, inserted or
 * reordered event breaks it at that event's `seq`. A chain rewritten from an edit onwards is
 * internally consistent, which only a head published earlier (`expected`) can reveal.
 */
export async function verifyChain(dataSource: DataSource, projectId: string | null, expected?: ChainHead | null): Promise<ChainReport> {
  let previous: ChainHead = { seq: 0, hash: GENESIS_HASH };
  let checkedEvents = 0;
  let expectedMatched = !expected;
  const broken = (seq: number, problem: string): ChainReport => ({ valid: false, checkedEvents, firstBrokenSeq: seq, problem, head: previous.seq ? previous : null });
  for (;;) {
    const rows: StoredEvent[] = await dataSource.query(
      `SELECT ${CHAINED_COLUMNS} FROM audit_event WHERE ${projectId ? 'project_id = $2' : 'project_id IS NULL'} AND seq > $1 ORDER BY seq LIMIT ${VERIFY_BATCH}`,
      projectId ? [previous.seq, projectId] : [previous.seq],
    );
    for (const { prevHash, hash, seq: storedSeq, occurredAt, ...fields } of rows) {
      const seq = Number(storedSeq);
      const expectedSeq = previous.seq + 1;
      if (seq !== expectedSeq) return broken(expectedSeq, `event ${expectedSeq} is missing: the next one stored is ${seq}`);
      if (prevHash !== previous.hash) return broken(seq, `event ${seq} does not follow event ${previous.seq}: its prev_hash differs`);
      if (chainHash(prevHash, { ...fields, seq, occurredAt: occurredAt.toISOString() }) !== hash) return broken(seq, `event ${seq} was altered: its content no longer matches its hash`);
      if (expected && seq === expected.seq) {
        if (hash !== expected.hash) return broken(seq, `event ${seq} differs from the published head: the chain was rewritten at or before it`);
        expectedMatched = true;
      }
      previous = { seq, hash };
      checkedEvents += 1;
    }
    if (rows.length < VERIFY_BATCH) break;
  }
  if (!expectedMatched && expected) {
    return { valid: false, checkedEvents, firstBrokenSeq: previous.seq + 1, problem: `the chain ends at event ${previous.seq}, before the published head ${expected.seq}: events were removed`, head: previous.seq ? previous : null };
  }
  return { valid: true, checkedEvents, firstBrokenSeq: null, problem: null, head: previous.seq ? previous : null };
}

export async function chainHead(dataSource: DataSource, projectId: string | null): Promise<ChainHead | null> {
  const [row]: Array<{ seq: string; hash: string }> = await dataSource.query(
    `SELECT seq, hash FROM audit_event WHERE ${projectId ? 'project_id = $1' : 'project_id IS NULL'} ORDER BY seq DESC LIMIT 1`,
    projectId ? [projectId] : [],
  );
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

export interface AuditFilters {
  action?: string | null;
  actorId?: string | null;
  entityId?: string | null;
  since?: Date | null;
  until?: Date | null;
}

/** A project's events matching the filters, as a query to page or stream. */
export function filteredAuditEvents(dataSource: DataSource, projectId: string, filters: AuditFilters) {
  const query = dataSource.getRepository(AuditEvent).createQueryBuilder('event').where('event.project_id = :projectId', { projectId });
  if (filters.action) query.andWhere('event.action = :action', { action: filters.action });
  if (filters.actorId) query.andWhere('event.actor_user_id::text = :actorId', { actorId: filters.actorId });
  if (filters.entityId) query.andWhere('event.entity_id = :entityId', { entityId: filters.entityId });
  if (filters.since) query.andWhere('event.occurred_at >= :since', { since: filters.since });
  if (filters.until) query.andWhere('event.occurred_at < :until', { until: filters.until });
  return query;
}

/** A page of a project's events, newest first, filtered in SQL. */
async function listAuditEvents(dataSource: DataSource, projectId: string, filters: AuditFilters, first: number | null | undefined, after: string | null | undefined): Promise<Page<AuditEvent>> {
  const size = pageSize(first);
  const query = filteredAuditEvents(dataSource, projectId, filters);
  const totalCount = await query.clone().getCount();
  if (after) {
    const [seq] = decodeCursor(after);
    if (!Number.isInteger(seq)) throw badInput('after is not an audit events cursor');
    query.andWhere('event.seq < :seq', { seq });
  }
  const rows = await query.orderBy('event.seq', 'DESC').take(size + 1).getMany();
  return toPage(rows, size, totalCount, (event) => encodeCursor([event.seq]));
}


export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async list(viewer: Viewer, projectKey: string, filters: AuditFilters, first: number | null | undefined, after: string | null | undefined): Promise<Page<AuditEvent>> {
    const { id } = await projectForRole(this.dataSource.manager, viewer, projectKey, 'VIEWER');
    return listAuditEvents(this.dataSource, id, filters, first, after);
  }

  async head(viewer: Viewer, projectKey: string): Promise<ChainHead> {
    const { id } = await projectForRole(this.dataSource.manager, viewer, projectKey, 'VIEWER');
    return (await chainHead(this.dataSource, id)) ?? { seq: 0, hash: GENESIS_HASH };
  }

  async verify(viewer: Viewer, projectKey: string, expected: ChainHead | null | undefined): Promise<ChainReport> {
    const { id } = await projectForRole(this.dataSource.manager, viewer, projectKey, 'VIEWER');
    return verifyChain(this.dataSource, id, expected);
  }
}

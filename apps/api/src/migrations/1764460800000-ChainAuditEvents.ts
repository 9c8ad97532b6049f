import type { MigrationInterface, QueryRunner } from 'typeorm';
import { type ChainedEvent, GENESIS_HASH, chainHash } from '../modules/audit/audit.chain';

/**
 * Makes each project's audit events a hash chain (instance-wide events form one more chain) and
 * records who acted from where. Events written before this migration are chained in the order they
 * were written, the only time audit rows are ever updated: by the table owner, triggers off.
 */
export class ChainAuditEvents1764460800000 implements MigrationInterface {
  name = 'ChainAuditEvents1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE audit_event RENAME COLUMN created_at TO occurred_at;
      ALTER TABLE audit_event
        ADD COLUMN seq bigint,
        ADD COLUMN prev_hash text,
        ADD COLUMN hash text,
        ADD COLUMN actor_role text,
        ADD COLUMN client_address text,
        ADD COLUMN user_agent text;
      ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only;
    `);
    const rows: Array<Omit<ChainedEvent, 'seq' | 'occurredAt'> & { id: string; occurredAt: Date }> = await queryRunner.query(
      `SELECT id, project_id AS "projectId", actor_user_id AS "actorUserId", actor_token_id AS "actorTokenId", actor_role AS "actorRole",
              action, entity_type AS "entityType", entity_id AS "entityId", before, after, comment, request_id AS "requestId",
              client_address AS "clientAddress", user_agent AS "userAgent", occurred_at AS "occurredAt"
         FROM audit_event ORDER BY project_id NULLS FIRST, id`,
    );
    const heads = new Map<string | null, { seq: number; hash: string }>();
    for (const { id, ...row } of rows) {
      const head = heads.get(row.projectId) ?? { seq: 0, hash: GENESIS_HASH };
      // Millisecond precision, as events written from now on carry.
      const occurredAt = new Date(row.occurredAt.getTime());
      const event: ChainedEvent = { ...row, seq: head.seq + 1, occurredAt: occurredAt.toISOString() };
      const hash = chainHash(head.hash, event);
      await queryRunner.query(`UPDATE audit_event SET seq = $2, prev_hash = $3, hash = $4, occurred_at = $5 WHERE id = $1`, [id, event.seq, head.hash, hash, occurredAt]);
      heads.set(row.projectId, { seq: event.seq, hash });
    }
    await queryRunner.query(`
      ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only;
      ALTER TABLE audit_event ALTER COLUMN seq SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL;
      DROP INDEX audit_event_project_idx;
      -- One chain per project; NULLS NOT DISTINCT makes the instance-wide chain (project_id NULL) one chain too.
      CREATE UNIQUE INDEX audit_event_chain_seq ON audit_event (project_id, seq) NULLS NOT DISTINCT;
      CREATE INDEX audit_event_project_action_idx ON audit_event (project_id, action, seq);
      CREATE INDEX audit_event_actor_idx ON audit_event (actor_user_id, seq);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX audit_event_chain_seq, audit_event_project_action_idx, audit_event_actor_idx;
      CREATE INDEX audit_event_project_idx ON audit_event (project_id, id);
      ALTER TABLE audit_event DROP COLUMN seq, DROP COLUMN prev_hash, DROP COLUMN hash, DROP COLUMN actor_role,
        DROP COLUMN client_address, DROP COLUMN user_agent;
      ALTER TABLE audit_event RENAME COLUMN occurred_at TO created_at;
    `);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks of a project, the transactional outbox of events to deliver to them, and the log of
 * every delivery attempt.
 */
export class CreateWebhooks1764288000000 implements MigrationInterface {
  name = 'CreateWebhooks1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES project (id),
        url text NOT NULL,
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        secret text NOT NULL, -- plain text on purpose: HMAC signing needs the secret itself, so it cannot be hashed
        description text,
        active boolean NOT NULL DEFAULT true,
        created_by uuid REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX webhook_project_idx ON webhook (project_id);

      -- The outbox: written in the transaction of the change it reports, so only committed changes
      -- are sent. Retries of one row share its id (the x-pedigree-delivery header); a redelivery is
      -- a new row with the same event_id (the body's id).
      CREATE TABLE webhook_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES project (id),
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        event_created_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        -- when a PENDING row is due; while an attempt is in flight, the end of the worker's lease on it
        next_attempt_at timestamptz,
        redelivery_of uuid REFERENCES webhook_delivery (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'PENDING') = (next_attempt_at IS NOT NULL))
      );
      CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
      CREATE INDEX webhook_delivery_webhook_idx ON webhook_delivery (webhook_id);

      CREATE TABLE webhook_delivery_attempt (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        delivery_id uuid NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
        webhook_id uuid NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        attempt integer NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')), -- the delivery's status after this attempt
        response_status integer, -- null when no HTTP response came
        error text,
        duration_ms integer NOT NULL,
        next_attempt_at timestamptz, -- when the retry after this attempt is due
        attempted_at timestamptz NOT NULL,
        UNIQUE (delivery_id, attempt)
      );
      CREATE INDEX webhook_delivery_attempt_page_idx ON webhook_delivery_attempt (webhook_id, attempted_at DESC, id DESC);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_delivery_attempt, webhook_delivery, webhook;`);
  }
}

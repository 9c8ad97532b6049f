import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Promotion policies, transition requests and their reviews, the stage history, and aliases. */
export class CreateGovernance1764374400000 implements MigrationInterface {
  name = 'CreateGovernance1764374400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- What a move to a stage needs. model_id NULL is the project's default for every model.
      CREATE TABLE promotion_policy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES project (id),
        model_id uuid REFERENCES registered_model (id),
        to_stage text NOT NULL CHECK (to_stage IN ('STAGING', 'PRODUCTION', 'ARCHIVED')),
        required_approvals integer NOT NULL CHECK (required_approvals BETWEEN 0 AND 10),
        metric_gates jsonb NOT NULL DEFAULT '[]', -- [{ metric, op: GT|GTE|LT|LTE, threshold }] on the source run's latest values
        require_complete_lineage boolean NOT NULL DEFAULT false, -- a clean commit and at least one input data version
        updated_by uuid NOT NULL REFERENCES app_user (id),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX promotion_policy_project_default ON promotion_policy (project_id, to_stage) WHERE model_id IS NULL;
      CREATE UNIQUE INDEX promotion_policy_model ON promotion_policy (model_id, to_stage) WHERE model_id IS NOT NULL;

      CREATE TABLE transition_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES project (id),
        model_id uuid NOT NULL REFERENCES registered_model (id),
        model_version_id uuid NOT NULL REFERENCES model_version (id),
        from_stage text NOT NULL,
        to_stage text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'APPLIED', 'REJECTED', 'CANCELLED')),
        requested_by uuid NOT NULL REFERENCES app_user (id),
        comment text,
        -- The gates as last evaluated (at request, each review and each apply attempt), shown on the request.
        gate_results jsonb NOT NULL DEFAULT '[]',
        idempotency_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        resolved_by uuid REFERENCES app_user (id)
      );
      CREATE UNIQUE INDEX transition_request_one_pending ON transition_request (model_version_id) WHERE status = 'PENDING';
      CREATE UNIQUE INDEX transition_request_idempotency_key ON transition_request (project_id, requested_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
      CREATE INDEX transition_request_project_idx ON transition_request (project_id, created_at DESC, id DESC);

      CREATE TABLE transition_review (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES transition_request (id),
        reviewer_id uuid NOT NULL REFERENCES app_user (id),
        decision text NOT NULL CHECK (decision IN ('APPROVE', 'REJECT')),
        comment text,
        idempotency_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (request_id, reviewer_id)
      );

      -- Every stage a version has entered, with why: the answer to "what was in Production on date T".
      CREATE TABLE stage_change (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES project (id),
        model_id uuid NOT NULL REFERENCES registered_model (id),
        model_version_id uuid NOT NULL REFERENCES model_version (id),
        from_stage text NOT NULL,
        to_stage text NOT NULL,
        request_id uuid REFERENCES transition_request (id), -- null when a promotion archived the version it replaced, or for demo data
        reason text NOT NULL,
        changed_by uuid REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX stage_change_model_idx ON stage_change (model_id, created_at);
      CREATE INDEX stage_change_version_idx ON stage_change (model_version_id, id);

      -- An alias names one version of a model; its history answers "what was champion on date T".
      CREATE TABLE model_alias (
        model_id uuid NOT NULL REFERENCES registered_model (id),
        alias text NOT NULL,
        model_version_id uuid NOT NULL REFERENCES model_version (id),
        updated_by uuid NOT NULL REFERENCES app_user (id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (model_id, alias)
      );
      CREATE INDEX model_alias_version_idx ON model_alias (model_version_id);

      CREATE TABLE model_alias_change (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        model_id uuid NOT NULL REFERENCES registered_model (id),
        alias text NOT NULL,
        model_version_id uuid REFERENCES model_version (id), -- null: the alias was removed
        changed_by uuid NOT NULL REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX model_alias_change_idx ON model_alias_change (model_id, alias, created_at);

      CREATE TRIGGER stage_change_append_only BEFORE UPDATE OR DELETE ON stage_change
        FOR EACH ROW EXECUTE FUNCTION pedigree_reject_change();
      CREATE TRIGGER model_alias_change_append_only BEFORE UPDATE OR DELETE ON model_alias_change
        FOR EACH ROW EXECUTE FUNCTION pedigree_reject_change();
      CREATE TRIGGER transition_review_append_only BEFORE UPDATE OR DELETE ON transition_review
        FOR EACH ROW EXECUTE FUNCTION pedigree_reject_change();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE model_alias_change, model_alias, stage_change, transition_review, transition_request, promotion_policy`);
  }
}

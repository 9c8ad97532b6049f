import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users, projects and roles; the lineage graph (one node row per entity, one edge table); the
 * entities that record how a model was made; and the audit trail.
 */
export class CreateFoundation1764201600000 implements MigrationInterface {
  name = 'CreateFoundation1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL, -- bcrypt
        is_admin boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email));

      CREATE TABLE project (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL UNIQUE,
        name text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE project_member (
        project_id uuid NOT NULL REFERENCES project (id),
        user_id uuid NOT NULL REFERENCES app_user (id),
        role text NOT NULL CHECK (role IN ('VIEWER', 'CONTRIBUTOR', 'REVIEWER', 'OWNER')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, user_id)
      );
      CREATE INDEX project_member_user_idx ON project_member (user_id);

      CREATE TABLE api_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id),
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE, -- sha256 hex of the secret; the secret itself is shown once and never stored
        project_id uuid REFERENCES project (id), -- when set, the token can reach this project only
        role text CHECK (role IN ('VIEWER', 'CONTRIBUTOR', 'REVIEWER', 'OWNER')), -- when set, the highest role the token acts with
        expires_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX api_token_user_idx ON api_token (user_id);

      -- Every lineage entity has one row here; its id is unique across all kinds.
      CREATE TABLE lineage_node (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('CodeCommit', 'DataVersion', 'Run', 'ModelVersion')),
        project_id uuid NOT NULL REFERENCES project (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- Edges point the way data flows, input to output: BUILT_FROM commit->run, CONSUMED data or
      -- base model->run, PRODUCED run->data, DERIVED_FROM parent data->derived data,
      -- TRAINED run->model version, PARENT_OF parent run->child run. Never updated or deleted.
      CREATE TABLE lineage_edge (
        src_id uuid NOT NULL REFERENCES lineage_node (id),
        dst_id uuid NOT NULL REFERENCES lineage_node (id),
        relation text NOT NULL CHECK (relation IN ('BUILT_FROM', 'CONSUMED', 'PRODUCED', 'DERIVED_FROM', 'TRAINED', 'PARENT_OF')),
        role text CHECK (role IN ('TRAIN', 'VALIDATION', 'TEST', 'OTHER')), -- how a run used a CONSUMED data version
        project_id uuid NOT NULL REFERENCES project (id), -- the project whose write recorded the edge
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (src_id, dst_id, relation),
        CHECK (src_id <> dst_id)
      );
      CREATE INDEX lineage_edge_dst_idx ON lineage_edge (dst_id, src_id);

      CREATE TABLE code_commit (
        id uuid PRIMARY KEY REFERENCES lineage_node (id),
        project_id uuid NOT NULL REFERENCES project (id),
        repository text NOT NULL,
        sha text NOT NULL, -- lowercase hex: 40 for SHA-1 repositories, 64 for SHA-256 ones
        branch text,
        author text,
        message text,
        committed_at timestamptz,
        dirty boolean NOT NULL DEFAULT false, -- the run's working tree had uncommitted changes
        created_by uuid REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, repository, sha)
      );

      CREATE TABLE dataset (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES project (id),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, name)
      );

      CREATE TABLE data_version (
        id uuid PRIMARY KEY REFERENCES lineage_node (id),
        project_id uuid NOT NULL REFERENCES project (id),
        dataset_id uuid NOT NULL REFERENCES dataset (id),
        -- Lowercase hex of hash_algorithm over the content; DVC directory hashes keep their '.dir' suffix.
        content_hash text NOT NULL,
        hash_algorithm text NOT NULL CHECK (hash_algorithm IN ('md5', 'md5-dos2unix', 'sha256')), -- md5-dos2unix: DVC 2.x
        uri text,
        size_bytes bigint CHECK (size_bytes >= 0),
        file_count integer CHECK (file_count >= 0),
        format text,
        created_by uuid REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (dataset_id, content_hash)
      );

      CREATE TABLE experiment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES project (id),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, name)
      );

      CREATE TABLE run (
        id uuid PRIMARY KEY REFERENCES lineage_node (id),
        project_id uuid NOT NULL REFERENCES project (id),
        experiment_id uuid NOT NULL REFERENCES experiment (id),
        name text NOT NULL,
        status text NOT NULL CHECK (status IN ('RUNNING', 'FINISHED', 'FAILED', 'KILLED')),
        commit_id uuid REFERENCES code_commit (id),
        parent_run_id uuid REFERENCES run (id),
        entrypoint text,
        environment jsonb, -- free-form: interpreter, packages, hardware, container image
        error_message text,
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        created_by uuid NOT NULL REFERENCES app_user (id),
        idempotency_key text, -- a client's retry with the same key returns this run
        CHECK ((status = 'RUNNING') = (ended_at IS NULL))
      );
      CREATE INDEX run_project_started_idx ON run (project_id, started_at DESC, id DESC);
      CREATE INDEX run_parent_idx ON run (parent_run_id) WHERE parent_run_id IS NOT NULL;
      CREATE UNIQUE INDEX run_idempotency_key ON run (project_id, created_by, idempotency_key) WHERE idempotency_key IS NOT NULL;

      CREATE TABLE run_param (
        run_id uuid NOT NULL REFERENCES run (id),
        key text NOT NULL,
        value text NOT NULL,
        PRIMARY KEY (run_id, key)
      );

      CREATE TABLE run_tag (
        run_id uuid NOT NULL REFERENCES run (id),
        key text NOT NULL,
        value text NOT NULL,
        PRIMARY KEY (run_id, key)
      );

      CREATE TABLE metric_point (
        run_id uuid NOT NULL REFERENCES run (id),
        key text NOT NULL,
        value double precision NOT NULL,
        step bigint NOT NULL DEFAULT 0,
        timestamp timestamptz NOT NULL
      );
      CREATE INDEX metric_point_run_key_step_idx ON metric_point (run_id, key, step, timestamp);

      CREATE TABLE run_artifact (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL REFERENCES run (id),
        path text NOT NULL, -- relative to the run's artifact root
        uri text NOT NULL,
        digest text, -- sha256:<hex>
        size_bytes bigint CHECK (size_bytes >= 0),
        kind text NOT NULL,
        UNIQUE (run_id, path)
      );

      CREATE TABLE registered_model (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES project (id),
        name text NOT NULL,
        description text,
        -- The last version number handed out; incremented under the row lock so numbers have no gaps.
        latest_version integer NOT NULL DEFAULT 0,
        created_by uuid REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, name)
      );

      CREATE TABLE model_version (
        id uuid PRIMARY KEY REFERENCES lineage_node (id),
        project_id uuid NOT NULL REFERENCES project (id),
        model_id uuid NOT NULL REFERENCES registered_model (id),
        version integer NOT NULL CHECK (version > 0),
        run_id uuid NOT NULL REFERENCES run (id), -- the source run; never changes
        artifact_uri text NOT NULL,
        artifact_digest text NOT NULL, -- sha256:<hex> of the artifact bytes; never changes
        description text,
        stage text NOT NULL DEFAULT 'NONE' CHECK (stage IN ('NONE', 'STAGING', 'PRODUCTION', 'ARCHIVED')),
        created_by uuid NOT NULL REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        idempotency_key text,
        UNIQUE (model_id, version)
      );
      CREATE INDEX model_version_run_idx ON model_version (run_id);
      CREATE INDEX model_version_digest_idx ON model_version (artifact_digest);
      CREATE UNIQUE INDEX model_version_one_production ON model_version (model_id) WHERE stage = 'PRODUCTION';
      CREATE UNIQUE INDEX model_version_idempotency_key ON model_version (project_id, created_by, idempotency_key) WHERE idempotency_key IS NOT NULL;

      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id uuid REFERENCES project (id), -- null for instance-wide actions (users, projects)
        actor_user_id uuid REFERENCES app_user (id),
        actor_token_id uuid REFERENCES api_token (id), -- set when the actor used an API token
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text,
        before jsonb,
        after jsonb,
        comment text,
        request_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX audit_event_project_idx ON audit_event (project_id, id);
      CREATE INDEX audit_event_entity_idx ON audit_event (entity_id);

      CREATE FUNCTION pedigree_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'integrity_constraint_violation';
      END $$;
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION pedigree_reject_change();
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION pedigree_reject_change();
      CREATE TRIGGER lineage_edge_append_only BEFORE UPDATE OR DELETE ON lineage_edge
        FOR EACH ROW EXECUTE FUNCTION pedigree_reject_change();
      CREATE TRIGGER lineage_edge_no_truncate BEFORE TRUNCATE ON lineage_edge
        FOR EACH STATEMENT EXECUTE FUNCTION pedigree_reject_change();

      -- A finished run is a fixed record, and a version's source run and artifact bytes are its identity.
      CREATE FUNCTION pedigree_guard_run() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status <> 'RUNNING' THEN
          RAISE EXCEPTION 'run % is %: a finished run cannot change', OLD.id, OLD.status
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.commit_id IS DISTINCT FROM OLD.commit_id OR NEW.experiment_id <> OLD.experiment_id
           OR NEW.parent_run_id IS DISTINCT FROM OLD.parent_run_id OR NEW.started_at <> OLD.started_at THEN
          RAISE EXCEPTION 'run %: commit, experiment, parent and start time are fixed when the run starts', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER run_immutable_when_finished BEFORE UPDATE ON run
        FOR EACH ROW EXECUTE FUNCTION pedigree_guard_run();

      CREATE FUNCTION pedigree_guard_model_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.run_id <> OLD.run_id OR NEW.artifact_digest <> OLD.artifact_digest OR NEW.version <> OLD.version
           OR NEW.model_id <> OLD.model_id THEN
          RAISE EXCEPTION 'model version %: source run, artifact digest and number never change', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER model_version_identity_fixed BEFORE UPDATE ON model_version
        FOR EACH ROW EXECUTE FUNCTION pedigree_guard_model_version();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE audit_event, model_version, registered_model, run_artifact, metric_point, run_tag, run_param,
        run, experiment, data_version, dataset, code_commit, lineage_edge, lineage_node, api_token,
        project_member, project, app_user;
      DROP FUNCTION pedigree_reject_change(), pedigree_guard_run(), pedigree_guard_model_version();
    `);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Artifacts uploaded to Pedigree's content-addressed store, beside those recorded by finishRun as
 * stored elsewhere. Kinds become the uppercase ArtifactKind names, and artifact rows become fixed
 * records, like the run they belong to.
 */
export class CreateArtifactStore1764633600000 implements MigrationInterface {
  name = 'CreateArtifactStore1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE run_artifact
        ADD COLUMN media_type text, -- the upload's Content-Type, or as given to finishRun
        -- True when the bytes were uploaded to the store under digest. Only such rows let a project's
        -- viewers download those bytes: an upload proves its sender had them, a finishRun row only names them.
        ADD COLUMN stored boolean NOT NULL DEFAULT false,
        ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
      UPDATE run_artifact SET kind = upper(kind);
      UPDATE run_artifact SET kind = 'OTHER' WHERE kind NOT IN ('MODEL', 'CHECKPOINT', 'PLOT', 'LOG', 'OTHER');
      ALTER TABLE run_artifact
        ADD CONSTRAINT run_artifact_kind_check CHECK (kind IN ('MODEL', 'CHECKPOINT', 'PLOT', 'LOG', 'OTHER')),
        ADD CONSTRAINT run_artifact_stored_has_digest CHECK (NOT stored OR (digest IS NOT NULL AND size_bytes IS NOT NULL));
      -- Who may download a digest: the projects whose runs uploaded it.
      CREATE INDEX run_artifact_stored_digest_idx ON run_artifact (digest, run_id) WHERE stored;
      CREATE TRIGGER run_artifact_append_only BEFORE UPDATE OR DELETE ON run_artifact
        FOR EACH ROW EXECUTE FUNCTION pedigree_reject_change();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TRIGGER run_artifact_append_only ON run_artifact;
      DROP INDEX run_artifact_stored_digest_idx;
      ALTER TABLE run_artifact DROP CONSTRAINT run_artifact_kind_check, DROP CONSTRAINT run_artifact_stored_has_digest;
      UPDATE run_artifact SET kind = lower(kind);
      ALTER TABLE run_artifact DROP COLUMN media_type, DROP COLUMN stored, DROP COLUMN created_at;
    `);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The latest value of each metric of each run, kept up to date by logMetrics, so that filters and
 * orderings on metrics read one row per run and key instead of a run's whole series.
 */
export class CreateLatestMetrics1764547200000 implements MigrationInterface {
  name = 'CreateLatestMetrics1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE run_metric_latest (
        run_id uuid NOT NULL REFERENCES run (id),
        key text NOT NULL,
        value double precision NOT NULL, -- of the point with the highest step, then the latest timestamp
        step bigint NOT NULL,
        timestamp timestamptz NOT NULL,
        PRIMARY KEY (run_id, key)
      );
      INSERT INTO run_metric_latest (run_id, key, value, step, timestamp)
        SELECT DISTINCT ON (run_id, key) run_id, key, value, step, timestamp FROM metric_point ORDER BY run_id, key, step DESC, timestamp DESC;
      -- Orders and filters a project's runs by one metric without visiting the others.
      CREATE INDEX run_metric_latest_key_value_idx ON run_metric_latest (key, value, run_id);
      CREATE INDEX run_param_key_value_idx ON run_param (key, value);
      CREATE INDEX run_tag_key_value_idx ON run_tag (key, value);
      CREATE INDEX run_project_status_idx ON run (project_id, status, started_at DESC);
      CREATE INDEX model_version_project_created_idx ON model_version (project_id, created_at DESC);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX run_param_key_value_idx, run_tag_key_value_idx, run_project_status_idx, model_version_project_created_idx;
      DROP TABLE run_metric_latest;
    `);
  }
}

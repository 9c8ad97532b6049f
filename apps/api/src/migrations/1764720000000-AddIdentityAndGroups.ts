import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single sign-on: users linked to an OpenID provider's accounts, project roles granted by group,
 * deactivation, and the record of sign-in responses already used.
 */
export class AddIdentityAndGroups1764720000000 implements MigrationInterface {
  name = 'AddIdentityAndGroups1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE app_user ALTER COLUMN password_hash DROP NOT NULL; -- null: the user signs in through single sign-on only
      ALTER TABLE app_user ADD COLUMN deactivated_at timestamptz; -- set: every session and API token of the user is refused

      -- An account at an OpenID provider, linked to one user. Users are found by (issuer, subject) only:
      -- an email can be reassigned to another person, a subject cannot.
      CREATE TABLE user_identity (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id),
        issuer text NOT NULL,
        subject text NOT NULL, -- the provider's "sub" claim
        email text, -- as the provider last asserted it
        groups text[] NOT NULL DEFAULT '{}', -- the groups claim of the last sign-in, to re-apply changed group mappings
        created_at timestamptz NOT NULL DEFAULT now(),
        last_sign_in_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (issuer, subject)
      );
      CREATE INDEX user_identity_user_idx ON user_identity (user_id);
      CREATE INDEX user_identity_groups_idx ON user_identity USING gin (groups);

      -- MANUAL: granted by hand (addProjectMember, createProject), never changed by sign-ins.
      -- GROUP: derived from project_group_role at sign-in; added, changed and removed to match the groups.
      ALTER TABLE project_member ADD COLUMN source text NOT NULL DEFAULT 'MANUAL' CHECK (source IN ('MANUAL', 'GROUP'));

      -- Members of an identity provider group get this role in the project when they sign in.
      CREATE TABLE project_group_role (
        project_id uuid NOT NULL REFERENCES project (id),
        group_name text NOT NULL, -- a value of the provider's groups claim, compared exactly
        role text NOT NULL CHECK (role IN ('VIEWER', 'CONTRIBUTOR', 'REVIEWER', 'OWNER')),
        updated_by uuid REFERENCES app_user (id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, group_name)
      );
      CREATE INDEX project_group_role_group_idx ON project_group_role (group_name);

      -- Each sign-in response completes once, on any API replica: a replayed one finds its state here.
      CREATE TABLE oidc_consumed_state (
        state_hash text PRIMARY KEY, -- sha256 hex of the state parameter
        expires_at timestamptz NOT NULL -- after this the sign-in cookie has expired anyway, so the row can go
      );
      CREATE INDEX oidc_consumed_state_expires_idx ON oidc_consumed_state (expires_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE oidc_consumed_state;
      DROP TABLE project_group_role;
      ALTER TABLE project_member DROP COLUMN source;
      DROP TABLE user_identity;
      ALTER TABLE app_user DROP COLUMN deactivated_at;
      -- "!" is no bcrypt hash, so single sign-on users cannot sign in with a password afterwards.
      UPDATE app_user SET password_hash = '!' WHERE password_hash IS NULL;
      ALTER TABLE app_user ALTER COLUMN password_hash SET NOT NULL;
    `);
  }
}

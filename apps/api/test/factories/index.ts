import { createHash, randomUUID } from 'node:crypto';
import { ok, type TestApp } from '../utils/test-app';

let sequence = 0;
const next = () => `${Date.now().toString(36)}${(sequence += 1)}`;

export const hex = (text: string, bytes: 'md5' | 'sha1' | 'sha256') => createHash(bytes).update(text).digest('hex');
export const digest = (text: string) => `sha256:${hex(text, 'sha256')}`;

export interface SeededUser {
  id: string;
  email: string;
  token: string;
}

/** A user who has signed in; optionally a member of a project with a role. */
export async function seedUser(app: TestApp, membership?: { project: string; role: string }): Promise<SeededUser> {
  const email = `user-${next()}@example.com`;
  const password = 'user-password-1';
  const created = ok(
    await app.gql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, { input: { email, name: 'Test User', password } }, app.adminToken),
  );
  if (membership) {
    ok(
      await app.gql(
        `mutation($input: AddProjectMemberInput!) { addProjectMember(input: $input) { role } }`,
        { input: { project: membership.project, email, role: membership.role } },
        app.adminToken,
      ),
    );
  }
  const login = ok(await app.gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: email, p: password }));
  return { id: created.createUser.id, email, token: login.login.token };
}

/** A project the admin owns. */
export async function seedProject(app: TestApp, key = `p-${next()}`): Promise<{ id: string; key: string }> {
  const data = ok(await app.gql(`mutation($input: CreateProjectInput!) { createProject(input: $input) { id key } }`, { input: { key, name: `Project ${key}` } }, app.adminToken));
  return data.createProject;
}

export async function seedCommit(app: TestApp, token: string, project: string, overrides: Record<string, unknown> = {}) {
  const input = { project, repository: 'github.com/acme/fraud', sha: hex(next(), 'sha1'), branch: 'main', message: 'Train', dirty: false, ...overrides };
  return ok(await app.gql(`mutation($input: RecordCommitInput!) { recordCommit(input: $input) { id sha dirty } }`, { input }, token)).recordCommit;
}

export async function seedDataVersion(app: TestApp, token: string, project: string, overrides: Record<string, unknown> = {}) {
  const input = { project, dataset: 'transactions', contentHash: hex(next(), 'md5'), sizeBytes: 1024, ...overrides };
  return ok(await app.gql(`mutation($input: RegisterDataVersionInput!) { registerDataVersion(input: $input) { id contentHash } }`, { input }, token)).registerDataVersion;
}

export async function startRun(app: TestApp, token: string, project: string, overrides: Record<string, unknown> = {}) {
  const input = { project, experiment: 'exp', name: `run-${next()}`, ...overrides };
  return ok(await app.gql(`mutation($input: StartRunInput!) { startRun(input: $input) { id status } }`, { input }, token)).startRun;
}

export async function finishRun(app: TestApp, token: string, runId: string, overrides: Record<string, unknown> = {}) {
  const input = { runId, status: 'FINISHED', ...overrides };
  return ok(await app.gql(`mutation($input: FinishRunInput!) { finishRun(input: $input) { id status } }`, { input }, token)).finishRun;
}

/** A FINISHED run with a commit and one training data version. */
export async function seedFinishedRun(app: TestApp, token: string, project: string) {
  const commit = await seedCommit(app, token, project);
  const data = await seedDataVersion(app, token, project);
  const run = await startRun(app, token, project, { commitId: commit.id, inputs: [{ dataVersionId: data.id, role: 'TRAIN' }] });
  await finishRun(app, token, run.id);
  return { run, commit, data };
}

export async function registerVersion(app: TestApp, token: string, project: string, runId: string, overrides: Record<string, unknown> = {}) {
  const input = { project, model: 'fraud', runId, artifactUri: `s3://models/${randomUUID()}`, artifactDigest: digest(next()), ...overrides };
  return app.gql(`mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { id version stage artifactDigest } }`, { input }, token);
}

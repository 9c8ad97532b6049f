import { hashApiToken } from '../src/common/auth/credentials';
import { digest, hex, registerVersion, seedCommit, seedDataVersion, seedFinishedRun, seedProject, seedUser, startRun } from './factories';
import { ok, startTestApp, type TestApp } from './utils/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id name role project { key } } } }`;

describe('authentication', () => {
  it('refuses guarded fields without a token, and says how to sign in', async () => {
    await expect(app.gql(`{ me { id } }`)).resolves.toFailWith('UNAUTHENTICATED', /Authorization: Bearer/);
    await expect(app.gql(`{ projects { id } }`)).resolves.toFailWith('UNAUTHENTICATED');
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const login = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
    await expect(app.gql(login, { e: 'admin@example.com', p: 'wrong-password' })).resolves.toFailWith('UNAUTHENTICATED', /Email or password is wrong/);
    await expect(app.gql(login, { e: 'nobody@example.com', p: 'wrong-password' })).resolves.toFailWith('UNAUTHENTICATED', /Email or password is wrong/);
  });

  it('records sign-ins, failed ones included, on the audit trail', async () => {
    const user = await seedUser(app);
    await app.gql(`mutation($e: String!) { login(email: $e, password: "not-the-password") { token } }`, { e: user.email });
    const events = await app.dataSource.query(`SELECT action, entity_id AS "entityId" FROM audit_event WHERE after->>'email' = $1 AND action LIKE 'auth.%' ORDER BY id`, [user.email]);
    expect(events).toEqual([
      { action: 'auth.login_succeeded', entityId: user.id },
      { action: 'auth.login_failed', entityId: user.id },
    ]);
  });

  it('refuses a forged or malformed session token', async () => {
    await expect(app.gql(`{ me { id } }`, {}, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged')).resolves.toFailWith('UNAUTHENTICATED', /not valid/);
  });

  it('stores only a slow hash of passwords', async () => {
    const [row] = await app.dataSource.query(`SELECT password_hash FROM app_user WHERE email = 'admin@example.com'`);
    expect(row.password_hash).toMatch(/^\$2[aby]\$11\$/);
  });
});

describe('project roles', () => {
  it('lets a VIEWER read but not write', async () => {
    const project = await seedProject(app);
    const viewer = await seedUser(app, { project: project.key, role: 'VIEWER' });
    const contributor = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
    const { run, data } = await seedFinishedRun(app, contributor.token, project.key);
    const running = await startRun(app, contributor.token, project.key);

    expect(ok(await app.gql(`query($id: ID!) { run(id: $id) { id } }`, { id: run.id }, viewer.token)).run).toEqual({ id: run.id });
    const writes: Array<[string, Record<string, unknown>]> = [
      [`mutation($input: RecordCommitInput!) { recordCommit(input: $input) { id } }`, { input: { project: project.key, repository: 'r', sha: hex('x', 'sha1') } }],
      [`mutation($input: RegisterDataVersionInput!) { registerDataVersion(input: $input) { id } }`, { input: { project: project.key, dataset: 'd', contentHash: hex('x', 'md5') } }],
      [`mutation($input: StartRunInput!) { startRun(input: $input) { id } }`, { input: { project: project.key, inputs: [{ dataVersionId: data.id, role: 'TRAIN' }] } }],
      [`mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }`, { input: { runId: running.id, metrics: [{ key: 'a', value: 1 }] } }],
      [`mutation($input: FinishRunInput!) { finishRun(input: $input) { id } }`, { input: { runId: running.id, status: 'FINISHED' } }],
      [`mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { id } }`, { input: { project: project.key, model: 'm', runId: run.id, artifactUri: 's3://m', artifactDigest: digest('m') } }],
      [`mutation($input: AddProjectMemberInput!) { addProjectMember(input: $input) { role } }`, { input: { project: project.key, email: viewer.email, role: 'OWNER' } }],
    ];
    for (const [mutation, variables] of writes) {
      await expect(app.gql(mutation, variables, viewer.token)).resolves.toFailWith('FORBIDDEN', /needs the (CONTRIBUTOR|OWNER) role/);
    }
    // Nothing was written, and every refused attempt is on the project's audit trail.
    const events = await app.dataSource.query(`SELECT action, entity_id AS "entityId", project_id AS "projectId" FROM audit_event WHERE actor_user_id = $1 ORDER BY seq`, [viewer.id]);
    expect(events).toEqual(
      ['recordCommit', 'registerDataVersion', 'startRun', 'logMetrics', 'finishRun', 'registerModelVersion', 'addProjectMember'].map((entityId) => ({ action: 'access.denied', entityId, projectId: project.id })),
    );
  });

  it('lets only an OWNER manage members, and a CONTRIBUTOR not', async () => {
    const project = await seedProject(app);
    const contributor = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
    const owner = await seedUser(app, { project: project.key, role: 'OWNER' });
    const newcomer = await seedUser(app);
    const add = `mutation($input: AddProjectMemberInput!) { addProjectMember(input: $input) { role user { email } } }`;
    const input = { project: project.key, email: newcomer.email, role: 'REVIEWER' };
    await expect(app.gql(add, { input }, contributor.token)).resolves.toFailWith('FORBIDDEN');
    expect(ok(await app.gql(add, { input }, owner.token)).addProjectMember).toEqual({ role: 'REVIEWER', user: { email: newcomer.email } });
  });

  it('shows an outsider nothing of a project, not even that it exists', async () => {
    const project = await seedProject(app);
    const member = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
    const outsider = await seedUser(app);
    const { run } = await seedFinishedRun(app, member.token, project.key);
    const version = ok(await registerVersion(app, member.token, project.key, run.id)).registerModelVersion;

    const reads = ok(
      await app.gql(
        `query($key: String!, $run: ID!, $version: ID!) { projects { key } project(key: $key) { id } run(id: $run) { id } modelVersion(id: $version) { id } node(id: $run) { id } }`,
        { key: project.key, run: run.id, version: version.id },
        outsider.token,
      ),
    );
    expect(reads).toEqual({ projects: [], project: null, run: null, modelVersion: null, node: null });
    await expect(app.gql(`query($p: String!) { runs(project: $p) { totalCount } }`, { p: project.key }, outsider.token)).resolves.toFailWith('NOT_FOUND');
    await expect(app.gql(`query($p: String!) { registeredModel(project: $p, name: "fraud") { id } }`, { p: project.key }, outsider.token)).resolves.toFailWith('NOT_FOUND');
    // A member finds the model, null for a name with no versions, and NOT_FOUND for a project that does not exist.
    const model = `query($p: String!, $name: String!) { registeredModel(project: $p, name: $name) { id } }`;
    const [{ id: modelId }] = await app.dataSource.query(`SELECT model_id AS id FROM model_version WHERE id = $1`, [version.id]);
    expect(ok(await app.gql(model, { p: project.key, name: 'fraud' }, member.token)).registeredModel).toEqual({ id: modelId });
    expect(ok(await app.gql(model, { p: project.key, name: 'no-such-model' }, member.token)).registeredModel).toBeNull();
    await expect(app.gql(model, { p: 'no-such-project', name: 'fraud' }, member.token)).resolves.toFailWith('NOT_FOUND');
    // PostgreSQL's refusal of a value reaches the client as bad input, through the prepared read too.
    await expect(app.gql(model, { p: project.key, name: 'fr\u0000aud' }, member.token)).resolves.toFailWith('BAD_USER_INPUT', /NUL/);
    await expect(
      app.gql(`mutation($input: RecordCommitInput!) { recordCommit(input: $input) { id } }`, { input: { project: project.key, repository: 'r', sha: hex('y', 'sha1') } }, outsider.token),
    ).resolves.toFailWith('NOT_FOUND', /not found, or you have no access/);
  });

  it('keeps user and project creation to instance admins', async () => {
    const someone = await seedUser(app);
    await expect(app.gql(`mutation { createProject(input: { key: "mine", name: "Mine" }) { id } }`, {}, someone.token)).resolves.toFailWith('FORBIDDEN', /instance admin/);
    await expect(
      app.gql(`mutation { createUser(input: { email: "x@example.com", name: "X", password: "long-enough-1" }) { id } }`, {}, someone.token),
    ).resolves.toFailWith('FORBIDDEN');
  });

  it('hides data of a project the viewer is not in, but keeps the link visible as redacted', async () => {
    const upstream = await seedProject(app);
    const downstream = await seedProject(app);
    const both = await seedUser(app, { project: upstream.key, role: 'VIEWER' });
    ok(await app.gql(`mutation($input: AddProjectMemberInput!) { addProjectMember(input: $input) { role } }`, { input: { project: downstream.key, email: both.email, role: 'CONTRIBUTOR' } }, app.adminToken));
    const onlyDownstream = await seedUser(app, { project: downstream.key, role: 'VIEWER' });
    const shared = await seedDataVersion(app, app.adminToken, upstream.key);
    const run = await startRun(app, both.token, downstream.key, { inputs: [{ dataVersionId: shared.id, role: 'TRAIN' }] });

    const query = `query($id: ID!) { run(id: $id) { inputs { role redacted dataVersionId dataVersion { contentHash } } } }`;
    expect(ok(await app.gql(query, { id: run.id }, both.token)).run.inputs).toEqual([
      { role: 'TRAIN', redacted: false, dataVersionId: shared.id, dataVersion: { contentHash: shared.contentHash } },
    ]);
    expect(ok(await app.gql(query, { id: run.id }, onlyDownstream.token)).run.inputs).toEqual([
      { role: 'TRAIN', redacted: true, dataVersionId: shared.id, dataVersion: null },
    ]);
    const outsiderOfUpstream = await seedUser(app, { project: downstream.key, role: 'CONTRIBUTOR' });
    await expect(
      app.gql(`mutation($input: StartRunInput!) { startRun(input: $input) { id } }`, { input: { project: downstream.key, inputs: [{ dataVersionId: shared.id, role: 'TRAIN' }] } }, outsiderOfUpstream.token),
    ).resolves.toFailWith('NOT_FOUND');
  });
});

describe('API tokens', () => {
  it('shows the secret once, stores only its hash, and acts for the user', async () => {
    const project = await seedProject(app);
    const user = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
    const { createApiToken } = ok(await app.gql(CREATE_TOKEN, { input: { name: 'ci' } }, user.token));
    expect(createApiToken.token).toMatch(/^pdg_[\w-]{43}$/);
    const [row] = await app.dataSource.query(`SELECT token_hash FROM api_token WHERE id = $1`, [createApiToken.apiToken.id]);
    expect(row.token_hash).toBe(hashApiToken(createApiToken.token));
    expect(ok(await app.gql(`{ me { email } }`, {}, createApiToken.token)).me).toEqual({ email: user.email });
    await seedCommit(app, createApiToken.token, project.key);
  });

  it('caps a token to one project and a lower role', async () => {
    const first = await seedProject(app);
    const second = await seedProject(app);
    const user = await seedUser(app, { project: first.key, role: 'CONTRIBUTOR' });
    ok(await app.gql(`mutation($input: AddProjectMemberInput!) { addProjectMember(input: $input) { role } }`, { input: { project: second.key, email: user.email, role: 'CONTRIBUTOR' } }, app.adminToken));

    const { createApiToken: capped } = ok(await app.gql(CREATE_TOKEN, { input: { name: 'read-first', project: first.key, role: 'VIEWER' } }, user.token));
    expect(capped.apiToken).toMatchObject({ role: 'VIEWER', project: { key: first.key } });
    expect(ok(await app.gql(`{ projects { key viewerRole } }`, {}, capped.token)).projects).toEqual([{ key: first.key, viewerRole: 'VIEWER' }]);
    await expect(
      app.gql(`mutation($input: RecordCommitInput!) { recordCommit(input: $input) { id } }`, { input: { project: first.key, repository: 'r', sha: hex('z', 'sha1') } }, capped.token),
    ).resolves.toFailWith('FORBIDDEN');
  });

  it('refuses a role above the user\'s own, an expiry in the past, and tokens made by tokens', async () => {
    const project = await seedProject(app);
    const user = await seedUser(app, { project: project.key, role: 'VIEWER' });
    await expect(app.gql(CREATE_TOKEN, { input: { name: 't', project: project.key, role: 'OWNER' } }, user.token)).resolves.toFailWith('BAD_USER_INPUT', /above your role/);
    await expect(app.gql(CREATE_TOKEN, { input: { name: 't', expiresAt: '2020-01-01T00:00:00Z' } }, user.token)).resolves.toFailWith('BAD_USER_INPUT', /future/);
    const { createApiToken } = ok(await app.gql(CREATE_TOKEN, { input: { name: 't' } }, user.token));
    await expect(app.gql(CREATE_TOKEN, { input: { name: 't2' } }, createApiToken.token)).resolves.toFailWith('FORBIDDEN');
  });

  it('stops working when revoked or expired', async () => {
    const user = await seedUser(app);
    const { createApiToken } = ok(await app.gql(CREATE_TOKEN, { input: { name: 'short', expiresAt: new Date(Date.now() + 60_000).toISOString() } }, user.token));
    expect(ok(await app.gql(`{ me { id } }`, {}, createApiToken.token)).me).toEqual({ id: user.id });
    await app.dataSource.query(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [createApiToken.apiToken.id]);
    await expect(app.gql(`{ me { id } }`, {}, createApiToken.token)).resolves.toFailWith('UNAUTHENTICATED', /revoked or expired/);

    const { createApiToken: second } = ok(await app.gql(CREATE_TOKEN, { input: { name: 'revoked' } }, user.token));
    ok(await app.gql(`mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`, { id: second.apiToken.id }, user.token));
    await expect(app.gql(`{ me { id } }`, {}, second.token)).resolves.toFailWith('UNAUTHENTICATED');
  });

  it('gives an admin token capped to a project no instance-admin rights', async () => {
    const project = await seedProject(app);
    const { createApiToken } = ok(await app.gql(CREATE_TOKEN, { input: { name: 'admin-ci', project: project.key } }, app.adminToken));
    await expect(app.gql(`mutation { createProject(input: { key: "capped", name: "C" }) { id } }`, {}, createApiToken.token)).resolves.toFailWith('FORBIDDEN');
  });
});

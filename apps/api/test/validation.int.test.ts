import { finishRun, hex, registerVersion, type SeededUser, seedProject, seedUser, startRun } from './factories';
import { ok, startTestApp, type TestApp } from './utils/test-app';

let app: TestApp;
let project: { key: string; id: string };
let user: SeededUser;
beforeAll(async () => {
  app = await startTestApp();
  project = await seedProject(app);
  user = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
});
afterAll(() => app.close());

const RECORD_COMMIT = `mutation($input: RecordCommitInput!) { recordCommit(input: $input) { id } }`;
const REGISTER_DATA = `mutation($input: RegisterDataVersionInput!) { registerDataVersion(input: $input) { id contentHash } }`;
const START_RUN = `mutation($input: StartRunInput!) { startRun(input: $input) { id } }`;
const LOG_METRICS = `mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }`;

describe('input checks', () => {
  it.each([
    ['an abbreviated sha', { sha: 'abc1234' }, /sha must be 40 or 64 hexadecimal/],
    ['a sha of 41 characters', { sha: `${hex('a', 'sha1')}0` }, /sha must be 40 or 64/],
    ['a non-hex sha', { sha: 'g'.repeat(40) }, /sha must be 40 or 64/],
    ['a project key with capitals', { project: 'Fraud' }, /project must be a project key/],
  ])('refuses %s for a commit', async (_case, override, message) => {
    const input = { project: project.key, repository: 'r', sha: hex('ok', 'sha1'), ...override };
    await expect(app.gql(RECORD_COMMIT, { input }, user.token)).resolves.toFailWith('BAD_USER_INPUT', message);
  });

  it('accepts a 64-character SHA-256 commit', async () => {
    ok(await app.gql(RECORD_COMMIT, { input: { project: project.key, repository: 'r', sha: hex('sha256 repo', 'sha256') } }, user.token));
  });

  it.each([
    ['an md5 hash of the wrong length', { contentHash: 'abc' }, /not a md5 digest/],
    ['a sha256 hash under md5', { contentHash: hex('x', 'sha256') }, /not a md5 digest/],
    ['an md5 hash under sha256', { contentHash: hex('x', 'md5'), hashAlgorithm: 'sha256' }, /not a sha256 digest: expected 64 hex/],
    ['a ".dir" suffix on sha256', { contentHash: `${hex('x', 'sha256')}.dir`, hashAlgorithm: 'sha256' }, /not a sha256 digest/],
    ['an unknown algorithm', { hashAlgorithm: 'crc32' }, /hashAlgorithm must be one of md5, md5-dos2unix, sha256/],
    ['a negative size', { sizeBytes: -1 }, /sizeBytes cannot be negative/],
    ['a dataset name with spaces', { dataset: 'my data' }, /dataset must be/],
  ])('refuses %s for a data version', async (_case, override, message) => {
    const input = { project: project.key, dataset: 'd', contentHash: hex('ok', 'md5'), ...override };
    await expect(app.gql(REGISTER_DATA, { input }, user.token)).resolves.toFailWith('BAD_USER_INPUT', message);
  });

  it('keeps DVC directory hashes with their suffix and lowercases hex', async () => {
    const upper = `${hex('dir', 'md5').toUpperCase()}.dir`;
    const { registerDataVersion } = ok(await app.gql(REGISTER_DATA, { input: { project: project.key, dataset: 'features', contentHash: upper, hashAlgorithm: 'md5-dos2unix' } }, user.token));
    expect(registerDataVersion.contentHash).toBe(upper.toLowerCase());
  });

  it.each([
    ['a param key over 250 characters', { params: [{ key: 'k'.repeat(251), value: '1' }] }, /param key must be 1 to 250/],
    ['a param value over 6,000 characters', { params: [{ key: 'k', value: 'v'.repeat(6001) }] }, /param value must be at most 6000/],
    ['the same param twice', { params: [{ key: 'lr', value: '1' }, { key: 'lr', value: '2' }] }, /param "lr" is given twice/],
    ['an environment that is not an object', { environment: [1, 2] }, /environment must be a JSON object/],
    ['an environment over 64 KiB', { environment: { blob: 'x'.repeat(70_000) } }, /at most 64 KiB/],
    ['an unknown commit', { commitId: '00000000-0000-4000-8000-000000000000' }, /Commit 00000000-0000-4000-8000-000000000000 not found/],
    ['a malformed commit id', { commitId: 'not-a-uuid' }, /commitId must be a commit id/],
  ])('refuses %s when starting a run', async (_case, override, message) => {
    const code = String(message).includes('not found') ? 'NOT_FOUND' : 'BAD_USER_INPUT';
    await expect(app.gql(START_RUN, { input: { project: project.key, ...override } }, user.token)).resolves.toFailWith(code, message);
  });

  it('accepts a param value of exactly 6,000 characters and a key of 250', async () => {
    ok(await app.gql(START_RUN, { input: { project: project.key, params: [{ key: 'k'.repeat(250), value: 'v'.repeat(6000) }] } }, user.token));
  });

  it('takes at most 1,000 metric points per call, all finite', async () => {
    const run = await startRun(app, user.token, project.key);
    const points = (n: number) => Array.from({ length: n }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), step }));
    expect(ok(await app.gql(LOG_METRICS, { input: { runId: run.id, metrics: points(1000) } }, user.token)).logMetrics.accepted).toBe(1000);
    await expect(app.gql(LOG_METRICS, { input: { runId: run.id, metrics: points(1001) } }, user.token)).resolves.toFailWith('BAD_USER_INPUT', /at most 1000 metric points per call/);
    // JSON cannot carry NaN; a huge literal parses to Infinity, which must not be stored.
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: `{"query":"mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }","variables":{"input":{"runId":"${run.id}","metrics":[{"key":"loss","value":1e400}]}}}`,
    });
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const [{ count }] = await app.dataSource.query(`SELECT count(*)::int AS count FROM metric_point WHERE run_id = $1`, [run.id]);
    expect(count).toBe(1000);
  });

  it.each([
    // A valid ISO date to JavaScript, but PostgreSQL has no year 0.
    ['0000-01-01T00:00:00Z', /DateTime must lie between 0001-01-01 and 9999-12-31; got 0000-01-01T00:00:00.000Z/],
    ['-000001-01-01T00:00:00Z', /cannot represent an invalid date-time-string/],
    ['+010000-01-01T00:00:00Z', /cannot represent an invalid date-time-string/],
  ])('refuses a timestamp PostgreSQL cannot store (%s) as bad input, storing nothing', async (timestamp, message) => {
    const run = await startRun(app, user.token, project.key);
    const response = await app.gql(LOG_METRICS, { input: { runId: run.id, metrics: [{ key: 'loss', value: 1 }, { key: 'loss', value: 2, timestamp }] } }, user.token);
    expect(response).toFailWith('BAD_USER_INPUT', message);
    const [{ count }] = await app.dataSource.query(`SELECT count(*)::int AS count FROM metric_point WHERE run_id = $1`, [run.id]);
    expect(count).toBe(0);
    // The first and last storable instants are taken.
    for (const edge of ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']) {
      expect(ok(await app.gql(LOG_METRICS, { input: { runId: run.id, metrics: [{ key: 'edge', value: 1, timestamp: edge }] } }, user.token)).logMetrics.accepted).toBe(1);
    }
  });

  it.each([
    ['an empty key', { key: '' }, /metrics: point 2: metric key must be 1 to 250 printable characters/],
    ['a key with a trailing space', { key: 'loss ' }, /metrics: point 2: metric key must be/],
    ['a key with a tab', { key: 'lo\tss' }, /metrics: point 2: metric key must be/],
    ['a key of 251 characters', { key: 'k'.repeat(251) }, /metrics: point 2: metric key must be/],
    ['a negative step', { step: -1 }, /metrics: point 2: step cannot be negative/],
  ])('refuses a metric batch with %s, naming the point, and stores none of it', async (_case, override, message) => {
    const run = await startRun(app, user.token, project.key);
    const metrics = [{ key: 'loss', value: 1 }, { key: 'loss', value: 0.5, step: 1 }, { key: 'loss', value: 0.25, step: 2, ...override }];
    const response = await app.gql(LOG_METRICS, { input: { runId: run.id, metrics } }, user.token);
    expect(response).toFailWith('BAD_USER_INPUT', message);
    expect(response.errors?.[0].extensions?.fields).toEqual({ metrics: [expect.stringMatching(/^point 2: /)] });
    const [{ count }] = await app.dataSource.query(`SELECT count(*)::int AS count FROM metric_point WHERE run_id = $1`, [run.id]);
    expect(count).toBe(0);
  });

  it.each([
    ['a model name with a space', { model: 'my model' }, /model must be 1-128 letters/],
    ['a digest without its algorithm', { artifactDigest: hex('m', 'sha256') }, /artifactDigest must be "sha256:"/],
    ['an uppercase digest', { artifactDigest: `sha256:${hex('m', 'sha256').toUpperCase()}` }, /artifactDigest must be "sha256:"/],
  ])('refuses %s when registering a version', async (_case, override, message) => {
    const run = await startRun(app, user.token, project.key);
    await finishRun(app, user.token, run.id);
    await expect(registerVersion(app, user.token, project.key, run.id, override)).resolves.toFailWith('BAD_USER_INPUT', message);
  });

  it('pages runs with `first` between 1 and 100 only', async () => {
    await expect(app.gql(`query($p: String!) { runs(project: $p, first: 0) { totalCount } }`, { p: project.key }, user.token)).resolves.toFailWith('BAD_USER_INPUT', /between 1 and 100/);
    await expect(app.gql(`query($p: String!) { runs(project: $p, first: 101) { totalCount } }`, { p: project.key }, user.token)).resolves.toFailWith('BAD_USER_INPUT');
    await expect(app.gql(`query($p: String!) { runs(project: $p, after: "garbage") { totalCount } }`, { p: project.key }, user.token)).resolves.toFailWith('BAD_USER_INPUT', /cursor/);
  });

  it('refuses a project key that breaks the pattern, and a duplicate key', async () => {
    await expect(app.gql(`mutation { createProject(input: { key: "9lives", name: "x" }) { id } }`, {}, app.adminToken)).resolves.toFailWith('BAD_USER_INPUT', /key must be 2-63 lowercase/);
    await expect(app.gql(`mutation($k: String!) { createProject(input: { key: $k, name: "again" }) { id } }`, { k: project.key }, app.adminToken)).resolves.toFailWith('CONFLICT', /already exists/);
  });
});

describe('preconditions', () => {
  it('registers only a FINISHED run of the same project', async () => {
    const running = await startRun(app, user.token, project.key);
    await expect(registerVersion(app, user.token, project.key, running.id)).resolves.toFailWith('PRECONDITION_FAILED', /still RUNNING; call finishRun/);
    const failed = await startRun(app, user.token, project.key);
    await finishRun(app, user.token, failed.id, { status: 'FAILED', errorMessage: 'CUDA out of memory' });
    await expect(registerVersion(app, user.token, project.key, failed.id)).resolves.toFailWith('PRECONDITION_FAILED', /ended FAILED/);

    const other = await seedProject(app);
    ok(await app.gql(`mutation($input: AddProjectMemberInput!) { addProjectMember(input: $input) { role } }`, { input: { project: other.key, email: user.email, role: 'CONTRIBUTOR' } }, app.adminToken));
    const finished = await startRun(app, user.token, project.key);
    await finishRun(app, user.token, finished.id);
    await expect(registerVersion(app, user.token, other.key, finished.id)).resolves.toFailWith('BAD_USER_INPUT', /belongs to another project/);
  });

  it('refuses a lineage loop, naming it', async () => {
    const data = await app.gql(REGISTER_DATA, { input: { project: project.key, dataset: 'loop', contentHash: hex('loop', 'md5') } }, user.token).then(ok);
    const run = await startRun(app, user.token, project.key, { inputs: [{ dataVersionId: data.registerDataVersion.id, role: 'TRAIN' }] });
    await expect(
      app.gql(`mutation($input: FinishRunInput!) { finishRun(input: $input) { id } }`, { input: { runId: run.id, status: 'FINISHED', outputs: [data.registerDataVersion.id] } }, user.token),
    ).resolves.toFailWith('BAD_USER_INPUT', /would close a loop/);
    const [{ status }] = await app.dataSource.query(`SELECT status FROM run WHERE id = $1`, [run.id]);
    expect(status).toBe('RUNNING');
  });
});

describe('errors that are not the client\'s', () => {
  it('masks an internal error, quoting the request id of the response header', async () => {
    const run = await startRun(app, user.token, project.key, { tags: [{ key: 'team', value: 'fraud' }] });
    await app.dataSource.query(`ALTER TABLE run_tag RENAME TO run_tag_moved`);
    try {
      const response = await fetch(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        body: JSON.stringify({ query: `query($id: ID!) { run(id: $id) { tags { key } } }`, variables: { id: run.id } }),
      });
      const body = await response.json();
      const requestId = response.headers.get('x-request-id');
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.errors[0]).toEqual({
        message: `Internal error. Quote request id ${requestId} when you report it.`,
        locations: expect.any(Array),
        path: ['run', 'tags'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
      });
      expect(JSON.stringify(body)).not.toMatch(/run_tag|SELECT|stack/i);
    } finally {
      await app.dataSource.query(`ALTER TABLE run_tag_moved RENAME TO run_tag`);
    }
  });

  it('leaves nothing behind when a mutation fails part-way', async () => {
    const run = await startRun(app, user.token, project.key);
    await finishRun(app, user.token, run.id);
    const before = await app.dataSource.query(`SELECT (SELECT count(*) FROM dataset)::int AS datasets, (SELECT count(*) FROM audit_event)::int AS events, (SELECT count(*) FROM lineage_node)::int AS nodes`);
    // The dataset row is written before the producing run turns out to be finished.
    await expect(
      app.gql(REGISTER_DATA, { input: { project: project.key, dataset: 'never-created', contentHash: hex('late', 'md5'), producedByRunId: run.id } }, user.token),
    ).resolves.toFailWith('PRECONDITION_FAILED', /outputs were fixed when it finished/);
    const after = await app.dataSource.query(`SELECT (SELECT count(*) FROM dataset)::int AS datasets, (SELECT count(*) FROM audit_event)::int AS events, (SELECT count(*) FROM lineage_node)::int AS nodes`);
    expect(after).toEqual(before);
  });
});

import { digest, finishRun, hex, registerVersion, type SeededUser, seedCommit, seedFinishedRun, seedProject, seedUser, startRun } from './factories';
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

const REGISTER_DATA = `mutation($input: RegisterDataVersionInput!) { registerDataVersion(input: $input) { id } }`;

describe('a finished run is a fixed record', () => {
  it('refuses a second finishRun and any more metrics with CONFLICT', async () => {
    const run = await startRun(app, user.token, project.key);
    await finishRun(app, user.token, run.id);
    await expect(
      app.gql(`mutation($input: FinishRunInput!) { finishRun(input: $input) { id } }`, { input: { runId: run.id, status: 'FAILED' } }, user.token),
    ).resolves.toFailWith('CONFLICT', /is FINISHED: a finished run is a fixed record/);
    await expect(
      app.gql(`mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }`, { input: { runId: run.id, metrics: [{ key: 'auc', value: 1 }] } }, user.token),
    ).resolves.toFailWith('CONFLICT');
    const [row] = await app.dataSource.query(`SELECT status FROM run WHERE id = $1`, [run.id]);
    expect(row.status).toBe('FINISHED');
  });

  it('is guarded in the database too: status, commit and version identity cannot be rewritten', async () => {
    const { run } = await seedFinishedRun(app, user.token, project.key);
    const other = await seedCommit(app, user.token, project.key);
    await expect(app.dataSource.query(`UPDATE run SET status = 'FAILED' WHERE id = $1`, [run.id])).rejects.toThrow(/a finished run cannot change/);
    await expect(app.dataSource.query(`UPDATE run SET commit_id = $2 WHERE id = $1`, [run.id, other.id])).rejects.toThrow(/a finished run cannot change/);
    const version = ok(await registerVersion(app, user.token, project.key, run.id)).registerModelVersion;
    await expect(app.dataSource.query(`UPDATE model_version SET artifact_digest = $2 WHERE id = $1`, [version.id, digest('other')])).rejects.toThrow(/never change/);
    await expect(app.dataSource.query(`DELETE FROM lineage_edge WHERE dst_id = $1`, [version.id])).rejects.toThrow(/append-only/);
    await expect(app.dataSource.query(`UPDATE audit_event SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(app.dataSource.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
    await expect(app.dataSource.query(`TRUNCATE audit_event CASCADE`)).rejects.toThrow(/append-only/);
  });

  it('lets a RUNNING run record its outputs, one producer per content', async () => {
    const first = await startRun(app, user.token, project.key);
    const { registerDataVersion: output } = ok(
      await app.gql(REGISTER_DATA, { input: { project: project.key, dataset: 'features', contentHash: hex('features', 'md5'), producedByRunId: first.id } }, user.token),
    );
    const second = await startRun(app, user.token, project.key);
    await expect(
      app.gql(`mutation($input: FinishRunInput!) { finishRun(input: $input) { id } }`, { input: { runId: second.id, status: 'FINISHED', outputs: [output.id] } }, user.token),
    ).resolves.toFailWith('CONFLICT', /already produced by run/);
    await finishRun(app, user.token, first.id, { outputs: [output.id] });
    const read = ok(await app.gql(`query($id: ID!) { run(id: $id) { outputs { id producedBy { id } } } }`, { id: first.id }, user.token));
    expect(read.run.outputs).toEqual([{ id: output.id, producedBy: { id: first.id } }]);
  });
});

describe('idempotent writes', () => {
  it('returns the same commit and data version when recorded twice', async () => {
    const sha = hex('same commit', 'sha1');
    const first = await seedCommit(app, user.token, project.key, { sha });
    const again = await seedCommit(app, user.token, project.key, { sha: sha.toUpperCase(), message: 'a retry' });
    expect(again.id).toBe(first.id);
    const input = { project: project.key, dataset: 'raw', contentHash: hex('same data', 'md5') };
    const [a, b] = await Promise.all([app.gql(REGISTER_DATA, { input }, user.token), app.gql(REGISTER_DATA, { input }, user.token)]);
    expect(ok(a).registerDataVersion.id).toBe(ok(b).registerDataVersion.id);
    const [{ count }] = await app.dataSource.query(`SELECT count(*)::int AS count FROM audit_event WHERE entity_id = $1`, [ok(a).registerDataVersion.id]);
    expect(count).toBe(1);
  });

  it('returns the first run for a retried startRun with the same idempotency key, even when concurrent', async () => {
    const input = { idempotencyKey: `job-${Date.now()}` };
    const results = await Promise.all([1, 2, 3].map(() => startRun(app, user.token, project.key, input)));
    expect(new Set(results.map((run) => run.id)).size).toBe(1);
  });

  it('returns the first version for a retried registration, and refuses the key for other inputs', async () => {
    const { run } = await seedFinishedRun(app, user.token, project.key);
    const input = { model: 'idempotent-model', artifactDigest: digest('weights'), idempotencyKey: 'register-1' };
    const [a, b] = await Promise.all([registerVersion(app, user.token, project.key, run.id, input), registerVersion(app, user.token, project.key, run.id, input)]);
    expect(ok(a).registerModelVersion).toEqual(ok(b).registerModelVersion);
    expect(ok(a).registerModelVersion.version).toBe(1);
    await expect(registerVersion(app, user.token, project.key, run.id, { ...input, artifactDigest: digest('other weights') })).resolves.toFailWith('CONFLICT', /already used/);
  });
});

describe('version numbers', () => {
  it('numbers concurrent registrations 1..N with no gap or duplicate', async () => {
    const { run } = await seedFinishedRun(app, user.token, project.key);
    const results = await Promise.all(Array.from({ length: 12 }, () => registerVersion(app, user.token, project.key, run.id, { model: 'busy-model' })));
    const versions = results.map((result) => ok(result).registerModelVersion.version).sort((x, y) => x - y);
    expect(versions).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
  });

  it('numbers each model on its own', async () => {
    const { run } = await seedFinishedRun(app, user.token, project.key);
    expect(ok(await registerVersion(app, user.token, project.key, run.id, { model: 'alpha' })).registerModelVersion.version).toBe(1);
    expect(ok(await registerVersion(app, user.token, project.key, run.id, { model: 'beta' })).registerModelVersion.version).toBe(1);
    expect(ok(await registerVersion(app, user.token, project.key, run.id, { model: 'alpha' })).registerModelVersion.version).toBe(2);
  });
});

describe('lineage rows', () => {
  it('writes every relation of a run to lineage_edge, from input to output', async () => {
    const { run: parent } = await seedFinishedRun(app, user.token, project.key);
    const base = ok(await registerVersion(app, user.token, project.key, parent.id, { model: 'base' })).registerModelVersion;
    const commit = await seedCommit(app, user.token, project.key);
    const { registerDataVersion: raw } = ok(await app.gql(REGISTER_DATA, { input: { project: project.key, dataset: 'raw', contentHash: hex('raw edges', 'md5') } }, user.token));
    const { registerDataVersion: clean } = ok(
      await app.gql(REGISTER_DATA, { input: { project: project.key, dataset: 'clean', contentHash: hex('clean edges', 'md5'), derivedFrom: [raw.id] } }, user.token),
    );
    const sweep = await startRun(app, user.token, project.key);
    const child = await startRun(app, user.token, project.key, {
      commitId: commit.id,
      parentRunId: sweep.id,
      baseModelVersionIds: [base.id],
      inputs: [{ dataVersionId: clean.id, role: 'VALIDATION' }],
    });
    const { registerDataVersion: predictions } = ok(await app.gql(REGISTER_DATA, { input: { project: project.key, dataset: 'predictions', contentHash: hex('preds', 'md5') } }, user.token));
    await finishRun(app, user.token, child.id, { outputs: [predictions.id] });
    const tuned = ok(await registerVersion(app, user.token, project.key, child.id, { model: 'tuned' })).registerModelVersion;

    const edges = await app.dataSource.query(
      `SELECT src_id AS "from", dst_id AS "to", relation, role FROM lineage_edge WHERE src_id = ANY($1) OR dst_id = ANY($1) ORDER BY relation, src_id`,
      [[child.id, clean.id]],
    );
    expect(edges).toEqual(
      expect.arrayContaining([
        { from: commit.id, to: child.id, relation: 'BUILT_FROM', role: null },
        { from: clean.id, to: child.id, relation: 'CONSUMED', role: 'VALIDATION' },
        { from: base.id, to: child.id, relation: 'CONSUMED', role: null },
        { from: child.id, to: predictions.id, relation: 'PRODUCED', role: null },
        { from: raw.id, to: clean.id, relation: 'DERIVED_FROM', role: null },
        { from: child.id, to: tuned.id, relation: 'TRAINED', role: null },
        { from: sweep.id, to: child.id, relation: 'PARENT_OF', role: null },
      ]),
    );
    expect(edges).toHaveLength(7);
    const kinds = await app.dataSource.query(`SELECT kind FROM lineage_node WHERE id = ANY($1) ORDER BY kind`, [[commit.id, clean.id, child.id, tuned.id]]);
    expect(kinds.map((row: { kind: string }) => row.kind)).toEqual(['CodeCommit', 'DataVersion', 'ModelVersion', 'Run']);

    const read = ok(
      await app.gql(
        `query($id: ID!) { run(id: $id) { parent { id } baseModelVersions { id } modelVersions { id } } node(id: $id) { id ... on Run { name } } }`,
        { id: child.id },
        user.token,
      ),
    );
    expect(read.run).toEqual({ parent: { id: sweep.id }, baseModelVersions: [{ id: base.id }], modelVersions: [{ id: tuned.id }] });
    expect(read.node.id).toBe(child.id);
  });
});

describe('logMetrics', () => {
  const LOG = `mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }`;
  const READ = `query($id: ID!, $key: String!) { run(id: $id) { metrics { key value step } metricHistory(key: $key) { value step timestamp } } }`;

  it('stores every point exactly as sent, whatever characters its key holds', async () => {
    const run = await startRun(app, user.token, project.key);
    // Backslashes, a literal \N (COPY's null), quotes, commas and non-ASCII all survive the bulk load.
    const keys = ['a\\b', '\\N', 'say "hi", twice', 'ümlaut ✓', "it's"];
    const values = [5e-324, -0.5, 1.7976931348623157e308, 0.1 + 0.2, -1e-7];
    const timestamp = '2026-01-02T03:04:05.678Z';
    const metrics = keys.map((key, index) => ({ key, value: values[index], step: index, timestamp }));
    expect(ok(await app.gql(LOG, { input: { runId: run.id, metrics } }, user.token)).logMetrics.accepted).toBe(5);
    for (const [index, key] of keys.entries()) {
      const { run: read } = ok(await app.gql(READ, { id: run.id, key }, user.token));
      expect(read.metricHistory).toEqual([{ value: values[index], step: index, timestamp }]);
    }
    const { run: read } = ok(await app.gql(READ, { id: run.id, key: keys[0] }, user.token));
    expect(read.metrics.map((metric: { key: string }) => metric.key).sort()).toEqual([...keys].sort());
  });

  it('moves the latest point of a key only forward: by step, then by time, never back for a late batch', async () => {
    const run = await startRun(app, user.token, project.key);
    const latest = async () => ok(await app.gql(READ, { id: run.id, key: 'loss' }, user.token)).run.metrics;
    await app.gql(LOG, { input: { runId: run.id, metrics: [{ key: 'loss', value: 0.9, step: 1 }, { key: 'loss', value: 0.5, step: 3 }, { key: 'loss', value: 0.7, step: 2 }] } }, user.token);
    expect(await latest()).toEqual([{ key: 'loss', value: 0.5, step: 3 }]);
    // A late batch of earlier steps leaves the latest alone.
    await app.gql(LOG, { input: { runId: run.id, metrics: [{ key: 'loss', value: 0.8, step: 2 }] } }, user.token);
    expect(await latest()).toEqual([{ key: 'loss', value: 0.5, step: 3 }]);
    // At the same step, the later timestamp wins, inside a batch and across batches.
    await app.gql(LOG, { input: { runId: run.id, metrics: [{ key: 'loss', value: 0.4, step: 3, timestamp: '2030-01-01T00:00:02Z' }, { key: 'loss', value: 0.45, step: 3, timestamp: '2030-01-01T00:00:01Z' }] } }, user.token);
    expect(await latest()).toEqual([{ key: 'loss', value: 0.4, step: 3 }]);
    const LATEST_WITH_TIME = `query($id: ID!) { run(id: $id) { metrics { key timestamp } } }`;
    expect(ok(await app.gql(LATEST_WITH_TIME, { id: run.id }, user.token)).run.metrics).toEqual([{ key: 'loss', timestamp: '2030-01-01T00:00:02.000Z' }]);
    const [{ points }] = await app.dataSource.query(`SELECT count(*)::int AS points FROM metric_point WHERE run_id = $1`, [run.id]);
    expect(points).toBe(6);
  });

  it('stores nothing of a batch that fails after its points were copied', async () => {
    const run = await startRun(app, user.token, project.key);
    // The latest-point upsert runs after the bulk COPY; make it fail for one key.
    await app.dataSource.query(`
      CREATE FUNCTION test_refuse_key() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.key = 'refused' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER test_refuse_key BEFORE INSERT ON run_metric_latest FOR EACH ROW EXECUTE FUNCTION test_refuse_key();`);
    try {
      const metrics = [{ key: 'kept', value: 1 }, { key: 'refused', value: 2 }];
      await expect(app.gql(LOG, { input: { runId: run.id, metrics } }, user.token)).resolves.toFailWith('INTERNAL_SERVER_ERROR');
    } finally {
      await app.dataSource.query(`DROP TRIGGER test_refuse_key ON run_metric_latest; DROP FUNCTION test_refuse_key();`);
    }
    const [{ points }] = await app.dataSource.query(`SELECT count(*)::int AS points FROM metric_point WHERE run_id = $1`, [run.id]);
    const [{ events }] = await app.dataSource.query(`SELECT count(*)::int AS events FROM audit_event WHERE entity_id = $1 AND action = 'run.metrics_logged'`, [run.id]);
    expect({ points, events }).toEqual({ points: 0, events: 0 });
    // The same connection serves the next batch normally.
    expect(ok(await app.gql(LOG, { input: { runId: run.id, metrics: [{ key: 'kept', value: 1 }] } }, user.token)).logMetrics.accepted).toBe(1);
  });
});

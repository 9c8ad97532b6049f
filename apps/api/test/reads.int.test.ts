import { digest, finishRun, registerVersion, type SeededUser, seedCommit, seedDataVersion, seedProject, seedUser, startRun } from './factories';
import { ok, startTestApp, type TestApp } from './utils/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** A project with `models` models of two versions each, trained on a commit and two data versions. */
async function seedRegistry(models: number): Promise<{ key: string; user: SeededUser }> {
  const project = await seedProject(app);
  const user = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
  const commit = await seedCommit(app, user.token, project.key);
  const raw = await seedDataVersion(app, user.token, project.key, { dataset: 'raw' });
  const clean = await seedDataVersion(app, user.token, project.key, { dataset: 'clean', derivedFrom: [raw.id] });
  for (let index = 0; index < models; index += 1) {
    const run = await startRun(app, user.token, project.key, {
      commitId: commit.id,
      params: [{ key: 'seed', value: String(index) }],
      inputs: [{ dataVersionId: clean.id, role: 'TRAIN' }, { dataVersionId: raw.id, role: 'TEST' }],
    });
    await app.gql(`mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }`, { input: { runId: run.id, metrics: [{ key: 'auc', value: 0.9, step: 1 }] } }, user.token);
    await finishRun(app, user.token, run.id);
    for (const model of [`model-${index}`, `model-${index}`]) ok(await registerVersion(app, user.token, project.key, run.id, { model, artifactDigest: digest(`${model}-${Math.random()}`) }));
  }
  return { key: project.key, user };
}

const NESTED_READ = `query($key: String!) {
  project(key: $key) {
    registeredModels { name productionVersion { version }
      versions { version stage createdBy { email } model { name }
        sourceRun { name experiment { name } params { key value } metrics { key value }
          commit { sha }
          inputs { role dataVersion { contentHash dataset { name } derivedFrom { contentHash } producedBy { id } } } } } } } }`;

describe('nested reads', () => {
  it('issue the same number of SQL statements for 5 models as for 50 (no N+1)', async () => {
    const small = await seedRegistry(5);
    const large = await seedRegistry(50);
    const smallRead = await app.gql(NESTED_READ, { key: small.key }, small.user.token);
    const largeRead = await app.gql(NESTED_READ, { key: large.key }, large.user.token);
    expect(ok(smallRead).project.registeredModels).toHaveLength(5);
    expect(ok(largeRead).project.registeredModels).toHaveLength(50);
    expect(ok(largeRead).project.registeredModels[0].versions[0].sourceRun.inputs).toHaveLength(2);
    expect(largeRead.statements).toBe(smallRead.statements);
    // One per level of the query, plus authentication: far below one per model.
    expect(largeRead.statements).toBeLessThan(20);
  });
});

describe('runs', () => {
  it('pages newest first with a stable cursor and a total count', async () => {
    const project = await seedProject(app);
    const user = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
    const started = [];
    for (let index = 0; index < 5; index += 1) started.push(await startRun(app, user.token, project.key, { name: `r${index}` }));
    const page = `query($p: String!, $after: String) { runs(project: $p, first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }`;
    const names: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { runs }: { runs: any } = ok(await app.gql(page, { p: project.key, after }, user.token));
      expect(runs.totalCount).toBe(5);
      names.push(...runs.edges.map((edge: { node: { name: string } }) => edge.node.name));
      if (!runs.pageInfo.hasNextPage) break;
      after = runs.pageInfo.endCursor;
    }
    expect(names).toEqual(['r4', 'r3', 'r2', 'r1', 'r0']);
  });

  it('filters by status, params, tags and latest metric values in SQL', async () => {
    const project = await seedProject(app);
    const user = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
    const make = async (name: string, optimizer: string, auc: number, status: string) => {
      const run = await startRun(app, user.token, project.key, { name, params: [{ key: 'optimizer', value: optimizer }], tags: [{ key: 'team', value: 'fraud' }] });
      await app.gql(`mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }`, { input: { runId: run.id, metrics: [{ key: 'val_auc', value: 0.5, step: 0 }, { key: 'val_auc', value: auc, step: 1 }] } }, user.token);
      await finishRun(app, user.token, run.id, { status });
    };
    await make('adam-good', 'adam', 0.95, 'FINISHED');
    await make('adam-poor', 'adam', 0.7, 'FINISHED');
    await make('sgd-good', 'sgd', 0.96, 'FINISHED');
    await make('adam-failed', 'adam', 0.99, 'FAILED');
    const names = async (filter: string) =>
      ok(await app.gql(`query($p: String!, $f: String) { runs(project: $p, filter: $f) { totalCount edges { node { name } } } }`, { p: project.key, f: filter }, user.token))
        .runs.edges.map((edge: { node: { name: string } }) => edge.node.name)
        .sort();
    expect(await names('status = "FINISHED"')).toEqual(['adam-good', 'adam-poor', 'sgd-good']);
    expect(await names(`metrics.val_auc > 0.9 and params.optimizer = 'adam' and status = "FINISHED"`)).toEqual(['adam-good']);
    expect(await names('tags.team = "fraud" and status != "FINISHED"')).toEqual(['adam-failed']);
    expect(await names('experiment = "exp" and metrics.val_auc <= 0.7')).toEqual(['adam-poor']);
    await expect(app.gql(`query($p: String!) { runs(project: $p, filter: "status = ") { totalCount } }`, { p: project.key }, user.token)).resolves.toFailWith('BAD_USER_INPUT', /position 10: expected a quoted string or a number, found the end of the filter/);
    await expect(app.gql(`query($p: String!) { runs(project: $p, filter: "colour = \\"red\\"") { totalCount } }`, { p: project.key }, user.token)).resolves.toFailWith('BAD_USER_INPUT', /position 1: unknown field "colour"/);
    await expect(app.gql(`query($p: String!) { runs(project: $p, filter: "status = \\"DONE\\"") { totalCount } }`, { p: project.key }, user.token)).resolves.toFailWith('BAD_USER_INPUT', /status is one of RUNNING, FINISHED, FAILED, KILLED, not "DONE"/);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { seedProject, seedUser } from './factories';
import { ok, startTestApp, type TestApp } from './utils/test-app';

const FIXTURES = path.join(__dirname, 'fixtures', 'openlineage');
const fixture = (name: string): any => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));

/** "- 03-….json: 1 doc(s), 1 invalid" lines of VALIDATION.txt: the verdict of the reference validator. */
function referenceVerdicts(): Map<string, boolean> {
  const verdicts = new Map<string, boolean>();
  for (const match of readFileSync(path.join(FIXTURES, 'VALIDATION.txt'), 'utf8').matchAll(/^- (\S+\.json): (\d+) doc\(s\), (\d+) invalid$/gm)) {
    verdicts.set(match[1], Number(match[3]) === 0);
  }
  return verdicts;
}

const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`;
const AUDIT_HEAD = `query($project: String!) { auditHead(project: $project) { seq hash } }`;

let app: TestApp;
let lineageUrl: string;

beforeAll(async () => {
  app = await startTestApp();
  lineageUrl = app.url.replace(/\/graphql$/, '/api/v1/lineage');
});
afterAll(() => app.close());

async function post(body: unknown, token: string | null, query = ''): Promise<{ status: number; body: any }> {
  const response = await fetch(`${lineageUrl}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** A project and an API token capped to it, as a pipeline would hold. */
async function seedIngestToken(role = 'CONTRIBUTOR') {
  const project = await seedProject(app);
  const { createApiToken } = ok(await app.gql(CREATE_TOKEN, { input: { name: 'openlineage', project: project.key, role } }, app.adminToken));
  return { project, token: createApiToken.token as string };
}

async function runsOf(projectId: string): Promise<Array<{ id: string; name: string; status: string; parentRunId: string | null }>> {
  return app.dataSource.query(`SELECT id, name, status, parent_run_id AS "parentRunId" FROM run WHERE project_id = $1 ORDER BY name`, [projectId]);
}

const edgeCount = async (projectId: string) => Number((await app.dataSource.query(`SELECT count(*) FROM lineage_edge WHERE project_id = $1`, [projectId]))[0].count);

describe('POST /api/v1/lineage', () => {
  it('accepts or rejects each fixture event as the reference validator does', async () => {
    const verdicts = referenceVerdicts();
    expect(verdicts.size).toBe(9);
    for (const [file, valid] of verdicts) {
      const { project, token } = await seedIngestToken();
      const answer = await post(fixture(file), token);
      if (valid) {
        expect({ file, status: answer.status }).toEqual({ file, status: 200 });
        expect(answer.body.rejected).toBe(0);
      } else {
        expect({ file, status: answer.status }).toEqual({ file, status: 400 });
        expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
        expect(answer.body.errors[0].extensions.events.length).toBeGreaterThan(0);
        expect(await runsOf(project.id)).toEqual([]);
      }
    }
  });

  it('names the schema errors of an invalid event', async () => {
    const { token } = await seedIngestToken();
    const answer = await post(fixture('03-start-sourceCodeLocation-version-branch-tag-parent-root.json'), token);
    const [{ index, errors }] = answer.body.errors[0].extensions.events;
    expect(index).toBe(0);
    expect(errors).toEqual(expect.arrayContaining(["<root>: 'producer' is a required property", "<root>: 'schemaURL' is a required property"]));
  });

  it('records a COMPLETE event as a finished run with its inputs and parent', async () => {
    const { project, token } = await seedIngestToken();
    const answer = await post(fixture('01-complete-sourceCodeLocation-git-inputs-outputs.json'), token);
    expect(answer.status).toBe(200);
    const [event] = answer.body.events;
    expect(event.status).toBe('RECORDED');
    expect(event.skipped).toEqual([
      // Its sourceCodeLocation has a url but no version, so there is no commit to record.
      expect.stringMatching(/^sourceCodeLocation: no commit recorded/),
      // It writes the table it reads, described by the same facets: one data version, which cannot be its own output.
      expect.stringMatching(/^outputs\[0\] my-datasource-namespace\/instance.schema.table: recorded, but not as produced by this run: .*loop/),
    ]);

    const run = ok(await app.gql(`query($id: ID!) { run(id: $id) { status name experiment { name } inputs { role dataVersion { hashAlgorithm dataset { name } } } outputs { id } parent { name status } } }`, { id: event.runId }, token)).run;
    expect(run).toMatchObject({ status: 'FINISHED', name: 'myjob.mytask', parent: { name: 'myjob.mytask', status: 'RUNNING' } });
    expect(run.inputs.length).toBeGreaterThan(0);
    expect(run.inputs[0]).toMatchObject({ role: 'OTHER', dataVersion: { hashAlgorithm: 'sha256' } });
    expect(run.outputs).toEqual([]);
    expect((await runsOf(project.id)).length).toBe(2);
  });

  it('makes the commit from a sourceCodeLocation with a git sha, and START a RUNNING run', async () => {
    const { token } = await seedIngestToken();
    const event = fixture('03-start-sourceCodeLocation-version-branch-tag-parent-root.json');
    event.job.facets.sourceCodeLocation.version = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const answer = await post(event, token, '?lenient=true');
    expect(answer.status).toBe(200);
    const [result] = answer.body.events;
    expect(result.status).toBe('RECORDED');
    expect(result.errors).toEqual(expect.arrayContaining(["<root>: 'producer' is a required property"]));
    // The parent facet names a job but no run.
    expect(result.skipped).toEqual([expect.stringMatching(/^parent:/)]);
    const run = ok(await app.gql(`query($id: ID!) { run(id: $id) { status entrypoint commit { sha repository branch } } }`, { id: result.runId }, token)).run;
    expect(run).toEqual({ status: 'RUNNING', entrypoint: 'SELECT * FROM test', commit: { sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', repository: 'https://github.com/apache/spark', branch: 'branch' } });
  });

  it('rejects, even in lenient mode, what has no run to record, and takes the rest of the batch', async () => {
    const { token } = await seedIngestToken();
    const answer = await post(
      [fixture('07-complete-delta-dataset-version-facet-PARTIAL-expected.json'), fixture('09-facet-fragment-sourceCodeLocation.json'), fixture('05-complete-simple-2-inputs-1-output.json')],
      token,
      '?lenient=true',
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ recorded: 1, rejected: 2 });
    expect(answer.body.events.map((event: { status: string }) => event.status)).toEqual(['REJECTED', 'REJECTED', 'RECORDED']);
    expect(answer.body.events[0].errors).toContain('The event has no run.runId, so there is no run to record.');
  });

  it("identifies a dataset by its version facet, so each version is its own data version", async () => {
    const { token } = await seedIngestToken();
    const partial = fixture('07-complete-delta-dataset-version-facet-PARTIAL-expected.json');
    const event = (runId: string, datasetVersion: string) => ({
      ...partial,
      eventTime: '2024-01-01T00:00:00Z',
      producer: 'https://example.com/test',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId },
      outputs: [{ ...partial.outputs[0], facets: { ...partial.outputs[0].facets, version: { datasetVersion } } }],
    });
    const first = await post(event('0a3e2c56-3c1f-4d5b-9a7e-1f2d3c4b5a61', '2'), token, '?lenient=true');
    const second = await post(event('0a3e2c56-3c1f-4d5b-9a7e-1f2d3c4b5a62', '3'), token, '?lenient=true');
    const outputsOf = async (runId: string) => ok(await app.gql(`query($id: ID!) { run(id: $id) { outputs { id contentHash } } }`, { id: runId }, token)).run.outputs;
    const [v2] = await outputsOf(first.body.events[0].runId);
    const [v3] = await outputsOf(second.body.events[0].runId);
    expect(v2.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(v3.contentHash).not.toBe(v2.contentHash);
  });

  it('imports the dbt stream of 72 events as parent and child runs, and a replay changes nothing', async () => {
    const { project, token } = await seedIngestToken();
    const stream = fixture('08-dbt-run-event-stream-ARRAY-72-events.json');
    expect(stream).toHaveLength(72);
    const strict = await post(stream, token);
    expect(strict.status).toBe(400);

    const first = await post(stream, token, '?lenient=true');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rejected: 0 });
    expect(first.body.events).toHaveLength(72);
    const runs = await runsOf(project.id);
    // One DAG run, five dbt models, six SQL statements per model; every START has its COMPLETE.
    expect(runs).toHaveLength(36);
    expect(runs.every((run) => run.status === 'FINISHED')).toBe(true);
    const dag = runs.find((run) => run.name === 'dbt-run-jaffle_shop')!;
    expect(runs.filter((run) => run.parentRunId === dag.id)).toHaveLength(5);
    const customers = runs.find((run) => run.name === 'model.jaffle_shop.customers')!;
    expect(runs.filter((run) => run.parentRunId === customers.id).map((run) => run.name)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `model.jaffle_shop.customers.sql.${n}`));

    const head = ok(await app.gql(AUDIT_HEAD, { project: project.key }, app.adminToken)).auditHead;
    const edges = await edgeCount(project.id);
    const replay = await post(stream, token, '?lenient=true');
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ recorded: 0, unchanged: 72, rejected: 0 });
    expect(replay.body.events.map((event: { runId: string }) => event.runId)).toEqual(first.body.events.map((event: { runId: string }) => event.runId));
    expect(ok(await app.gql(AUDIT_HEAD, { project: project.key }, app.adminToken)).auditHead).toEqual(head);
    expect(await edgeCount(project.id)).toBe(edges);
    expect(await runsOf(project.id)).toEqual(runs);
  });

  it('links a dbt model run to the tables it read and wrote', async () => {
    const { token } = await seedIngestToken();
    const answer = await post(fixture('08-dbt-run-event-stream-ARRAY-72-events.json'), token, '?lenient=true');
    const stream = fixture('08-dbt-run-event-stream-ARRAY-72-events.json');
    const index = stream.findIndex((event: any) => event.eventType === 'COMPLETE' && event.job.name === 'model.jaffle_shop.customers');
    const run = ok(await app.gql(`query($id: ID!) { run(id: $id) { inputs { dataVersion { uri } } outputs { id } } }`, { id: answer.body.events[index].runId }, token)).run;
    expect(run.inputs.map((input: any) => input.dataVersion.uri).sort()).toEqual(stream[index].inputs.map((input: any) => `${input.namespace}/${input.name}`).sort());
    expect(run.outputs).toHaveLength(1);
  });

  it('takes the project from the query when the token may reach several, and checks the role', async () => {
    const { project } = await seedIngestToken();
    const unscoped = ok(await app.gql(CREATE_TOKEN, { input: { name: 'all projects' } }, app.adminToken)).createApiToken.token;
    const event = fixture('05-complete-simple-2-inputs-1-output.json');
    const unnamed = await post(event, unscoped);
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.errors[0].message).toMatch(/\?project=KEY/);
    expect((await post(event, unscoped, `?project=${project.key}`)).status).toBe(200);

    expect((await post(event, null)).status).toBe(401);
    const viewer = await seedUser(app, { project: project.key, role: 'VIEWER' });
    const denied = await post(event, viewer.token, `?project=${project.key}`);
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('answers malformed JSON with a JSON error', async () => {
    const { token } = await seedIngestToken();
    const response = await fetch(lineageUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"eventType": ' });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

import { finishRun, hex, registerVersion, seedCommit, seedDataVersion, seedProject, seedUser, startRun } from './factories';
import { ok, startTestApp, type TestApp } from './utils/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const LINEAGE = `query($id: ID!, $direction: LineageDirection!, $depth: Int, $limit: Int, $asOf: DateTime) {
  lineage(nodeId: $id, direction: $direction, depth: $depth, limit: $limit, asOf: $asOf) {
    truncated nodes { id kind label redacted depth } edges { from to relation role } } }`;

async function team() {
  const project = await seedProject(app);
  const user = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
  return { project, user, key: project.key, token: user.token };
}

/** raw -> (left, right) -> run (with a commit) -> model v1: every upstream node reached once. */
async function seedDiamond(key: string, token: string) {
  const raw = await seedDataVersion(app, token, key, { dataset: 'raw' });
  const left = await seedDataVersion(app, token, key, { dataset: 'left', derivedFrom: [raw.id] });
  const right = await seedDataVersion(app, token, key, { dataset: 'right', derivedFrom: [raw.id] });
  const commit = await seedCommit(app, token, key);
  const run = await startRun(app, token, key, { commitId: commit.id, inputs: [{ dataVersionId: left.id, role: 'TRAIN' }, { dataVersionId: right.id, role: 'VALIDATION' }] });
  await finishRun(app, token, run.id);
  const version = ok(await registerVersion(app, token, key, run.id)).registerModelVersion;
  return { raw, left, right, commit, run, version };
}

const sortById = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));

describe('lineage', () => {
  it('traces a diamond upstream with each node once, at its shortest depth, with the edges between them', async () => {
    const { key, token } = await team();
    const g = await seedDiamond(key, token);
    const { lineage } = ok(await app.gql(LINEAGE, { id: g.version.id, direction: 'UPSTREAM' }, token));
    expect(lineage.truncated).toBe(false);
    expect(sortById(lineage.nodes)).toEqual(
      sortById([
        { id: g.version.id, kind: 'ModelVersion', label: 'fraud v1', redacted: false, depth: 0 },
        { id: g.run.id, kind: 'Run', label: expect.stringMatching(/^run-/), redacted: false, depth: 1 },
        { id: g.commit.id, kind: 'CodeCommit', label: `github.com/acme/fraud@${g.commit.sha.slice(0, 7)}`, redacted: false, depth: 2 },
        { id: g.left.id, kind: 'DataVersion', label: `left@${g.left.contentHash.slice(0, 8)}`, redacted: false, depth: 2 },
        { id: g.right.id, kind: 'DataVersion', label: `right@${g.right.contentHash.slice(0, 8)}`, redacted: false, depth: 2 },
        { id: g.raw.id, kind: 'DataVersion', label: `raw@${g.raw.contentHash.slice(0, 8)}`, redacted: false, depth: 3 },
      ]),
    );
    expect(lineage.edges).toHaveLength(6);
    expect(lineage.edges).toEqual(
      expect.arrayContaining([
        { from: g.raw.id, to: g.left.id, relation: 'DERIVED_FROM', role: null },
        { from: g.right.id, to: g.run.id, relation: 'CONSUMED', role: 'VALIDATION' },
        { from: g.commit.id, to: g.run.id, relation: 'BUILT_FROM', role: null },
        { from: g.run.id, to: g.version.id, relation: 'TRAINED', role: null },
      ]),
    );
  });

  it('walks downstream and both ways', async () => {
    const { key, token } = await team();
    const g = await seedDiamond(key, token);
    const down = ok(await app.gql(LINEAGE, { id: g.left.id, direction: 'DOWNSTREAM' }, token)).lineage;
    expect(down.nodes.map((node: { id: string }) => node.id).sort()).toEqual([g.left.id, g.run.id, g.version.id].sort());
    const both = ok(await app.gql(LINEAGE, { id: g.left.id, direction: 'BOTH' }, token)).lineage;
    expect(both.nodes.map((node: { id: string }) => node.id).sort()).toEqual([g.raw.id, g.left.id, g.run.id, g.version.id].sort());
  });

  it('cuts a deep chain at the depth bound and at the node limit, and says so', async () => {
    const { key, token } = await team();
    let previous = await seedDataVersion(app, token, key, { dataset: 'chain' });
    const chain = [previous];
    for (let index = 0; index < 12; index += 1) {
      previous = await seedDataVersion(app, token, key, { dataset: 'chain', derivedFrom: [previous.id] });
      chain.push(previous);
    }
    const tip = chain.at(-1).id;
    const full = ok(await app.gql(LINEAGE, { id: tip, direction: 'UPSTREAM' }, token)).lineage;
    expect(full).toMatchObject({ truncated: false });
    expect(full.nodes).toHaveLength(13);
    const shallow = ok(await app.gql(LINEAGE, { id: tip, direction: 'UPSTREAM', depth: 4 }, token)).lineage;
    expect(shallow.truncated).toBe(true);
    expect(shallow.nodes.map((node: { depth: number }) => node.depth)).toEqual([0, 1, 2, 3, 4]);
    const exact = ok(await app.gql(LINEAGE, { id: tip, direction: 'UPSTREAM', depth: 12 }, token)).lineage;
    expect(exact.truncated).toBe(false);
    const limited = ok(await app.gql(LINEAGE, { id: tip, direction: 'UPSTREAM', limit: 3 }, token)).lineage;
    expect(limited).toMatchObject({ truncated: true });
    expect(limited.nodes.map((node: { id: string }) => node.id)).toEqual(chain.slice(-3).reverse().map((node) => node.id));
    expect(limited.edges).toHaveLength(2);
    await expect(app.gql(LINEAGE, { id: tip, direction: 'UPSTREAM', depth: 101 }, token)).resolves.toFailWith('BAD_USER_INPUT', /depth must be between 0 and 100/);
    await expect(app.gql(LINEAGE, { id: tip, direction: 'UPSTREAM', limit: 10_001 }, token)).resolves.toFailWith('BAD_USER_INPUT', /limit must be between 1 and 10000/);
  });

  it('answers as of a past moment, ignoring what was recorded after it', async () => {
    const { key, token } = await team();
    const raw = await seedDataVersion(app, token, key, { dataset: 'raw' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const run = await startRun(app, token, key, { inputs: [{ dataVersionId: raw.id, role: 'TRAIN' }] });
    const now = ok(await app.gql(LINEAGE, { id: raw.id, direction: 'DOWNSTREAM' }, token)).lineage;
    expect(now.nodes.map((node: { id: string }) => node.id)).toEqual([raw.id, run.id]);
    const then = ok(await app.gql(LINEAGE, { id: raw.id, direction: 'DOWNSTREAM', asOf: before }, token)).lineage;
    expect(then).toEqual({ truncated: false, nodes: [expect.objectContaining({ id: raw.id })], edges: [] });
    await expect(app.gql(LINEAGE, { id: run.id, direction: 'UPSTREAM', asOf: before }, token)).resolves.toFailWith('NOT_FOUND', /after asOf/);
  });

  it('redacts nodes of projects the viewer cannot read, keeping the edges around them', async () => {
    const upstream = await team();
    const downstream = await seedProject(app);
    ok(await app.gql(`mutation($input: AddProjectMemberInput!) { addProjectMember(input: $input) { role } }`, { input: { project: downstream.key, email: upstream.user.email, role: 'CONTRIBUTOR' } }, app.adminToken));
    const reader = await seedUser(app, { project: downstream.key, role: 'VIEWER' });
    const shared = await seedDataVersion(app, upstream.token, upstream.key, { dataset: 'shared' });
    const run = await startRun(app, upstream.token, downstream.key, { inputs: [{ dataVersionId: shared.id, role: 'TRAIN' }] });
    await finishRun(app, upstream.token, run.id);
    const version = ok(await registerVersion(app, upstream.token, downstream.key, run.id)).registerModelVersion;

    const query = `query($id: ID!) { lineage(nodeId: $id, direction: UPSTREAM) { nodes { id kind label redacted node { id } } edges { from to relation } } }`;
    const { lineage } = ok(await app.gql(query, { id: version.id }, reader.token));
    expect(lineage.nodes).toContainEqual({ id: shared.id, kind: 'DataVersion', label: 'hidden', redacted: true, node: null });
    expect(lineage.nodes).toContainEqual({ id: run.id, kind: 'Run', label: expect.any(String), redacted: false, node: { id: run.id } });
    expect(lineage.edges).toContainEqual({ from: shared.id, to: run.id, relation: 'CONSUMED' });
    expect(ok(await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: shared.id }, reader.token)).node).toBeNull();
    await expect(app.gql(LINEAGE, { id: shared.id, direction: 'DOWNSTREAM' }, reader.token)).resolves.toFailWith('NOT_FOUND');
  });

  it('selects typed fields of every node without a query per node', async () => {
    const query = `query($id: ID!) { lineage(nodeId: $id, direction: UPSTREAM) { nodes { id node {
      ... on Run { name status commit { sha } params { key } }
      ... on DataVersion { contentHash dataset { name } }
      ... on CodeCommit { sha }
      ... on ModelVersion { version model { name } } } } } }`;
    const small = await team();
    const smallGraph = await seedDiamond(small.key, small.token);
    const large = await team();
    const inputs = [];
    for (let index = 0; index < 15; index += 1) inputs.push(await seedDataVersion(app, large.token, large.key, { dataset: `d${index}` }));
    const commit = await seedCommit(app, large.token, large.key);
    const run = await startRun(app, large.token, large.key, { commitId: commit.id, inputs: inputs.map((data) => ({ dataVersionId: data.id, role: 'TRAIN' })) });
    await finishRun(app, large.token, run.id);
    const version = ok(await registerVersion(app, large.token, large.key, run.id)).registerModelVersion;

    const smallRead = await app.gql(query, { id: smallGraph.version.id }, small.token);
    const largeRead = await app.gql(query, { id: version.id }, large.token);
    expect(ok(largeRead).lineage.nodes).toHaveLength(18);
    expect(ok(largeRead).lineage.nodes.find((node: { id: string }) => node.id === run.id).node).toMatchObject({ status: 'FINISHED', commit: { sha: commit.sha } });
    expect(largeRead.statements).toBe(smallRead.statements);
  });
});

describe('impact', () => {
  const IMPACT = `query($id: ID!, $first: Int, $after: String, $maxNodes: Int) { impact(nodeId: $id, first: $first, after: $after, maxNodes: $maxNodes) {
    totalCount hiddenCount reachedNodes complete incompleteReason countsByStage { stage count }
    pageInfo { hasNextPage endCursor } modelVersions { id version stage model { name } } } }`;

  it('lists every model version a data version reached, PRODUCTION first, page by page', async () => {
    const { key, token } = await team();
    const hub = await seedDataVersion(app, token, key, { dataset: 'hub' });
    const derived = await seedDataVersion(app, token, key, { dataset: 'derived', derivedFrom: [hub.id] });
    const versions = [];
    for (const [index, input] of [hub, hub, derived, derived].entries()) {
      const run = await startRun(app, token, key, { inputs: [{ dataVersionId: input.id, role: 'TRAIN' }] });
      await finishRun(app, token, run.id);
      versions.push(ok(await registerVersion(app, token, key, run.id, { model: `model-${index % 2}` })).registerModelVersion);
    }
    await app.dataSource.query(`UPDATE model_version SET stage = 'PRODUCTION' WHERE id = $1`, [versions[2].id]);
    await app.dataSource.query(`UPDATE model_version SET stage = 'STAGING' WHERE id = $1`, [versions[1].id]);

    const first = ok(await app.gql(IMPACT, { id: hub.id, first: 2 }, token)).impact;
    expect(first).toMatchObject({ totalCount: 4, hiddenCount: 0, complete: true, incompleteReason: null, reachedNodes: 10 });
    expect(first.countsByStage).toEqual([
      { stage: 'NONE', count: 2 },
      { stage: 'STAGING', count: 1 },
      { stage: 'PRODUCTION', count: 1 },
      { stage: 'ARCHIVED', count: 0 },
    ]);
    expect(first.modelVersions.map((version: { id: string }) => version.id)).toEqual([versions[2].id, versions[1].id]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = ok(await app.gql(IMPACT, { id: hub.id, first: 2, after: first.pageInfo.endCursor }, token)).impact;
    expect(second.modelVersions.map((version: { stage: string }) => version.stage)).toEqual(['NONE', 'NONE']);
    expect(second.pageInfo.hasNextPage).toBe(false);

    const leaf = ok(await app.gql(IMPACT, { id: versions[0].id }, token)).impact;
    expect(leaf).toMatchObject({ totalCount: 0, modelVersions: [], complete: true, reachedNodes: 1 });
  });

  it('says when a node cap cut the walk, and counts versions the viewer cannot see', async () => {
    const upstream = await team();
    const other = await seedProject(app);
    ok(await app.gql(`mutation($input: AddProjectMemberInput!) { addProjectMember(input: $input) { role } }`, { input: { project: other.key, email: upstream.user.email, role: 'CONTRIBUTOR' } }, app.adminToken));
    const data = await seedDataVersion(app, upstream.token, upstream.key);
    for (const project of [upstream.key, other.key]) {
      const run = await startRun(app, upstream.token, project, { inputs: [{ dataVersionId: data.id, role: 'TRAIN' }] });
      await finishRun(app, upstream.token, run.id);
      ok(await registerVersion(app, upstream.token, project, run.id));
    }
    const onlyUpstream = await seedUser(app, { project: upstream.key, role: 'VIEWER' });
    expect(ok(await app.gql(IMPACT, { id: data.id }, onlyUpstream.token)).impact).toMatchObject({ totalCount: 1, hiddenCount: 1, complete: true });
    const cut = ok(await app.gql(IMPACT, { id: data.id, maxNodes: 2 }, upstream.token)).impact;
    expect(cut).toMatchObject({ complete: false, reachedNodes: 2, incompleteReason: expect.stringMatching(/stopped after 2 nodes/) });
  });
});

describe('provenance', () => {
  const PROVENANCE = `query($id: ID!) { provenance(modelVersionId: $id) {
    complete missing entrypoint environment sourceRun { id } runs { id } baseModelVersions { id }
    commits { sha } dataVersions { contentHash hashAlgorithm } inputs { role run { id } dataVersion { id } } } }`;

  it('collects everything upstream, through base models and derived data, and is complete when nothing lacks', async () => {
    const { key, token } = await team();
    const base = await seedDiamond(key, token);
    const commit = await seedCommit(app, token, key);
    const tuning = await seedDataVersion(app, token, key, { dataset: 'tuning', hashAlgorithm: 'sha256', contentHash: hex('tuning', 'sha256') });
    const run = await startRun(app, token, key, {
      commitId: commit.id,
      entrypoint: 'python finetune.py',
      environment: { cuda: '12.4' },
      baseModelVersionIds: [base.version.id],
      inputs: [{ dataVersionId: tuning.id, role: 'TRAIN' }],
    });
    await finishRun(app, token, run.id);
    const tuned = ok(await registerVersion(app, token, key, run.id, { model: 'tuned' })).registerModelVersion;

    const { provenance } = ok(await app.gql(PROVENANCE, { id: tuned.id }, token));
    expect(provenance).toMatchObject({ complete: true, missing: [], entrypoint: 'python finetune.py', environment: { cuda: '12.4' }, sourceRun: { id: run.id } });
    expect(provenance.runs.map((r: { id: string }) => r.id)).toEqual([run.id, base.run.id]);
    expect(provenance.baseModelVersions).toEqual([{ id: base.version.id }]);
    expect(provenance.commits.map((c: { sha: string }) => c.sha).sort()).toEqual([commit.sha, base.commit.sha].sort());
    expect(provenance.dataVersions).toHaveLength(4);
    expect(provenance.dataVersions).toContainEqual({ contentHash: hex('tuning', 'sha256'), hashAlgorithm: 'sha256' });
    expect(provenance.inputs).toContainEqual({ role: 'VALIDATION', run: { id: base.run.id }, dataVersion: { id: base.right.id } });
  });

  it('names what is missing in plain words', async () => {
    const { key, token } = await team();
    const dirty = await seedCommit(app, token, key, { dirty: true });
    const orphanRun = await startRun(app, token, key);
    const { registerDataVersion: unsourced } = ok(
      await app.gql(`mutation($input: RegisterDataVersionInput!) { registerDataVersion(input: $input) { id } }`, { input: { project: key, dataset: 'made', contentHash: hex('made', 'md5'), producedByRunId: orphanRun.id } }, token),
    );
    await finishRun(app, token, orphanRun.id);
    const run = await startRun(app, token, key, { commitId: dirty.id, inputs: [{ dataVersionId: unsourced.id, role: 'TEST' }] });
    await finishRun(app, token, run.id);
    const bare = await startRun(app, token, key);
    await finishRun(app, token, bare.id);
    const version = ok(await registerVersion(app, token, key, run.id)).registerModelVersion;
    const bareVersion = ok(await registerVersion(app, token, key, bare.id)).registerModelVersion;

    const { provenance } = ok(await app.gql(PROVENANCE, { id: version.id }, token));
    expect(provenance.complete).toBe(false);
    expect(provenance.missing).toEqual([
      expect.stringMatching(new RegExp(`^run ".+" \\(${orphanRun.id}\\) has no commit$`)),
      `commit ${dirty.sha.slice(0, 12)} of github.com/acme/fraud was dirty: the code that ran is not exactly that commit`,
      `data version ${hex('made', 'md5')} (${unsourced.id}) derived from unrecorded data: its producing run ${orphanRun.id} recorded no inputs`,
    ]);
    const bareProvenance = ok(await app.gql(PROVENANCE, { id: bareVersion.id }, token)).provenance;
    expect(bareProvenance.missing).toEqual([expect.stringMatching(/has no commit$/), expect.stringMatching(/^no training data recorded for run/)]);
  });
});

describe('explainPath', () => {
  const PATH = `query($from: ID!, $to: ID!) { explainPath(fromId: $from, toId: $to) { nodes { id depth } edges { from to relation } } }`;

  it('finds one shortest path either way round, or none', async () => {
    const { key, token } = await team();
    const g = await seedDiamond(key, token);
    const forward = ok(await app.gql(PATH, { from: g.raw.id, to: g.version.id }, token)).explainPath;
    expect(forward.nodes).toHaveLength(4);
    expect(forward.nodes[0]).toEqual({ id: g.raw.id, depth: 0 });
    expect(forward.nodes[3]).toEqual({ id: g.version.id, depth: 3 });
    expect(forward.edges.map((edge: { relation: string }) => edge.relation)).toEqual(['DERIVED_FROM', 'CONSUMED', 'TRAINED']);
    const backward = ok(await app.gql(PATH, { from: g.version.id, to: g.commit.id }, token)).explainPath;
    expect(backward.edges).toEqual([
      { from: g.commit.id, to: g.run.id, relation: 'BUILT_FROM' },
      { from: g.run.id, to: g.version.id, relation: 'TRAINED' },
    ]);
    expect(ok(await app.gql(PATH, { from: g.left.id, to: g.right.id }, token)).explainPath).toBeNull();
  });
});

describe('findNodes', () => {
  it('finds commits and data by prefix, runs and models by name, only in readable projects', async () => {
    const { key, token } = await team();
    const g = await seedDiamond(key, token);
    const find = async (text: string, as = token) => ok(await app.gql(`query($p: String!, $t: String!) { findNodes(project: $p, text: $t) { id kind label } }`, { p: key, t: text }, as)).findNodes;
    expect(await find(g.commit.sha.slice(0, 8))).toEqual([{ id: g.commit.id, kind: 'CodeCommit', label: `github.com/acme/fraud@${g.commit.sha.slice(0, 7)}` }]);
    expect(await find(g.raw.contentHash.slice(0, 6).toUpperCase())).toContainEqual({ id: g.raw.id, kind: 'DataVersion', label: `raw@${g.raw.contentHash.slice(0, 8)}` });
    expect(await find('fraud')).toContainEqual({ id: g.version.id, kind: 'ModelVersion', label: 'fraud v1' });
    expect(await find(g.run.id)).toEqual([expect.objectContaining({ id: g.run.id, kind: 'Run' })]);
    await expect(app.gql(`query($p: String!) { findNodes(project: $p, text: "ab") { id } }`, { p: key }, (await seedUser(app)).token)).resolves.toFailWith('NOT_FOUND');
  });
});

describe('loops', () => {
  it('refuses a derivation that would make a data version its own ancestor, naming the loop', async () => {
    const { key, token } = await team();
    const a = await seedDataVersion(app, token, key, { dataset: 'a' });
    const b = await seedDataVersion(app, token, key, { dataset: 'b', derivedFrom: [a.id] });
    const again = await app.gql(`mutation($input: RegisterDataVersionInput!) { registerDataVersion(input: $input) { id } }`, {
      input: { project: key, dataset: 'a', contentHash: a.contentHash, derivedFrom: [b.id] },
    }, token);
    expect(again).toFailWith('BAD_USER_INPUT', new RegExp(`Linking ${b.id} into ${a.id} would close a loop`));
    expect(again.errors?.[0].extensions?.loop).toEqual([a.id, b.id]);
  });
});

import { finishRun, registerVersion, type SeededUser, seedCommit, seedDataVersion, seedProject, seedUser, startRun } from './factories';
import { ok, startTestApp, type TestApp } from './utils/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const REQUEST = `mutation($input: RequestTransitionInput!) { requestTransition(input: $input) { id status fromStage toStage missing gates { name passed actual } } }`;
const REVIEW = `mutation($input: ReviewTransitionInput!) { reviewTransition(input: $input) { id status missing approvals { reviewer { email } comment } } }`;
const POLICY = `mutation($input: SetPromotionPolicyInput!) { setPromotionPolicy(input: $input) { id toStage requiredApprovals metricGates { metric op threshold } requireCompleteLineage model { name } } }`;

interface Team {
  key: string;
  scientist: SeededUser;
  requester: SeededUser;
  reviewers: SeededUser[];
  owner: SeededUser;
}

async function seedTeam(reviewerCount = 2): Promise<Team> {
  const { key } = await seedProject(app);
  const reviewers = [];
  for (let index = 0; index < reviewerCount; index += 1) reviewers.push(await seedUser(app, { project: key, role: 'REVIEWER' }));
  return {
    key,
    scientist: await seedUser(app, { project: key, role: 'REVIEWER' }),
    requester: await seedUser(app, { project: key, role: 'REVIEWER' }),
    reviewers,
    owner: await seedUser(app, { project: key, role: 'OWNER' }),
  };
}

/** A version trained by the scientist's run, with a clean commit, training data and a val_auc metric. */
async function seedVersion(team: Team, model = 'fraud', auc = 0.93) {
  const commit = await seedCommit(app, team.scientist.token, team.key);
  const data = await seedDataVersion(app, team.scientist.token, team.key);
  const run = await startRun(app, team.scientist.token, team.key, { commitId: commit.id, inputs: [{ dataVersionId: data.id, role: 'TRAIN' }] });
  ok(await app.gql(`mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }`, { input: { runId: run.id, metrics: [{ key: 'val_auc', value: auc, step: 1 }] } }, team.scientist.token));
  await finishRun(app, team.scientist.token, run.id);
  return ok(await registerVersion(app, team.scientist.token, team.key, run.id, { model })).registerModelVersion as { id: string; version: number };
}

const request = (team: Team, versionId: string, toStage: string, extra: Record<string, unknown> = {}, user = team.requester) =>
  app.gql(REQUEST, { input: { modelVersionId: versionId, toStage, ...extra } }, user.token);
const review = (user: SeededUser, requestId: string, decision = 'APPROVE', extra: Record<string, unknown> = {}) =>
  app.gql(REVIEW, { input: { requestId, decision, comment: `${decision.toLowerCase()}d`, ...extra } }, user.token);
const stageOf = async (versionId: string) => (await app.dataSource.query(`SELECT stage FROM model_version WHERE id = $1`, [versionId]))[0].stage;

async function staged(team: Team, model = 'fraud', auc = 0.93) {
  const version = await seedVersion(team, model, auc);
  expect(ok(await request(team, version.id, 'STAGING')).requestTransition.status).toBe('APPLIED');
  return version;
}

describe('stage transitions', () => {
  it('applies a STAGING request at once: no approvals needed by default', async () => {
    const team = await seedTeam();
    const version = await seedVersion(team);
    const { requestTransition } = ok(await request(team, version.id, 'STAGING', { comment: 'ready for shadow traffic' }));
    expect(requestTransition).toMatchObject({ status: 'APPLIED', fromStage: 'NONE', toStage: 'STAGING', missing: [], gates: [{ name: 'approvals', passed: true, actual: '0 of 0' }] });
    expect(await stageOf(version.id)).toBe('STAGING');
  });

  it('needs one approval for PRODUCTION, from neither the requester nor the author of the source run', async () => {
    const team = await seedTeam();
    const previous = await staged(team);
    const pending = ok(await request(team, previous.id, 'PRODUCTION')).requestTransition;
    ok(await review(team.reviewers[1], pending.id));
    const version = await staged(team);
    const { requestTransition } = ok(await request(team, version.id, 'PRODUCTION', { comment: 'beats v1 on val_auc' }));
    expect(requestTransition).toMatchObject({ status: 'PENDING', missing: ['approvals (0 of 1)'] });

    const why = async (user: SeededUser) =>
      ok(await app.gql(`query($p: String!) { transitionRequests(project: $p, status: PENDING) { edges { node { id viewerCannotReviewBecause } } } }`, { p: team.key }, user.token))
        .transitionRequests.edges.find((edge: { node: { id: string } }) => edge.node.id === requestTransition.id).node.viewerCannotReviewBecause;
    expect(await why(team.requester)).toBe('you requested this');
    expect(await why(team.scientist)).toBe('you trained this version');
    expect(await why(team.reviewers[0])).toBeNull();
    await expect(review(team.requester, requestTransition.id)).resolves.toFailWith('FORBIDDEN', /you requested this transition/);
    await expect(review(team.scientist, requestTransition.id)).resolves.toFailWith('FORBIDDEN', /you started the run that trained this version/);
    const viewer = await seedUser(app, { project: team.key, role: 'CONTRIBUTOR' });
    await expect(review(viewer, requestTransition.id)).resolves.toFailWith('FORBIDDEN', /needs the REVIEWER role/);
    expect(await stageOf(version.id)).toBe('STAGING');

    const approved = ok(await review(team.reviewers[0], requestTransition.id)).reviewTransition;
    expect(approved).toMatchObject({ status: 'APPLIED', approvals: [{ reviewer: { email: team.reviewers[0].email }, comment: 'approved' }] });
    expect(await stageOf(version.id)).toBe('PRODUCTION');
    expect(await stageOf(previous.id)).toBe('ARCHIVED');

    const history = ok(
      await app.gql(
        `query($id: ID!) { modelVersion(id: $id) { transitions { fromStage toStage reason changedBy { email } request { comment requestedBy { email } approvals { reviewer { email } } } } } }`,
        { id: version.id },
        team.requester.token,
      ),
    ).modelVersion.transitions;
    expect(history).toEqual([
      { fromStage: 'NONE', toStage: 'STAGING', reason: expect.stringMatching(/^transition request/), changedBy: { email: team.requester.email }, request: { comment: null, requestedBy: { email: team.requester.email }, approvals: [] } },
      {
        fromStage: 'STAGING',
        toStage: 'PRODUCTION',
        reason: expect.stringMatching(/^transition request/),
        changedBy: { email: team.reviewers[0].email },
        request: { comment: 'beats v1 on val_auc', requestedBy: { email: team.requester.email }, approvals: [{ reviewer: { email: team.reviewers[0].email } }] },
      },
    ]);
    const archived = ok(await app.gql(`query($id: ID!) { modelVersion(id: $id) { transitions { toStage reason request { id } } } }`, { id: previous.id }, team.requester.token));
    expect(archived.modelVersion.transitions.at(-1)).toEqual({ toStage: 'ARCHIVED', reason: `replaced in PRODUCTION by version ${version.version}`, request: null });
  });

  it('refuses moves outside the lifecycle and a second pending request', async () => {
    const team = await seedTeam();
    const version = await seedVersion(team);
    await expect(request(team, version.id, 'PRODUCTION')).resolves.toFailWith('BAD_USER_INPUT', /is in NONE, which can move to STAGING only, not PRODUCTION/);
    await expect(request(team, version.id, 'ARCHIVED')).resolves.toFailWith('BAD_USER_INPUT');
    const stagedVersion = await staged(team, 'other');
    ok(await request(team, stagedVersion.id, 'PRODUCTION'));
    await expect(request(team, stagedVersion.id, 'PRODUCTION')).resolves.toFailWith('CONFLICT', /already has a PENDING request/);
  });

  it('lets any reviewer reject, after which nobody can review it', async () => {
    const team = await seedTeam();
    const version = await staged(team);
    const pending = ok(await request(team, version.id, 'PRODUCTION')).requestTransition;
    expect(ok(await review(team.reviewers[0], pending.id, 'REJECT')).reviewTransition.status).toBe('REJECTED');
    await expect(review(team.reviewers[1], pending.id)).resolves.toFailWith('CONFLICT', /is REJECTED; only a PENDING request can be reviewed/);
    expect(await stageOf(version.id)).toBe('STAGING');
    expect(ok(await request(team, version.id, 'PRODUCTION')).requestTransition.status).toBe('PENDING');
  });

  it('restores an ARCHIVED version to STAGING, and archives from PRODUCTION', async () => {
    const team = await seedTeam();
    const version = await staged(team);
    ok(await review(team.reviewers[0], ok(await request(team, version.id, 'PRODUCTION')).requestTransition.id));
    expect(ok(await request(team, version.id, 'ARCHIVED')).requestTransition.status).toBe('APPLIED');
    expect(ok(await request(team, version.id, 'STAGING')).requestTransition.status).toBe('APPLIED');
    expect(await stageOf(version.id)).toBe('STAGING');
  });

  it('lets the requester or an OWNER cancel, nobody else', async () => {
    const team = await seedTeam();
    const version = await staged(team);
    const first = ok(await request(team, version.id, 'PRODUCTION')).requestTransition;
    const cancel = `mutation($id: ID!) { cancelTransition(requestId: $id) { status } }`;
    await expect(app.gql(cancel, { id: first.id }, team.reviewers[0].token)).resolves.toFailWith('FORBIDDEN', /requester or a project OWNER/);
    expect(ok(await app.gql(cancel, { id: first.id }, team.requester.token)).cancelTransition.status).toBe('CANCELLED');
    const second = ok(await request(team, version.id, 'PRODUCTION')).requestTransition;
    expect(ok(await app.gql(cancel, { id: second.id }, team.owner.token)).cancelTransition.status).toBe('CANCELLED');
    await expect(app.gql(cancel, { id: second.id }, team.owner.token)).resolves.toFailWith('CONFLICT');
  });
});

describe('policies and gates', () => {
  it('keeps a request PENDING until every gate passes, showing what is missing, and applies it when retried', async () => {
    const team = await seedTeam();
    await expect(app.gql(POLICY, { input: { project: team.key, toStage: 'PRODUCTION', requiredApprovals: 2 } }, team.reviewers[0].token)).resolves.toFailWith('FORBIDDEN', /OWNER/);
    const policy = ok(
      await app.gql(POLICY, { input: { project: team.key, toStage: 'PRODUCTION', requiredApprovals: 2, metricGates: [{ metric: 'val_auc', op: 'GTE', threshold: 0.95 }], requireCompleteLineage: true } }, team.owner.token),
    ).setPromotionPolicy;
    expect(policy).toMatchObject({ requiredApprovals: 2, model: null, metricGates: [{ metric: 'val_auc', op: 'GTE', threshold: 0.95 }] });

    const version = await staged(team, 'fraud', 0.93);
    const pending = ok(await request(team, version.id, 'PRODUCTION')).requestTransition;
    expect(pending.gates).toEqual([
      { name: 'approvals', passed: false, actual: '0 of 2' },
      { name: 'val_auc >= 0.95', passed: false, actual: '0.93' },
      { name: 'complete lineage', passed: true, actual: expect.stringMatching(/^commit [0-9a-f]{12}, 1 data input/) },
    ]);
    ok(await review(team.reviewers[0], pending.id));
    await expect(review(team.reviewers[0], pending.id)).resolves.toFailWith('FORBIDDEN', /One review per reviewer/);
    const second = ok(await review(team.reviewers[1], pending.id)).reviewTransition;
    expect(second).toMatchObject({ status: 'PENDING', missing: ['val_auc >= 0.95 (0.93)'] });

    const apply = `mutation($id: ID!) { applyTransition(requestId: $id) { status missing } }`;
    await expect(app.gql(apply, { id: pending.id }, team.requester.token)).resolves.toFailWith('PRECONDITION_FAILED', /unmet: val_auc >= 0.95 \(0.93\)/);
    // A model's own policy wins over the project default.
    ok(await app.gql(POLICY, { input: { project: team.key, model: 'fraud', toStage: 'PRODUCTION', requiredApprovals: 2, metricGates: [{ metric: 'val_auc', op: 'GT', threshold: 0.9 }] } }, team.owner.token));
    expect(ok(await app.gql(apply, { id: pending.id }, team.requester.token)).applyTransition).toEqual({ status: 'APPLIED', missing: [] });
    const policies = ok(await app.gql(`query($p: String!) { promotionPolicies(project: $p) { model { name } requiredApprovals } }`, { p: team.key }, team.requester.token)).promotionPolicies;
    expect(policies).toHaveLength(2);
  });

  it('fails the lineage gate for a dirty commit', async () => {
    const team = await seedTeam();
    ok(await app.gql(POLICY, { input: { project: team.key, toStage: 'STAGING', requiredApprovals: 0, requireCompleteLineage: true } }, team.owner.token));
    const commit = await seedCommit(app, team.scientist.token, team.key, { dirty: true });
    const run = await startRun(app, team.scientist.token, team.key, { commitId: commit.id });
    await finishRun(app, team.scientist.token, run.id);
    const version = ok(await registerVersion(app, team.scientist.token, team.key, run.id)).registerModelVersion;
    const pending = ok(await request(team, version.id, 'STAGING')).requestTransition;
    expect(pending).toMatchObject({ status: 'PENDING', missing: ['complete lineage (dirty commit, no input data)'] });
  });
});

describe('idempotent governance', () => {
  it('replays a request and a review with the same key, and refuses the key for other inputs', async () => {
    const team = await seedTeam();
    const version = await staged(team);
    const input = { idempotencyKey: 'promote-1', comment: 'go' };
    const first = ok(await request(team, version.id, 'PRODUCTION', input)).requestTransition;
    const replay = ok(await request(team, version.id, 'PRODUCTION', input)).requestTransition;
    expect(replay.id).toBe(first.id);
    await expect(request(team, version.id, 'PRODUCTION', { ...input, comment: 'different' })).resolves.toFailWith('BAD_USER_INPUT', /already used/);

    ok(await app.gql(POLICY, { input: { project: team.key, toStage: 'PRODUCTION', requiredApprovals: 2 } }, team.owner.token));
    ok(await review(team.reviewers[0], first.id, 'APPROVE', { idempotencyKey: 'review-1' }));
    const again = ok(await review(team.reviewers[0], first.id, 'APPROVE', { idempotencyKey: 'review-1' })).reviewTransition;
    expect(again.approvals).toHaveLength(1);
    await expect(review(team.reviewers[0], first.id, 'REJECT', { idempotencyKey: 'review-1' })).resolves.toFailWith('BAD_USER_INPUT');
    const events = await app.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'transition.approved' AND entity_id = $1`, [first.id]);
    expect(events[0].n).toBe(1);
  });
});

describe('aliases', () => {
  it('moves an alias in one audited step and answers what it named, or what was in a stage, at a past time', async () => {
    const team = await seedTeam();
    const v1 = await staged(team);
    const v2 = await seedVersion(team);
    const setAlias = `mutation($input: SetModelAliasInput!) { setModelAlias(input: $input) { version aliases } }`;
    expect(ok(await app.gql(setAlias, { input: { modelVersionId: v1.id, alias: 'champion' } }, team.requester.token)).setModelAlias).toEqual({ version: v1.version, aliases: ['champion'] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    ok(await app.gql(setAlias, { input: { modelVersionId: v2.id, alias: 'champion' } }, team.requester.token));
    await expect(app.gql(setAlias, { input: { modelVersionId: v2.id, alias: 'Champion!' } }, team.requester.token)).resolves.toFailWith('BAD_USER_INPUT', /alias must be/);

    const at = `query($p: String!, $at: DateTime!, $now: DateTime!) { registeredModel(project: $p, name: "fraud") {
      aliases { alias modelVersion { version } }
      thenChampion: versionAt(at: $at, alias: "champion") { version }
      nowChampion: versionAt(at: $now, alias: "champion") { version }
      thenStaging: versionAt(at: $at, stage: STAGING) { version }
      thenNone: versionAt(at: $at, stage: NONE) { version } } }`;
    const nowIso = new Date().toISOString();
    const model = ok(await app.gql(at, { p: team.key, at: between, now: nowIso }, team.requester.token)).registeredModel;
    expect(model).toEqual({
      aliases: [{ alias: 'champion', modelVersion: { version: v2.version } }],
      thenChampion: { version: v1.version },
      nowChampion: { version: v2.version },
      thenStaging: { version: v1.version },
      thenNone: { version: v2.version },
    });
    const moves = await app.dataSource.query(`SELECT action, before, after FROM audit_event WHERE action LIKE 'alias.%' AND entity_id LIKE $1 ORDER BY id`, [`%:champion`]);
    expect(moves.map((move: { after: { fromModelVersionId: string | null } }) => move.after.fromModelVersionId)).toEqual([null, v1.id]);

    ok(await app.gql(`mutation($p: String!) { removeModelAlias(input: { project: $p, model: "fraud", alias: "champion" }) }`, { p: team.key }, team.requester.token));
    expect(ok(await app.gql(`query($id: ID!) { modelVersion(id: $id) { aliases } }`, { id: v2.id }, team.requester.token)).modelVersion.aliases).toEqual([]);
  });
});

describe('concurrent promotions', () => {
  it('keeps exactly one PRODUCTION version while 20 approvals race, and every loser gets CONFLICT', async () => {
    const team = await seedTeam(20);
    const versions = [];
    for (let index = 0; index < 20; index += 1) versions.push(await staged(team, 'race'));
    const [{ modelId }] = await app.dataSource.query(`SELECT model_id AS "modelId" FROM model_version WHERE id = $1`, [versions[0].id]);
    const productionCount = async () => (await app.dataSource.query(`SELECT count(*)::int AS n FROM model_version WHERE model_id = $1 AND stage = 'PRODUCTION'`, [modelId]))[0].n;

    for (let round = 0; round < 3; round += 1) {
      const pendings = [];
      for (const version of versions) {
        if ((await stageOf(version.id)) === 'PRODUCTION') continue;
        if ((await stageOf(version.id)) === 'ARCHIVED') ok(await request(team, version.id, 'STAGING'));
        pendings.push(ok(await request(team, version.id, 'PRODUCTION')).requestTransition.id);
      }
      let readerRunning = true;
      const seen: number[] = [];
      const reader = (async () => {
        while (readerRunning) seen.push(await productionCount());
      })();
      const results = await Promise.all(pendings.map((id, index) => review(team.reviewers[index], id)));
      readerRunning = false;
      await reader;

      const codes = results.map((result) => (result.errors ? result.errors[0].extensions?.code : result.data?.reviewTransition.status));
      expect(codes.every((code) => code === 'APPLIED' || code === 'CONFLICT')).toBe(true);
      expect(codes).toContain('APPLIED');
      expect(seen.every((count) => count <= 1)).toBe(true);
      expect(await productionCount()).toBe(1);

      const applied = pendings.filter((_, index) => codes[index] === 'APPLIED');
      const states = await app.dataSource.query(`SELECT id, status FROM transition_request WHERE id = ANY($1)`, [pendings]);
      for (const state of states) expect(state.status).toBe(applied.includes(state.id) ? 'APPLIED' : 'PENDING');
      const appliedEvents = await app.dataSource.query(`SELECT entity_id AS id FROM audit_event WHERE action = 'transition.applied' AND entity_id = ANY($1)`, [pendings]);
      expect(appliedEvents.map((event: { id: string }) => event.id).sort()).toEqual([...applied].sort());
      const reviewEvents = await app.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'transition.approved' AND entity_id = ANY($1)`, [pendings]);
      expect(reviewEvents[0].n).toBe(applied.length);
      for (const id of pendings.filter((pending) => !applied.includes(pending))) {
        ok(await app.gql(`mutation($id: ID!) { cancelTransition(requestId: $id) { status } }`, { id }, team.requester.token));
      }
    }
  });
});

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { GENESIS_HASH, chainHash } from '../src/modules/audit/audit.chain';
import { auditedTransaction, recordAudit } from '../src/modules/audit/audit.service';
import { finishRun, hex, seedCommit, seedProject, seedUser, startRun } from './factories';
import { ok, startTestApp, type TestApp } from './utils/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const VERIFY = `query($p: String!, $head: AuditHeadInput) { verifyAuditChain(project: $p, expectedHead: $head) { valid checkedEvents firstBrokenSeq problem } }`;
const HEAD = `query($p: String!) { auditHead(project: $p) { seq hash } }`;

const verify = async (key: string, head?: { seq: number; hash: string }) => ok(await app.gql(VERIFY, { p: key, head }, app.adminToken)).verifyAuditChain;

/** A project with a chain of `events` events (the project's creation is the first). */
async function projectWithChain(events: number) {
  const project = await seedProject(app);
  await auditedTransaction(app.dataSource, async (manager) => {
    for (let index = 1; index < events; index += 1) {
      recordAudit(manager, null, { action: 'test.event', entityType: 'Test', entityId: String(index), projectId: project.id, after: { index } });
    }
  });
  return project;
}

/** Tampering as a database superuser would: with the append-only trigger switched off. */
async function tamper(...statements: Array<[string, unknown[]]>): Promise<void> {
  await app.dataSource.transaction(async (manager) => {
    await manager.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`);
    for (const [sql, params] of statements) await manager.query(sql, params);
    await manager.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only`);
  });
}

/** Moves events `from`.. of a chain `by` places, through negative numbers so the unique index never sees a clash. */
const shiftSeq = (projectId: string, from: number, to: number, by: number): Array<[string, unknown[]]> => [
  [`UPDATE audit_event SET seq = -seq WHERE project_id = $1 AND seq BETWEEN $2 AND $3`, [projectId, from, to]],
  [`UPDATE audit_event SET seq = $2 - seq WHERE project_id = $1 AND seq < 0`, [projectId, by]],
];

describe('the audit chain', () => {
  it('records every mutation as a gap-free chain that verifies, with who, from where and in which role', async () => {
    const project = await seedProject(app);
    const user = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
    const commit = await seedCommit(app, user.token, project.key);
    const run = await startRun(app, user.token, project.key, { commitId: commit.id });
    await finishRun(app, user.token, run.id);
    const events = ok(
      await app.gql(
        `query($p: String!) { auditEvents(project: $p, first: 10) { totalCount edges { node { seq action entityType entityId actorRole actor { email } clientAddress userAgent requestId prevHash hash } } } }`,
        { p: project.key },
        user.token,
      ),
    ).auditEvents;
    expect(events.edges.map((edge: { node: { seq: number; action: string } }) => [edge.node.seq, edge.node.action])).toEqual([
      [5, 'run.finished'],
      [4, 'run.started'],
      [3, 'commit.recorded'],
      [2, 'project_member.added'],
      [1, 'project.created'],
    ]);
    const finished = events.edges[0].node;
    expect(finished).toMatchObject({ entityType: 'Run', entityId: run.id, actorRole: 'CONTRIBUTOR', actor: { email: user.email }, clientAddress: expect.stringMatching(/127\.0\.0\.1/), userAgent: expect.any(String), requestId: expect.any(String) });
    expect(finished.prevHash).toBe(events.edges[1].node.hash);
    expect(events.edges[4].node.prevHash).toBe(GENESIS_HASH);
    expect(await verify(project.key)).toEqual({ valid: true, checkedEvents: 5, firstBrokenSeq: null, problem: null });
    expect(ok(await app.gql(HEAD, { p: project.key }, user.token)).auditHead).toEqual({ seq: 5, hash: finished.hash });

    const filtered = ok(await app.gql(`query($p: String!, $e: ID) { auditEvents(project: $p, entityId: $e) { totalCount } }`, { p: project.key, e: run.id }, user.token)).auditEvents;
    expect(filtered.totalCount).toBe(2);
    const outsider = await seedUser(app);
    await expect(app.gql(VERIFY, { p: project.key }, outsider.token)).resolves.toFailWith('NOT_FOUND');
  });

  it('never forks: 50 concurrent writers of 200 events each make one gap-free chain', async () => {
    const project = await seedProject(app);
    await Promise.all(
      Array.from({ length: 50 }, (_, writer) =>
        (async () => {
          for (let batch = 0; batch < 20; batch += 1) {
            await auditedTransaction(app.dataSource, async (manager) => {
              for (let index = 0; index < 10; index += 1) recordAudit(manager, null, { action: 'test.event', entityType: 'Test', entityId: `${writer}-${batch}-${index}`, projectId: project.id });
            });
          }
        })(),
      ),
    );
    const [{ count, max }] = await app.dataSource.query(`SELECT count(*)::int AS count, max(seq)::int AS max FROM audit_event WHERE project_id = $1`, [project.id]);
    expect({ count, max }).toEqual({ count: 10_001, max: 10_001 });
    expect(await verify(project.key)).toMatchObject({ valid: true, checkedEvents: 10_001 });
  });

  it('keeps a rolled-back change off the chain', async () => {
    const project = await seedProject(app);
    await expect(
      auditedTransaction(app.dataSource, async (manager) => {
        recordAudit(manager, null, { action: 'test.event', entityType: 'Test', entityId: 'x', projectId: project.id });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await verify(project.key)).toMatchObject({ valid: true, checkedEvents: 1 });
  });
});

describe('tampering', () => {
  it('finds an edited field at its seq', async () => {
    const project = await projectWithChain(10);
    await tamper([`UPDATE audit_event SET after = '{"index": 99}' WHERE project_id = $1 AND seq = 5`, [project.id]]);
    expect(await verify(project.key)).toMatchObject({ valid: false, firstBrokenSeq: 5, problem: expect.stringMatching(/altered/) });
  });

  it('finds a deleted event at its seq', async () => {
    const project = await projectWithChain(10);
    await tamper([`DELETE FROM audit_event WHERE project_id = $1 AND seq = 5`, [project.id]]);
    expect(await verify(project.key)).toMatchObject({ valid: false, firstBrokenSeq: 5, problem: expect.stringMatching(/missing/) });
  });

  it('finds two swapped events at the first of them', async () => {
    const project = await projectWithChain(10);
    await tamper(
      [`UPDATE audit_event SET seq = -seq WHERE project_id = $1 AND seq IN (5, 6)`, [project.id]],
      [`UPDATE audit_event SET seq = CASE seq WHEN -5 THEN 6 ELSE 5 END WHERE project_id = $1 AND seq < 0`, [project.id]],
    );
    expect(await verify(project.key)).toMatchObject({ valid: false, firstBrokenSeq: 5 });
  });

  it('finds a forged event inserted into the chain where the chain stops fitting', async () => {
    const project = await projectWithChain(10);
    const [four] = await app.dataSource.query(`SELECT hash FROM audit_event WHERE project_id = $1 AND seq = 4`, [project.id]);
    const forged = { seq: 5, projectId: project.id, actorUserId: null, actorTokenId: null, actorRole: null, action: 'test.event', entityType: 'Test', entityId: 'forged', before: null, after: null, comment: null, requestId: null, clientAddress: null, userAgent: null, occurredAt: new Date().toISOString() };
    await tamper(...shiftSeq(project.id, 5, 10, 1), [
      `INSERT INTO audit_event (project_id, action, entity_type, entity_id, seq, prev_hash, hash, occurred_at) VALUES ($1, 'test.event', 'Test', 'forged', 5, $2, $3, $4)`,
      [project.id, four.hash, chainHash(four.hash, forged), forged.occurredAt],
    ]);
    expect(await verify(project.key)).toMatchObject({ valid: false, firstBrokenSeq: 6, problem: expect.stringMatching(/does not follow/) });
  });

  it('finds an edit whose chain was recomputed afterwards only through a published head', async () => {
    const project = await projectWithChain(10);
    const published = ok(await app.gql(HEAD, { p: project.key }, app.adminToken)).auditHead;
    const rows = await app.dataSource.query(
      `SELECT seq, project_id AS "projectId", actor_user_id AS "actorUserId", actor_token_id AS "actorTokenId", actor_role AS "actorRole", action,
              entity_type AS "entityType", entity_id AS "entityId", before, after, comment, request_id AS "requestId", client_address AS "clientAddress",
              user_agent AS "userAgent", occurred_at AS "occurredAt", prev_hash AS "prevHash" FROM audit_event WHERE project_id = $1 ORDER BY seq`,
      [project.id],
    );
    let prevHash = rows[3].prevHash;
    const statements: Array<[string, unknown[]]> = [];
    for (const { prevHash: _old, ...row } of rows.slice(3)) {
      const event = { ...row, seq: Number(row.seq), after: row.seq === '4' ? { index: 'rewritten' } : row.after, occurredAt: row.occurredAt.toISOString() };
      const hash = chainHash(prevHash, event);
      statements.push([`UPDATE audit_event SET after = $3, prev_hash = $4, hash = $5 WHERE project_id = $1 AND seq = $2`, [project.id, event.seq, JSON.stringify(event.after), prevHash, hash]]);
      prevHash = hash;
    }
    await tamper(...statements);
    expect(await verify(project.key)).toMatchObject({ valid: true });
    expect(await verify(project.key, published)).toMatchObject({ valid: false, firstBrokenSeq: published.seq, problem: expect.stringMatching(/published head/) });
  });

  it('is refused to the application role of a two-role deployment, even with the triggers', async () => {
    const role = `pedigree_app_${Date.now()}`;
    await app.dataSource.query(`CREATE ROLE ${role} NOLOGIN; GRANT SELECT, INSERT ON audit_event TO ${role}`);
    try {
      await app.dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL ROLE ${role}`);
        await expect(manager.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`)).rejects.toThrow(/must be owner/);
      });
      await app.dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL ROLE ${role}`);
        await expect(manager.query(`DELETE FROM audit_event`)).rejects.toThrow(/permission denied/);
      });
    } finally {
      await app.dataSource.query(`REVOKE ALL ON audit_event FROM ${role}; DROP ROLE ${role}`);
    }
  });

  it('is checked by `npm run audit:verify` too, which exits non-zero on a broken chain', async () => {
    const project = await projectWithChain(6);
    const command = ['dist/audit-verify.js', '--project', project.key];
    const env = { ...process.env, DATABASE_URL: (app.dataSource.options as { url: string }).url };
    const cwd = path.resolve(__dirname, '..');
    const intact = await promisify(execFile)('node', command, { cwd, env });
    expect(JSON.parse(intact.stdout)).toMatchObject({ project: project.key, valid: true, checkedEvents: 6 });
    await tamper([`UPDATE audit_event SET comment = 'edited' WHERE project_id = $1 AND seq = 3`, [project.id]]);
    await expect(promisify(execFile)('node', command, { cwd, env })).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('"firstBrokenSeq": 3') });
  });
});

describe('reading the trail', () => {
  it('exports every matching event as CSV or JSON lines to a project VIEWER only', async () => {
    const project = await projectWithChain(12);
    const viewer = await seedUser(app, { project: project.key, role: 'VIEWER' });
    const exportUrl = (query: string) => app.url.replace('/graphql', `/api/audit/export?${query}`);
    const get = (query: string, token?: string) => fetch(exportUrl(query), { headers: token ? { authorization: `Bearer ${token}` } : {} });

    const jsonl = await get(`project=${project.key}&format=jsonl`, viewer.token);
    expect(jsonl.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = (await jsonl.text()).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.seq)).toEqual(Array.from({ length: 13 }, (_, index) => index + 1));
    expect(lines[12]).toMatchObject({ action: 'project_member.added', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const csv = await (await get(`project=${project.key}&format=csv&action=test.event`, viewer.token)).text();
    const rows = csv.trim().split('\n');
    expect(rows[0]).toBe('seq,occurredAt,action,entityType,entityId,actorUserId,actorTokenId,actorRole,before,after,comment,requestId,clientAddress,userAgent,prevHash,hash');
    expect(rows).toHaveLength(12);
    expect(rows[1]).toMatch(/^2,.*,test\.event,Test,1,/);

    expect((await get(`project=${project.key}&format=csv`)).status).toBe(401);
    expect((await get(`project=${project.key}&format=csv`, (await seedUser(app)).token)).status).toBe(404);
    expect((await get(`project=${project.key}&format=xml`, viewer.token)).status).toBe(400);
  });

  it('counts exactly the committed mutations, whatever fails midway (property test)', async () => {
    const project = await seedProject(app);
    const user = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
    const finished = await startRun(app, user.token, project.key);
    await finishRun(app, user.token, finished.id);
    let unique = 0;
    const next = () => `${Date.now()}-${(unique += 1)}`;
    type Step = 'commit' | 'data' | 'run' | 'dataOfFinishedRun' | 'metricsOfFinishedRun';
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom<Step>('commit', 'data', 'run', 'dataOfFinishedRun', 'metricsOfFinishedRun'), { minLength: 1, maxLength: 8 }), async (steps) => {
        const before = (await app.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE project_id = $1`, [project.id]))[0].n;
        let committed = 0;
        for (const step of steps) {
          const result = await {
            commit: () => app.gql(`mutation($i: RecordCommitInput!) { recordCommit(input: $i) { id } }`, { i: { project: project.key, repository: 'r', sha: hex(next(), 'sha1') } }, user.token),
            data: () => app.gql(`mutation($i: RegisterDataVersionInput!) { registerDataVersion(input: $i) { id } }`, { i: { project: project.key, dataset: 'd', contentHash: hex(next(), 'md5') } }, user.token),
            run: () => app.gql(`mutation($i: StartRunInput!) { startRun(input: $i) { id } }`, { i: { project: project.key, params: [{ key: 'k', value: next() }] } }, user.token),
            // Fails after writing a dataset row: the producing run has finished.
            dataOfFinishedRun: () =>
              app.gql(`mutation($i: RegisterDataVersionInput!) { registerDataVersion(input: $i) { id } }`, { i: { project: project.key, dataset: `late-${next()}`, contentHash: hex(next(), 'md5'), producedByRunId: finished.id } }, user.token),
            metricsOfFinishedRun: () => app.gql(`mutation($i: LogMetricsInput!) { logMetrics(input: $i) { accepted } }`, { i: { runId: finished.id, metrics: [{ key: 'm', value: 1 }] } }, user.token),
          }[step]();
          if (!result.errors) committed += 1;
        }
        const after = (await app.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE project_id = $1`, [project.id]))[0].n;
        expect(after - before).toBe(committed);
      }),
      { numRuns: 15 },
    );
    expect(await verify(project.key)).toMatchObject({ valid: true });
  });
});

import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/data-source';
import { verifyChain } from '../src/modules/audit/audit.service';
import { digest, hex, seedFinishedRun, seedProject } from './factories';
import type { GraphQLResult, TestApp } from './utils/test-app';
import { adminQuery, createTestDatabase, withDatabase } from './utils/test-database';
import {
  type ApiProcess,
  type HttpOutcome,
  data,
  embeddedDatabaseUrl,
  postGraphQL,
  signIn,
  sleep,
  startApiProcess,
  startRestartablePostgres,
} from './utils/faults';

/**
 * Faults (issue 8, point 5): PostgreSQL restarted under a load of writes, the API killed with
 * SIGKILL during concurrent registrations, and a graceful shutdown on SIGTERM with requests in
 * flight. The API runs as it is deployed: `node dist/main.js` in a child process, with DATABASE_URL.
 */

const RECORD_COMMIT = `mutation($input: RecordCommitInput!) { recordCommit(input: $input) { id sha } }`;
const REGISTER = `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { id version } }`;

/** Enough of a TestApp for the factories, over any URL. */
function clientFor(url: string, adminToken: string): TestApp {
  return {
    url,
    adminToken,
    dataSource: undefined as unknown as DataSource,
    close: async () => undefined,
    gql: async (query, variables, token) => {
      const outcome = await postGraphQL(url, query, variables ?? {}, token ?? null);
      if (outcome.status === null) throw new Error(`request failed: ${outcome.failure}`);
      return { ...outcome.body, statements: 0, status: outcome.status } as GraphQLResult<any>;
    },
  };
}

const firstError = (outcome: HttpOutcome) => outcome.body?.errors?.[0];
const succeeded = (outcome: HttpOutcome) => outcome.status !== null && !outcome.body?.errors?.length && !!outcome.body?.data;
const describeFailure = (outcome: HttpOutcome) =>
  outcome.status === null ? `no answer (${outcome.failure})` : `HTTP ${outcome.status} ${firstError(outcome)?.extensions?.code}: ${firstError(outcome)?.message?.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<request id>')}`;

/** Lineage nodes whose entity row is missing: a write that was half done. */
async function orphanLineageNodes(query: (sql: string, params: unknown[]) => Promise<any[]>, projectId: string): Promise<unknown[]> {
  return query(
    `SELECT n.id, n.kind FROM lineage_node n
       LEFT JOIN code_commit c ON c.id = n.id LEFT JOIN data_version d ON d.id = n.id
       LEFT JOIN run r ON r.id = n.id LEFT JOIN model_version m ON m.id = n.id
      WHERE n.project_id = $1 AND c.id IS NULL AND d.id IS NULL AND r.id IS NULL AND m.id IS NULL`,
    [projectId],
  );
}

const registerInput = (project: string, runId: string, key: string) => ({
  project,
  model: 'fraud',
  runId,
  artifactUri: `s3://models/${key}`,
  artifactDigest: digest(key),
  idempotencyKey: key,
});

interface Consistency {
  versions: Array<{ id: string; version: number; idempotency_key: string }>;
  commits: Array<{ id: string; sha: string }>;
}

/**
 * Reads what a project holds and checks what must hold after any fault: versions of `fraud` run 1..n,
 * no lineage node lacks its entity, one audit event per commit and version, and an intact chain.
 */
async function checkProject(databaseUrl: string, projectId: string): Promise<Consistency> {
  const dataSource = createDataSource(databaseUrl);
  await dataSource.initialize();
  try {
    const query = (sql: string, params: unknown[]) => dataSource.query(sql, params);
    const versions = await query(
      `SELECT v.id, v.version, v.idempotency_key FROM model_version v JOIN registered_model m ON m.id = v.model_id WHERE v.project_id = $1 AND m.name = 'fraud' ORDER BY v.version`,
      [projectId],
    );
    const commits = await query(`SELECT id, sha FROM code_commit WHERE project_id = $1`, [projectId]);
    expect(versions.map((row: { version: number }) => row.version)).toEqual(versions.map((_: unknown, index: number) => index + 1));
    expect(new Set(versions.map((row: { idempotency_key: string }) => row.idempotency_key)).size).toBe(versions.length);
    expect(await orphanLineageNodes(query, projectId)).toEqual([]);
    const [{ registered }] = await query(`SELECT count(*)::int AS registered FROM audit_event WHERE project_id = $1 AND action = 'model_version.registered'`, [projectId]);
    const [{ recorded }] = await query(`SELECT count(*)::int AS recorded FROM audit_event WHERE project_id = $1 AND action = 'commit.recorded'`, [projectId]);
    expect({ registered, recorded }).toEqual({ registered: versions.length, recorded: commits.length });
    expect(await verifyChain(dataSource, projectId)).toMatchObject({ valid: true, problem: null });
    return { versions, commits };
  } finally {
    await dataSource.destroy();
  }
}

/** Stops a child API that a test left running; SIGKILL if it does not stop in time. */
async function shutDown(api: ApiProcess | null): Promise<void> {
  if (!api || api.child.exitCode !== null || api.child.signalCode !== null) return;
  api.child.kill('SIGTERM');
  const timer = setTimeout(() => api.child.kill('SIGKILL'), 5000);
  await api.exited;
  clearTimeout(timer);
}

describe('faults', () => {
  it('PostgreSQL restarted under a load of writes: requests fail fast and clearly, the API recovers by itself, nothing is half-written', async () => {
    const postgres = await startRestartablePostgres();
    const databaseUrl = withDatabase(postgres.url, 'pedigree');
    let api: ApiProcess | null = null;
    try {
      await adminQuery(postgres.url, 'CREATE DATABASE pedigree');
      // The API applies the migrations itself as it starts.
      api = await startApiProcess(databaseUrl);
      const url = api.url;
      const token = await signIn(url);
      const app = clientFor(url, token);
      const project = await seedProject(app);
      const { run } = await seedFinishedRun(app, token, project.key);

      type Attempt = { kind: 'commit' | 'register'; key: string; outcome: HttpOutcome };
      const attempts: Attempt[] = [];
      let loading = true;
      const worker = async (index: number) => {
        for (let i = 0; loading; i += 1) {
          const key = `${index}-${i}-${randomUUID()}`;
          // Every third write registers a model version, the others record commits.
          const kind = i % 3 === 2 ? 'register' : 'commit';
          const outcome =
            kind === 'register'
              ? await postGraphQL(url, REGISTER, { input: registerInput(project.key, run.id, key) }, token)
              : await postGraphQL(url, RECORD_COMMIT, { input: { project: project.key, repository: 'github.com/acme/fraud', sha: hex(key, 'sha1'), branch: 'main' } }, token);
          attempts.push({ kind, key, outcome });
          if (!succeeded(outcome)) await sleep(50);
        }
      };
      const workers = Array.from({ length: 6 }, (_, index) => worker(index));

      await sleep(1000);
      const stopAt = Date.now();
      await postgres.stop();
      const stoppedAt = Date.now();
      // The REST routes answer an outage the same way, with 503 and a time to wait.
      const ingest = await fetch(url.replace(/\/graphql$/, '/api/v1/lineage'), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
      expect({ status: ingest.status, retryAfter: ingest.headers.get('retry-after') }).toEqual({ status: 503, retryAfter: '5' });
      expect((await ingest.json()).errors[0]).toMatchObject({ message: expect.stringMatching(/^The database is unavailable; retry in a few seconds/), extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true } });
      await sleep(3000);
      const restartAt = Date.now();
      await postgres.start();
      const restartedAt = Date.now();
      await sleep(2000);
      loading = false;
      await Promise.all(workers);

      const before = attempts.filter((a) => a.outcome.startedAt + a.outcome.ms < stopAt);
      const during = attempts.filter((a) => a.outcome.startedAt >= stoppedAt && a.outcome.startedAt + a.outcome.ms <= restartAt);
      const after = attempts.filter((a) => a.outcome.startedAt >= restartedAt);
      const failures = attempts.filter((a) => !succeeded(a.outcome));
      const slowest = Math.max(...attempts.map((a) => a.outcome.ms));
      const slowestFailure = Math.max(0, ...failures.map((a) => a.outcome.ms));
      const firstRecovered = after.find((a) => succeeded(a.outcome));
      const count = (list: Attempt[]) => `${list.length} (${list.filter((a) => succeeded(a.outcome)).length} ok)`;
      const errorCounts = new Map<string, number>();
      for (const failure of failures) errorCounts.set(describeFailure(failure.outcome), (errorCounts.get(describeFailure(failure.outcome)) ?? 0) + 1);
      console.log(
        [
          `PostgreSQL fast shutdown took ${stoppedAt - stopAt} ms, start ${restartedAt - restartAt} ms; down for ${restartedAt - stopAt} ms`,
          `${attempts.length} writes: before ${count(before)}, during ${count(during)}, after ${count(after)}`,
          `slowest answer ${slowest} ms, slowest failure ${slowestFailure} ms; first write after the restart answered ok ${firstRecovered ? firstRecovered.outcome.startedAt + firstRecovered.outcome.ms - restartedAt : 'never'} ms after it`,
          `errors seen:`,
          ...[...errorCounts].map(([message, times]) => `  ${times} x ${message}`),
        ].join('\n'),
      );

      expect(before.length).toBeGreaterThan(10);
      expect(before.filter((a) => !succeeded(a.outcome)).map((a) => describeFailure(a.outcome))).toEqual([]);
      // During the outage every write fails fast, with an answer that says what happened and what to do.
      expect(during.length).toBeGreaterThan(10);
      for (const { outcome } of during) {
        expect(outcome.status).not.toBeNull();
        expect(firstError(outcome)).toMatchObject({
          message: expect.stringMatching(/^The database is unavailable; retry in a few seconds \(request id [\w-]+\)\.$/),
          extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true, requestId: expect.any(String) },
        });
      }
      expect(slowest).toBeLessThan(5000);
      // The same process serves again once PostgreSQL is back: no restart of the API.
      expect(api.child.exitCode).toBeNull();
      expect(after.length).toBeGreaterThan(10);
      expect(after.filter((a) => !succeeded(a.outcome)).map((a) => describeFailure(a.outcome))).toEqual([]);

      // Nothing half-written: each acknowledged write is there exactly once, with its audit event.
      const { versions, commits } = await checkProject(databaseUrl, project.id);
      for (const attempt of attempts.filter((a) => succeeded(a.outcome))) {
        if (attempt.kind === 'commit') {
          const { id, sha } = data(attempt.outcome).recordCommit;
          expect(commits.filter((row) => row.sha === sha).map((row) => row.id)).toEqual([id]);
        } else {
          const { id, version } = data(attempt.outcome).registerModelVersion;
          expect(versions.filter((row) => row.idempotency_key === attempt.key).map((row) => [row.id, row.version])).toEqual([[id, version]]);
        }
      }
    } finally {
      await shutDown(api);
      await postgres.destroy();
    }
  }, 40_000);

  it('kill -9 of the API during concurrent registrations: after a restart every acknowledged registration is there exactly once and the audit chain verifies', async () => {
    const database = await createTestDatabase();
    let api: ApiProcess | null = null;
    try {
      api = await startApiProcess(database.url);
      const first = api;
      const token = await signIn(first.url);
      const app = clientFor(first.url, token);
      const project = await seedProject(app);
      const { run } = await seedFinishedRun(app, token, project.key);

      type Attempt = { key: string; outcome: HttpOutcome };
      const attempts: Attempt[] = [];
      const worker = async (index: number) => {
        for (let i = 0; ; i += 1) {
          const key = `kill-${index}-${i}`;
          const outcome = await postGraphQL(first.url, REGISTER, { input: registerInput(project.key, run.id, key) }, token);
          attempts.push({ key, outcome });
          if (outcome.status === null) return;
          expect(succeeded(outcome) ? null : describeFailure(outcome)).toBeNull();
        }
      };
      const workers = Array.from({ length: 8 }, (_, index) => worker(index));
      const deadline = Date.now() + 10_000;
      while (attempts.filter((a) => succeeded(a.outcome)).length < 40 && Date.now() < deadline) await sleep(20);
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      await Promise.all(workers);

      const acknowledged = attempts.filter((a) => succeeded(a.outcome));
      const unanswered = attempts.filter((a) => a.outcome.status === null);
      expect(acknowledged.length).toBeGreaterThanOrEqual(40);
      expect(unanswered.length).toBe(8);

      // The same database, a new process: the acknowledged writes survived, the cut ones left no trace.
      api = await startApiProcess(database.url);
      const second = api;
      const afterRestart = await checkProject(database.url, project.id);
      const committedUnanswered = unanswered.filter((a) => afterRestart.versions.some((row) => row.idempotency_key === a.key)).length;
      for (const attempt of acknowledged) {
        const { id, version } = data(attempt.outcome).registerModelVersion;
        expect(afterRestart.versions.filter((row) => row.idempotency_key === attempt.key).map((row) => [row.id, row.version])).toEqual([[id, version]]);
      }
      expect(afterRestart.versions.length).toBe(acknowledged.length + committedUnanswered);

      // A client retries what got no answer with the same key: each lands exactly once.
      const token2 = await signIn(second.url);
      const retries = await Promise.all(unanswered.map((a) => postGraphQL(second.url, REGISTER, { input: registerInput(project.key, run.id, a.key) }, token2)));
      expect(retries.filter((outcome) => !succeeded(outcome)).map(describeFailure)).toEqual([]);
      const afterRetries = await checkProject(database.url, project.id);
      expect(afterRetries.versions.length).toBe(acknowledged.length + unanswered.length);
      unanswered.forEach((attempt, index) => {
        const { id, version } = data(retries[index]).registerModelVersion;
        expect(afterRetries.versions.filter((row) => row.idempotency_key === attempt.key).map((row) => [row.id, row.version])).toEqual([[id, version]]);
      });
      console.log(
        `kill -9 after ${acknowledged.length} acknowledged registrations with ${unanswered.length} in flight (${committedUnanswered} of them had committed); after the restart and retries: versions 1..${afterRetries.versions.length}, chain valid`,
      );
    } finally {
      await shutDown(api);
      await database.drop();
    }
  }, 30_000);

  it.each([['DATABASE_URL'], ['the embedded PostgreSQL']])('SIGTERM drains on %s: every request in flight gets its whole answer and the process exits 0', async (where) => {
    const embedded = where !== 'DATABASE_URL';
    const database = embedded ? null : await createTestDatabase();
    let api: ApiProcess | null = null;
    let blocker: Client | null = null;
    let monitor: Client | null = null;
    try {
      // Enough connections that all 20 requests are inside PostgreSQL at once.
      api = await startApiProcess(database?.url ?? null, { env: { PEDIGREE_DB_POOL_SIZE: '30', ...(embedded ? { LOG_LEVEL: 'info' } : {}) } });
      // On the embedded server the package's own signal hook must not stop PostgreSQL under the draining requests.
      const databaseUrl = database?.url ?? embeddedDatabaseUrl(api);
      const { url } = api;
      const token = await signIn(url);
      const app = clientFor(url, token);
      const project = await seedProject(app);
      const { run } = await seedFinishedRun(app, token, project.key);
      data(await postGraphQL(url, REGISTER, { input: registerInput(project.key, run.id, 'drain-0') }, token));

      // Hold the model's row: each registration waits for it inside its transaction, so all 20 are surely in flight.
      blocker = new Client({ connectionString: databaseUrl });
      monitor = new Client({ connectionString: databaseUrl });
      for (const client of [blocker, monitor]) {
        client.on('error', () => undefined);
        await client.connect();
      }
      await blocker.query('BEGIN');
      await blocker.query(`SELECT id FROM registered_model WHERE project_id = $1 AND name = 'fraud' FOR UPDATE`, [project.id]);
      const inFlight = Array.from({ length: 20 }, (_, index) => postGraphQL(url, REGISTER, { input: registerInput(project.key, run.id, `drain-${index + 1}`) }, token, 20_000));
      // Asked outside the blocker's transaction, which would see pg_stat_activity frozen at its first read.
      const waiting = async () => {
        const { rows } = await monitor!.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        return rows[0].n as number;
      };
      const deadline = Date.now() + 10_000;
      while ((await waiting()) < 20 && Date.now() < deadline) await sleep(20);
      expect(await waiting()).toBe(20);

      const signalledAt = Date.now();
      api.child.kill('SIGTERM');
      await sleep(500);
      // Still draining: the process waits for the requests it accepted.
      expect(api.child.exitCode).toBeNull();
      await blocker.query('COMMIT');
      const answers = await Promise.all(inFlight);
      const answeredAt = Date.now();
      // Bounded, so a shutdown that hangs fails here rather than at the test's timeout.
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([api.exited, new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still running after 12 s'), 12_000)))]);
      clearTimeout(timer);
      const exitedAt = Date.now();
      console.log(`SIGTERM on ${where} with 20 registrations in flight: all answered ${answeredAt - signalledAt} ms after it (held 500 ms), exit code ${code} after ${exitedAt - signalledAt} ms`);

      expect(answers.filter((outcome) => !succeeded(outcome)).map(describeFailure)).toEqual([]);
      expect(answers.map((outcome) => data(outcome).registerModelVersion.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 2));
      expect(code).toBe(0);
      // The embedded server stopped with the API; its rows were checked through the answers above.
      if (database) await checkProject(database.url, project.id);
    } finally {
      await blocker?.end().catch(() => undefined);
      await monitor?.end().catch(() => undefined);
      await shutDown(api);
      await database?.drop();
    }
  }, 120_000);
});

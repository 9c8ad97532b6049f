import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { finishRun, seedProject, seedUser, startRun } from './factories';
import { artifactUrl, download, filesUnder, originOf, rawRequest, uploadArtifact } from './utils/artifact-http';
import { ok, startTestApp, type TestApp } from './utils/test-app';

const sha256 = (bytes: string | Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const blobFile = (digest: string) => {
  const hex = digest.slice('sha256:'.length);
  return path.join('sha256', hex.slice(0, 2), hex.slice(2, 4), hex);
};

let app: TestApp;
let workDir: string;
let storeDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'pedigree-artifacts-'));
  storeDir = path.join(workDir, 'store');
  process.env.PEDIGREE_ARTIFACT_DIR = storeDir;
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
  delete process.env.PEDIGREE_ARTIFACT_DIR;
  rmSync(workDir, { recursive: true, force: true });
});

/** A project with a CONTRIBUTOR, a VIEWER, an outsider (member of another project only) and a RUNNING run. */
async function seedTeam() {
  const project = await seedProject(app);
  const contributor = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
  const viewer = await seedUser(app, { project: project.key, role: 'VIEWER' });
  const elsewhere = await seedProject(app);
  const outsider = await seedUser(app, { project: elsewhere.key, role: 'OWNER' });
  const run = await startRun(app, contributor.token, project.key);
  return { project, contributor, viewer, outsider, elsewhere, run };
}

const auditActions = async (runId: string) =>
  (await app.dataSource.query(`SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY seq`, [runId])).map((row: { action: string }) => row.action);

const artifactRows = (runId: string) => app.dataSource.query(`SELECT path, digest, size_bytes AS "sizeBytes", stored FROM run_artifact WHERE run_id = $1 ORDER BY path`, [runId]);

const temporaryFiles = () => filesUnder(storeDir).filter((file) => !file.startsWith(`sha256${path.sep}`));

describe('uploading and downloading artifacts', () => {
  it('round-trips a small file by path and by digest, recorded on the run with an audit event', async () => {
    const { contributor, run } = await seedTeam();
    const bytes = Buffer.from('\x89PNG fake plot bytes');
    const uploaded = await uploadArtifact(app, contributor.token, run.id, 'plots/loss curve.png', bytes, { kind: 'PLOT', contentType: 'image/png' });
    expect(uploaded.status).toBe(201);
    expect(uploaded.json.artifact).toEqual({
      runId: run.id,
      path: 'plots/loss curve.png',
      digest: sha256(bytes),
      sizeBytes: bytes.length,
      mediaType: 'image/png',
      kind: 'PLOT',
      downloadUrl: `/api/v1/runs/${run.id}/artifacts/plots/loss%20curve.png`,
    });
    expect(uploaded.headers.get('location')).toBe(uploaded.json.artifact.downloadUrl);

    for (const url of [`${originOf(app)}${uploaded.json.artifact.downloadUrl}`, `${originOf(app)}/api/v1/artifacts/${sha256(bytes)}`]) {
      const got = await download(url, contributor.token);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(bytes)).toBe(true);
      expect(got.headers.get('content-type')).toBe('image/png');
      expect(got.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
      expect(got.headers.get('content-length')).toBe(String(bytes.length));
      expect(got.headers.get('accept-ranges')).toBe('bytes');
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    }

    const { run: read } = ok(
      await app.gql(`query($id: ID!) { run(id: $id) { artifacts { path kind mediaType stored digest sizeBytes uri downloadUrl } } }`, { id: run.id }, contributor.token),
    );
    expect(read.artifacts).toEqual([
      {
        path: 'plots/loss curve.png',
        kind: 'PLOT',
        mediaType: 'image/png',
        stored: true,
        digest: sha256(bytes),
        sizeBytes: bytes.length,
        uri: `pedigree://artifacts/${sha256(bytes)}`,
        downloadUrl: uploaded.json.artifact.downloadUrl,
      },
    ]);
    const [event] = await app.dataSource.query(`SELECT after FROM audit_event WHERE action = 'run.artifact_uploaded' AND entity_id = $1`, [run.id]);
    expect(event.after).toEqual({ path: 'plots/loss curve.png', digest: sha256(bytes), sizeBytes: bytes.length, mediaType: 'image/png', kind: 'PLOT' });
    expect(readFileSync(path.join(storeDir, blobFile(sha256(bytes)))).equals(bytes)).toBe(true);
  });

  it('stores identical bytes once, and answers a repeated upload to the same path with the first record', async () => {
    const { contributor, run, project } = await seedTeam();
    const other = await startRun(app, contributor.token, project.key);
    const bytes = `checkpoint ${Date.now()}`;
    expect((await uploadArtifact(app, contributor.token, run.id, 'ckpt/epoch-1.pt', bytes, { kind: 'checkpoint' })).status).toBe(201);
    expect((await uploadArtifact(app, contributor.token, other.id, 'copy.pt', bytes)).status).toBe(201);
    const again = await uploadArtifact(app, contributor.token, run.id, 'ckpt/epoch-1.pt', bytes);
    expect(again.status).toBe(200);
    expect(again.json.artifact.kind).toBe('CHECKPOINT');

    expect(filesUnder(storeDir).filter((file) => file === blobFile(sha256(bytes)))).toHaveLength(1);
    expect(await artifactRows(run.id)).toEqual([{ path: 'ckpt/epoch-1.pt', digest: sha256(bytes), sizeBytes: String(bytes.length), stored: true }]);
    expect(await auditActions(run.id)).toEqual(['run.started', 'run.artifact_uploaded']);

    const different = await uploadArtifact(app, contributor.token, run.id, 'ckpt/epoch-1.pt', 'other bytes');
    expect(different.status).toBe(409);
    expect(different.json.errors[0].extensions.code).toBe('CONFLICT');
  });

  it('refuses bytes that do not match x-pedigree-digest, storing and recording nothing', async () => {
    const { contributor, run } = await seedTeam();
    const bytes = `model ${Date.now()}`;
    const claimed = sha256('something else');
    const refused = await uploadArtifact(app, contributor.token, run.id, 'model/model.pkl', bytes, { digest: claimed });
    expect(refused.status).toBe(409);
    expect(refused.json.errors[0]).toMatchObject({ extensions: { code: 'CONFLICT', expectedDigest: claimed, actualDigest: sha256(bytes) } });
    expect(await artifactRows(run.id)).toEqual([]);
    expect(filesUnder(storeDir)).not.toContain(blobFile(sha256(bytes)));
    expect(temporaryFiles()).toEqual([]);

    const accepted = await uploadArtifact(app, contributor.token, run.id, 'model/model.pkl', bytes, { digest: sha256(bytes) });
    expect(accepted.status).toBe(201);
  });

  it('leaves no record and no partial file when the client aborts midway', async () => {
    const { contributor, run } = await seedTeam();
    const before = filesUnder(storeDir);
    const { hostname, port } = new URL(app.url);
    const request = http.request({
      hostname,
      port,
      method: 'PUT',
      path: `/api/v1/runs/${run.id}/artifacts/model/partial.bin`,
      headers: { authorization: `Bearer ${contributor.token}`, 'content-length': String(64 * 1024 * 1024) },
    });
    request.on('error', () => {});
    request.write(Buffer.alloc(4 * 1024 * 1024, 7));
    // Wait until the server has written part of it to a temporary file, then cut the connection.
    for (let waited = 0; temporaryFiles().length === 0 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(temporaryFiles()).toHaveLength(1);
    request.destroy();
    for (let waited = 0; temporaryFiles().length > 0 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));

    expect(temporaryFiles()).toEqual([]);
    expect(filesUnder(storeDir)).toEqual(before);
    expect(await artifactRows(run.id)).toEqual([]);
    expect(await auditActions(run.id)).toEqual(['run.started']);
  });

  it('lets VIEWERs download, hides artifacts from outsiders as not found, and takes uploads only from CONTRIBUTORs of a RUNNING run', async () => {
    const { contributor, viewer, outsider, run } = await seedTeam();
    const bytes = `log line ${Date.now()}\n`;
    await uploadArtifact(app, contributor.token, run.id, 'logs/train.log', bytes, { kind: 'LOG', contentType: 'text/plain; charset=utf-8' });
    const byPath = artifactUrl(app, run.id, 'logs/train.log');
    const byDigest = `${originOf(app)}/api/v1/artifacts/${sha256(bytes)}`;

    expect((await download(byPath, viewer.token)).bytes.toString()).toBe(bytes);
    expect((await download(byDigest, viewer.token)).status).toBe(200);
    for (const url of [byPath, byDigest, `${originOf(app)}/api/v1/artifacts/${sha256('never uploaded')}`]) {
      const hidden = await download(url, outsider.token);
      expect(hidden.status).toBe(404);
      expect(hidden.json.errors[0].extensions.code).toBe('NOT_FOUND');
    }
    expect((await download(byDigest, null)).status).toBe(401);
    expect((await download(`${originOf(app)}/api/v1/artifacts/not-a-digest`, viewer.token)).status).toBe(400);

    const byViewer = await uploadArtifact(app, viewer.token, run.id, 'logs/other.log', 'x');
    expect(byViewer.status).toBe(403);
    expect(byViewer.json.errors[0].extensions.code).toBe('FORBIDDEN');
    const [denied] = await app.dataSource.query(`SELECT actor_user_id AS "actorUserId", after FROM audit_event WHERE action = 'access.denied' AND after->>'runId' = $1`, [run.id]);
    expect(denied).toMatchObject({ actorUserId: viewer.id, after: { code: 'FORBIDDEN', route: 'PUT /api/v1/runs/:runId/artifacts/*path' } });
    expect((await uploadArtifact(app, outsider.token, run.id, 'logs/other.log', 'x')).status).toBe(404);
    expect((await uploadArtifact(app, null, run.id, 'logs/other.log', 'x')).status).toBe(401);

    await finishRun(app, contributor.token, run.id);
    const late = await uploadArtifact(app, contributor.token, run.id, 'logs/late.log', 'x');
    expect(late.status).toBe(409);
    expect(late.json.errors[0].extensions.code).toBe('CONFLICT');
    expect((await artifactRows(run.id)).map((row: { path: string }) => row.path)).toEqual(['logs/train.log']);
  });

  it('grants downloads for uploaded bytes only, not for a digest merely named in finishRun', async () => {
    const victim = await seedTeam();
    const secret = `weights ${Date.now()}`;
    await uploadArtifact(app, victim.contributor.token, victim.run.id, 'model.bin', secret);
    const attacker = await seedTeam();
    ok(
      await app.gql(
        `mutation($input: FinishRunInput!) { finishRun(input: $input) { id } }`,
        { input: { runId: attacker.run.id, status: 'FINISHED', artifacts: [{ path: 'stolen.bin', uri: `pedigree://artifacts/${sha256(secret)}`, digest: sha256(secret), kind: 'model' }] } },
        attacker.contributor.token,
      ),
    );
    expect((await download(`${originOf(app)}/api/v1/artifacts/${sha256(secret)}`, attacker.contributor.token)).status).toBe(404);
    expect((await download(artifactUrl(app, attacker.run.id, 'stolen.bin'), attacker.contributor.token)).status).toBe(404);
  });

  it('serves byte ranges, conditional requests and HEAD', async () => {
    const { contributor, run } = await seedTeam();
    const bytes = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');
    await uploadArtifact(app, contributor.token, run.id, 'data.txt', bytes, { contentType: 'text/plain' });
    const url = artifactUrl(app, run.id, 'data.txt');
    const etag = `"${sha256(bytes)}"`;

    const first = await download(url, contributor.token, { range: 'bytes=0-9' });
    expect(first.status).toBe(206);
    expect(first.bytes.toString()).toBe('0123456789');
    expect(first.headers.get('content-range')).toBe(`bytes 0-9/${bytes.length}`);
    expect(first.headers.get('content-length')).toBe('10');
    expect((await download(url, contributor.token, { range: 'bytes=30-' })).bytes.toString()).toBe('uvwxyz');
    expect((await download(url, contributor.token, { range: 'bytes=-3' })).bytes.toString()).toBe('xyz');

    const outside = await download(url, contributor.token, { range: 'bytes=100-200' });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    expect((await download(url, contributor.token, { range: 'bytes=0-1,5-6' })).status).toBe(200);
    expect((await download(url, contributor.token, { range: 'bytes=0-1', 'if-range': '"sha256:other"' })).status).toBe(200);
    expect((await download(url, contributor.token, { range: 'bytes=0-1', 'if-range': etag })).status).toBe(206);

    expect((await download(url, contributor.token, { 'if-none-match': etag })).status).toBe(304);
    const head = await download(url, contributor.token, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect(head.bytes.length).toBe(0);
  });

  it('refuses bad kinds, media types and digest headers before storing anything', async () => {
    const { contributor, run } = await seedTeam();
    const before = filesUnder(storeDir);
    const badKind = await uploadArtifact(app, contributor.token, run.id, 'a.txt', 'x', { kind: 'WEIGHTS' });
    expect(badKind.status).toBe(400);
    expect(badKind.json.errors[0].message).toBe('kind must be one of MODEL, CHECKPOINT, PLOT, LOG, OTHER.');
    expect((await uploadArtifact(app, contributor.token, run.id, 'a.txt', 'x', { contentType: 'not a media type' })).status).toBe(400);
    expect((await uploadArtifact(app, contributor.token, run.id, 'a.txt', 'x', { digest: 'md5:abc' })).status).toBe(400);
    const traversal = await rawRequest(app, 'PUT', `/api/v1/runs/${run.id}/artifacts/../a.txt`, contributor.token, 'x');
    expect(traversal.status).toBe(400);
    expect(JSON.parse(traversal.body).errors[0]).toEqual({ message: 'The artifact path must not contain ".." segments.', extensions: { code: 'BAD_USER_INPUT', rule: 'artifact-path' } });
    expect(filesUnder(storeDir)).toEqual(before);
  });

  it('never follows a symlink planted in the store', async () => {
    const { contributor, run } = await seedTeam();
    const bytes = `planted ${Date.now()}`;
    await uploadArtifact(app, contributor.token, run.id, 'planted.txt', bytes);
    const canary = path.join(workDir, 'planted-canary.txt');
    writeFileSync(canary, 'canary secret');
    const blob = path.join(storeDir, blobFile(sha256(bytes)));
    unlinkSync(blob);
    symlinkSync(canary, blob);
    const got = await download(artifactUrl(app, run.id, 'planted.txt'), contributor.token);
    expect(got.status).toBe(404);
    expect(got.bytes.toString()).not.toContain('canary secret');
    unlinkSync(blob);
  });
});

describe('the finishRun artifacts input', () => {
  it('takes the uppercase kinds and the lowercase ones of earlier clients, and the same path rule', async () => {
    const { contributor, run, project } = await seedTeam();
    const artifacts = [
      { path: 'model/model.pkl', uri: 's3://bucket/model.pkl', digest: sha256('m'), kind: 'model', mediaType: 'application/octet-stream' },
      { path: 'plots/roc.svg', uri: 's3://bucket/roc.svg', kind: 'PLOT' },
    ];
    const { finishRun: finished } = ok(
      await app.gql(`mutation($input: FinishRunInput!) { finishRun(input: $input) { artifacts { path kind mediaType stored downloadUrl } } }`, { input: { runId: run.id, status: 'FINISHED', artifacts } }, contributor.token),
    );
    expect(finished.artifacts).toEqual([
      { path: 'model/model.pkl', kind: 'MODEL', mediaType: 'application/octet-stream', stored: false, downloadUrl: null },
      { path: 'plots/roc.svg', kind: 'PLOT', mediaType: null, stored: false, downloadUrl: null },
    ]);

    const other = await startRun(app, contributor.token, project.key);
    const refused = await app.gql(`mutation($input: FinishRunInput!) { finishRun(input: $input) { id } }`, { input: { runId: other.id, status: 'FINISHED', artifacts: [{ path: 'a/%2e%2e/b', uri: 's3://x' }] } }, contributor.token);
    expect(refused).toFailWith('BAD_USER_INPUT', /path must not contain "\.\." segments, also once percent-decoded/);
  });
});

describe('registering a model from an uploaded artifact', () => {
  const REGISTER = `mutation($input: RegisterModelVersionInput!) {
    registerModelVersion(input: $input) { id artifactUri artifactDigest artifact { digest sizeBytes mediaType downloadUrl } } }`;

  async function finishedRunWithModel() {
    const team = await seedTeam();
    const bytes = `model weights ${Date.now()}`;
    await uploadArtifact(app, team.contributor.token, team.run.id, 'model/model.pkl', bytes, { kind: 'MODEL', contentType: 'application/octet-stream' });
    await finishRun(app, team.contributor.token, team.run.id);
    return { ...team, bytes };
  }

  it('takes the artifact by path or by digest; the version links to its bytes', async () => {
    const { project, contributor, viewer, run, bytes } = await finishedRunWithModel();
    const byPath = ok(await app.gql(REGISTER, { input: { project: project.key, model: 'clf', runId: run.id, artifactPath: 'model/model.pkl' } }, contributor.token));
    const expected = {
      artifactUri: `pedigree://artifacts/${sha256(bytes)}`,
      artifactDigest: sha256(bytes),
      artifact: { digest: sha256(bytes), sizeBytes: bytes.length, mediaType: 'application/octet-stream', downloadUrl: `/api/v1/artifacts/${sha256(bytes)}` },
    };
    expect(byPath.registerModelVersion).toMatchObject(expected);
    const byDigest = ok(await app.gql(REGISTER, { input: { project: project.key, model: 'clf', runId: run.id, artifactDigest: sha256(bytes) } }, contributor.token));
    expect(byDigest.registerModelVersion).toMatchObject(expected);

    const got = await download(`${originOf(app)}${byPath.registerModelVersion.artifact.downloadUrl}`, viewer.token);
    expect(got.bytes.toString()).toBe(bytes);
    const [event] = await app.dataSource.query(`SELECT after FROM audit_event WHERE action = 'model_version.registered' AND entity_id = $1`, [byPath.registerModelVersion.id]);
    expect(event.after).toMatchObject({ artifactDigest: sha256(bytes), artifactPath: 'model/model.pkl' });
  });

  it('refuses a digest or path the run did not upload, unless the model is stored elsewhere', async () => {
    const { project, contributor, run, bytes } = await finishedRunWithModel();
    const input = { project: project.key, model: 'clf', runId: run.id };
    expect(await app.gql(REGISTER, { input: { ...input, artifactDigest: sha256('not uploaded') } }, contributor.token)).toFailWith('NOT_FOUND', /uploaded no artifact with digest/);
    expect(await app.gql(REGISTER, { input: { ...input, artifactPath: 'model/missing.pkl' } }, contributor.token)).toFailWith('NOT_FOUND', /uploaded no artifact at "model\/missing.pkl"/);
    expect(await app.gql(REGISTER, { input: { ...input, artifactPath: 'model/model.pkl', artifactDigest: sha256('other') } }, contributor.token)).toFailWith('BAD_USER_INPUT');
    expect(await app.gql(REGISTER, { input }, contributor.token)).toFailWith('BAD_USER_INPUT', /Name the model artifact/);
    expect(await app.gql(REGISTER, { input: { ...input, artifactPath: '../model.pkl' } }, contributor.token)).toFailWith('BAD_USER_INPUT');

    const external = ok(await app.gql(REGISTER, { input: { ...input, artifactUri: 's3://models/clf.pkl', artifactDigest: sha256('stored in S3') } }, contributor.token));
    expect(external.registerModelVersion).toMatchObject({ artifactUri: 's3://models/clf.pkl', artifactDigest: sha256('stored in S3'), artifact: null });
    const externalCopy = ok(await app.gql(REGISTER, { input: { ...input, artifactUri: 's3://models/copy.pkl', artifactDigest: sha256(bytes) } }, contributor.token));
    expect(externalCopy.registerModelVersion.artifact).toMatchObject({ digest: sha256(bytes) });
  });
});

describe('the upload size limit', () => {
  let limited: TestApp;
  beforeAll(async () => {
    process.env.PEDIGREE_ARTIFACT_MAX_BYTES = '1024';
    limited = await startTestApp();
    delete process.env.PEDIGREE_ARTIFACT_MAX_BYTES;
  });
  afterAll(() => limited.close());

  it('answers 413 for a declared or streamed body over PEDIGREE_ARTIFACT_MAX_BYTES, storing nothing', async () => {
    const project = await seedProject(limited);
    const contributor = await seedUser(limited, { project: project.key, role: 'CONTRIBUTOR' });
    const run = await startRun(limited, contributor.token, project.key);
    const before = filesUnder(storeDir);

    const declared = await uploadArtifact(limited, contributor.token, run.id, 'big.bin', Buffer.alloc(2048));
    expect(declared.status).toBe(413);
    expect(declared.json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', maxBytes: 1024 });

    async function* chunks() {
      for (let i = 0; i < 4; i += 1) yield Buffer.alloc(512, i);
    }
    const streamed = await fetch(artifactUrl(limited, run.id, 'big.bin'), {
      method: 'PUT',
      headers: { authorization: `Bearer ${contributor.token}` },
      body: chunks() as unknown as BodyInit,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(filesUnder(storeDir)).toEqual(before);
    expect((await uploadArtifact(limited, contributor.token, run.id, 'small.bin', Buffer.alloc(1024))).status).toBe(201);
  });
});

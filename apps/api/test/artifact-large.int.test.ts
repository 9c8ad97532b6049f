import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { seedProject, seedUser, startRun } from './factories';
import { artifactUrl, filesUnder, originOf } from './utils/artifact-http';
import { startTestApp, type TestApp } from './utils/test-app';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const CHUNK = 4 * MiB;

let app: TestApp;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'pedigree-large-'));
  process.env.PEDIGREE_ARTIFACT_DIR = path.join(workDir, 'store');
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
  delete process.env.PEDIGREE_ARTIFACT_DIR;
  rmSync(workDir, { recursive: true, force: true });
});

/**
 * 1 GiB made on the fly from one 4 MiB pattern, its sha256 computed as it is produced, so neither
 * the client nor the server ever holds the file.
 */
function generatedGiB(): { body: Readable; digest: Promise<string> } {
  const pattern = Buffer.alloc(CHUNK);
  for (let offset = 0; offset < CHUNK; offset += 4) pattern.writeUInt32LE((offset * 2654435761) >>> 0, offset);
  const hash = createHash('sha256');
  let resolveDigest: (digest: string) => void;
  const digest = new Promise<string>((resolve) => (resolveDigest = resolve));
  async function* chunks() {
    for (let sent = 0; sent < GiB; sent += CHUNK) {
      hash.update(pattern);
      yield pattern;
    }
    resolveDigest(`sha256:${hash.digest('hex')}`);
  }
  return { body: Readable.from(chunks(), { objectMode: false }), digest };
}

/** The highest resident set size seen while `work` runs, sampled every 50 ms. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const result = await work();
    return { result, peak: Math.max(peak, process.memoryUsage().rss) };
  } finally {
    clearInterval(sampler);
  }
}

describe('a 1 GiB artifact', () => {
  it('streams up and down with its digest checked and memory flat', async () => {
    const project = await seedProject(app);
    const contributor = await seedUser(app, { project: project.key, role: 'CONTRIBUTOR' });
    const run = await startRun(app, contributor.token, project.key);
    const { body, digest } = generatedGiB();
    const baseline = process.memoryUsage().rss;

    const startedUpload = Date.now();
    const upload = await peakRss(async () => {
      const response = await fetch(`${artifactUrl(app, run.id, 'model/weights.bin')}?kind=MODEL`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${contributor.token}`, 'content-type': 'application/octet-stream' },
        body: body as unknown as BodyInit,
        duplex: 'half',
        // Otherwise Node 20's fetch keeps every byte sent, to replay it on a redirect (nodejs/undici#4058).
        redirect: 'error',
      } as RequestInit);
      return { status: response.status, json: (await response.json()) as { artifact: { digest: string; sizeBytes: number } } };
    });
    const uploadMs = Date.now() - startedUpload;
    expect(upload.result.status).toBe(201);
    expect(upload.result.json.artifact).toMatchObject({ digest: await digest, sizeBytes: GiB });
    expect(filesUnder(path.join(workDir, 'store'))).toHaveLength(1);

    const startedDownload = Date.now();
    const download = await peakRss(async () => {
      const response = await fetch(`${originOf(app)}/api/v1/artifacts/${await digest}`, { headers: { authorization: `Bearer ${contributor.token}` } });
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        size += chunk.length;
      }
      return { status: response.status, digest: `sha256:${hash.digest('hex')}`, size };
    });
    const downloadMs = Date.now() - startedDownload;
    expect(download.result).toEqual({ status: 200, digest: await digest, size: GiB });

    const growth = { upload: (upload.peak - baseline) / MiB, download: (download.peak - baseline) / MiB };
    process.stderr.write(`1 GiB artifact: upload ${uploadMs} ms, download ${downloadMs} ms; peak RSS growth upload ${growth.upload.toFixed(0)} MiB, download ${growth.download.toFixed(0)} MiB\n`);
    expect(growth.upload).toBeLessThan(300);
    expect(growth.download).toBeLessThan(300);
  }, 180_000);
});

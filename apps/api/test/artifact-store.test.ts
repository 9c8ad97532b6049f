import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { loadArtifactSettings } from '../src/config';
import { FilesystemArtifactStore } from '../src/modules/artifact/artifact.store';
import { filesUnder } from './utils/artifact-http';

const sha256 = (bytes: string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

let root: string;
let store: FilesystemArtifactStore;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'pedigree-store-'));
  store = new FilesystemArtifactStore(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the filesystem artifact store', () => {
  it('stores bytes under their digest once, and reads them whole or by range', async () => {
    const first = await store.put(Readable.from(['hello ', 'world']), { maxBytes: 100 });
    expect(first).toEqual({ digest: sha256('hello world'), sizeBytes: 11 });
    expect(await store.put(Readable.from(['hello world']), { maxBytes: 100, expectedDigest: sha256('hello world') })).toEqual(first);
    const hex = first.digest.slice('sha256:'.length);
    expect(filesUnder(root)).toEqual([path.join('sha256', hex.slice(0, 2), hex.slice(2, 4), hex)]);
    expect(await text(await store.open(first.digest))).toBe('hello world');
    expect(await text(await store.open(first.digest, { start: 6, end: 10 }))).toBe('world');
    expect(await store.stat(first.digest)).toEqual(first);
    expect(await store.exists(sha256('absent'))).toBe(false);
    await expect(store.open(sha256('absent'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps nothing of a put that is too large, mismatched or failed', async () => {
    await expect(store.put(Readable.from(['x'.repeat(60), 'x'.repeat(60)]), { maxBytes: 100 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', maxBytes: 100 });
    await expect(store.put(Readable.from(['abc']), { maxBytes: 100, expectedDigest: sha256('abd') })).rejects.toMatchObject({ code: 'CONFLICT' });
    const failing = new Readable({ read() {} });
    failing.push('partial');
    setImmediate(() => failing.destroy(new Error('connection reset')));
    await expect(store.put(failing, { maxBytes: 100 })).rejects.toThrow('connection reset');
    expect(filesUnder(root)).toEqual([]);
  });
});

describe('artifact settings', () => {
  it('default to <data dir>/artifacts and 5 GiB', () => {
    expect(loadArtifactSettings({ PEDIGREE_DATA_DIR: '/srv/pedigree' })).toEqual({ directory: '/srv/pedigree/artifacts', maxBytes: 5 * 1024 ** 3 });
    expect(loadArtifactSettings({ PEDIGREE_ARTIFACT_DIR: '/mnt/artifacts', PEDIGREE_ARTIFACT_MAX_BYTES: '1024' })).toEqual({ directory: '/mnt/artifacts', maxBytes: 1024 });
    expect(() => loadArtifactSettings({ PEDIGREE_ARTIFACT_MAX_BYTES: 'lots' })).toThrow(/PEDIGREE_ARTIFACT_MAX_BYTES must be a positive integer/);
  });
});

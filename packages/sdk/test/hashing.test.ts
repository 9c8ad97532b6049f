import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { digestFromDvcMd5, dvcDirectoryListing, dvcHash } from '../src/hashing';

const md5 = (bytes: string | Buffer) => createHash('md5').update(bytes).digest('hex');

/** What dvc-data hashes for a directory: `json.dumps(entries sorted by relpath, sort_keys=True)`, run in Python itself. */
function pythonListing(entries: Array<{ md5: string; relpath: string }>): string {
  const script = 'import json, sys\nentries = json.load(sys.stdin)\nsys.stdout.write(json.dumps(sorted(entries, key=lambda e: e["relpath"]), sort_keys=True))';
  return execFileSync('python3', ['-c', script], { input: JSON.stringify(entries), encoding: 'utf8' });
}

describe('DVC 3 hashing', () => {
  it('serialises a directory listing exactly as Python json.dumps does, non-ASCII names included', () => {
    const entries = [
      { relpath: 'zeta/ü.csv', md5: md5('1') },
      { relpath: 'a "quoted"\\name.txt', md5: md5('2') },
      { relpath: 'Z-upper.txt', md5: md5('3') },
      { relpath: 'emoji-😀.txt', md5: md5('4') },
      { relpath: 'tab\there', md5: md5('5') },
      { relpath: 'ﬃ-ligature', md5: md5('6') },
    ];
    expect(dvcDirectoryListing(entries)).toBe(pythonListing(entries));
  });

  it('hashes a file by its md5 and a directory as <md5 of its listing>.dir', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pedigree-hash-'));
    try {
      await mkdir(path.join(dir, 'data', 'nested'), { recursive: true });
      await writeFile(path.join(dir, 'data', 'train.tsv'), 'x\ty\r\n');
      await writeFile(path.join(dir, 'data', 'nested', 'test.tsv'), 'z\n');
      // DVC 3 hashes the bytes as they are: the CRLF is not normalised as DVC 2 did.
      expect(await dvcHash(path.join(dir, 'data', 'train.tsv'))).toEqual({ contentHash: md5('x\ty\r\n'), hashAlgorithm: 'md5', sizeBytes: 5, fileCount: 1 });
      const listing = pythonListing([{ md5: md5('x\ty\r\n'), relpath: 'train.tsv' }, { md5: md5('z\n'), relpath: 'nested/test.tsv' }]);
      expect(await dvcHash(path.join(dir, 'data'))).toEqual({ contentHash: `${md5(listing)}.dir`, hashAlgorithm: 'md5', sizeBytes: 7, fileCount: 2 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('derives one artifact digest per md5', () => {
    expect(digestFromDvcMd5('d1f6e055f7f5e2827fcfae68d9b64d4c')).toBe(`sha256:${createHash('sha256').update('dvc-md5:d1f6e055f7f5e2827fcfae68d9b64d4c').digest('hex')}`);
    expect(digestFromDvcMd5('cfa72ff6e2575c44f78f423cada5b783')).not.toBe(digestFromDvcMd5('d1f6e055f7f5e2827fcfae68d9b64d4c'));
    expect(() => digestFromDvcMd5('not-an-md5')).toThrow(/is not an md5/);
  });
});

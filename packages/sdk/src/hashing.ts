import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface ContentDigest {
  /** Lowercase hex; a directory's DVC hash ends in ".dir". */
  contentHash: string;
  hashAlgorithm: 'md5';
  sizeBytes: number;
  fileCount: number;
}

async function fileDigest(file: string, algorithm: 'md5' | 'sha256'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `sha256:<hex>` of a file's bytes, as artifact digests are written. */
export async function sha256Digest(file: string): Promise<string> {
  return `sha256:${await fileDigest(file, 'sha256')}`;
}

/** Every regular file under `dir`, as POSIX paths relative to it. */
async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const relpath = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await filesUnder(dir, relpath)));
    else if (entry.isFile()) files.push(relpath);
  }
  return files;
}

/**
 * Python's `json.dumps(value)` with its default separators (", " and ": ") and `ensure_ascii`: what
 * DVC hashes. Only strings and flat objects of strings occur in a directory listing.
 */
function pythonJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${pythonJson(key)}: ${pythonJson(member)}`).join(', ')}}`;
}

/**
 * The listing whose md5 is a DVC directory hash: `json.dumps(tree.as_list(), sort_keys=True)` in
 * dvc-data, a JSON array of `{"md5": …, "relpath": …}` sorted by relpath (compared as Unicode code
 * points, as Python sorts strings).
 */
export function dvcDirectoryListing(entries: Array<{ md5: string; relpath: string }>): string {
  const byCodePoint = (a: string, b: string) => {
    const [x, y] = [Array.from(a), Array.from(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
      const difference = (x[i].codePointAt(0) as number) - (y[i].codePointAt(0) as number);
      if (difference !== 0) return difference;
    }
    return x.length - y.length;
  };
  const sorted = [...entries].sort((a, b) => byCodePoint(a.relpath, b.relpath));
  return pythonJson(sorted.map(({ md5, relpath }) => ({ md5, relpath })));
}

/**
 * Hashes a file or directory as DVC 3 does (`hash: md5`): a file by the md5 of its bytes; a
 * directory by the md5 of its listing, with ".dir" appended, plus its total size and file count.
 * Every regular file below the directory counts; DVC would also honour .dvcignore, which this does not read.
 */
export async function dvcHash(target: string): Promise<ContentDigest> {
  const info = await stat(target);
  if (info.isFile()) return { contentHash: await fileDigest(target, 'md5'), hashAlgorithm: 'md5', sizeBytes: info.size, fileCount: 1 };
  if (!info.isDirectory()) throw new Error(`${target} is neither a file nor a directory`);
  const entries: Array<{ md5: string; relpath: string }> = [];
  let sizeBytes = 0;
  for (const relpath of await filesUnder(target)) {
    const file = path.join(target, ...relpath.split('/'));
    entries.push({ md5: await fileDigest(file, 'md5'), relpath });
    sizeBytes += (await stat(file)).size;
  }
  const listing = dvcDirectoryListing(entries);
  return { contentHash: `${createHash('md5').update(listing, 'utf8').digest('hex')}.dir`, hashAlgorithm: 'md5', sizeBytes, fileCount: entries.length };
}

/**
 * A stand-in artifact digest for bytes known only by their DVC md5 (a model in a DVC remote that
 * is not at hand): `sha256:` + sha256 of the text "dvc-md5:<md5>". It is not the sha256 of the
 * bytes, but it is a function of them: the same md5 always gives the same digest, and different
 * md5s different ones, which is all `sameArtifactAs` compares.
 */
export function digestFromDvcMd5(md5: string): string {
  if (!/^[0-9a-f]{32}$/.test(md5)) throw new Error(`"${md5}" is not an md5 (32 lowercase hex characters)`);
  return `sha256:${createHash('sha256').update(`dvc-md5:${md5}`, 'utf8').digest('hex')}`;
}

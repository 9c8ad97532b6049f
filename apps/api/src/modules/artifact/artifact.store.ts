import { createHash, randomUUID } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, realpath, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { notFound } from '../../common/errors/app-error';
import { PATTERNS } from '../../common/validation/limits';
import { ArtifactTooLargeError, digestMismatch } from './artifact.errors';

export interface StoredBlob {
  /** `sha256:<64 hex>` of the bytes. */
  digest: string;
  sizeBytes: number;
}

export interface PutOptions {
  /** Reading stops, and nothing is stored, once more bytes than this arrive. */
  maxBytes: number;
  /** `sha256:<hex>` the client says it sends; other bytes are refused with CONFLICT. */
  expectedDigest?: string | null;
}

/** Inclusive byte offsets, as in an HTTP `Range` header. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Content-addressed bytes: stored once per SHA-256 digest, never changed. Callers know only
 * digests, so an object store can replace the filesystem without touching them.
 */
export interface ArtifactStore {
  /** Streams `source` in, hashing as the bytes pass. A failed or aborted put leaves nothing behind. */
  put(source: Readable, options: PutOptions): Promise<StoredBlob>;
  /** The bytes of a stored digest, or of a range of them; NOT_FOUND when absent. */
  open(digest: string, range?: ByteRange): Promise<Readable>;
  exists(digest: string): Promise<boolean>;
  /** Size of the stored bytes, or null when absent. */
  stat(digest: string): Promise<StoredBlob | null>;
}

function hexOf(digest: string): string {
  if (!PATTERNS.artifactDigest.test(digest)) throw new Error(`not a sha256 digest: ${digest}`);
  return digest.slice('sha256:'.length);
}

const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/**
 * The store on a local filesystem: `<root>/sha256/ab/cd/<hex>`. An upload is written to
 * `<root>/tmp/` and renamed into place once its digest is known, so a blob is either complete or
 * absent; a blob that already exists is kept and the new copy dropped.
 */
export class FilesystemArtifactStore implements ArtifactStore {
  constructor(readonly root: string) {}

  private blobPath(digest: string): string {
    const hex = hexOf(digest);
    return path.join(this.root, 'sha256', hex.slice(0, 2), hex.slice(2, 4), hex);
  }

  async put(source: Readable, { maxBytes, expectedDigest }: PutOptions): Promise<StoredBlob> {
    // An error of the source before the pipeline below takes it over must not go unhandled; the
    // pipeline still sees it, as the stream's `errored` state.
    source.on('error', () => {});
    const temporary = path.join(this.root, 'tmp', `${randomUUID()}.part`);
    await mkdir(path.dirname(temporary), { recursive: true });
    try {
      const hash = createHash('sha256');
      let sizeBytes = 0;
      // `flush`: the bytes are on disk before the rename makes them visible under their digest.
      const sink = createWriteStream(temporary, { flags: 'wx', mode: 0o444, flush: true });
      try {
        await pipeline(
          source,
          async function* meter(chunks: AsyncIterable<Buffer>) {
            for await (const chunk of chunks) {
              sizeBytes += chunk.length;
              if (sizeBytes > maxBytes) throw new ArtifactTooLargeError(maxBytes);
              hash.update(chunk);
              yield chunk;
            }
          },
          sink,
        );
      } finally {
        // A pipeline that failed early may still be creating the file: once closed, the removal below finds it.
        if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
      }
      const digest = `sha256:${hash.digest('hex')}`;
      if (expectedDigest && expectedDigest !== digest) throw digestMismatch(expectedDigest, digest);
      const target = this.blobPath(digest);
      if (!(await this.isRegularFile(target))) {
        await mkdir(path.dirname(target), { recursive: true });
        await rename(temporary, target);
        await this.syncDirectory(path.dirname(target));
      }
      return { digest, sizeBytes };
    } finally {
      // Gone already after a rename; otherwise the partial or duplicate copy goes now.
      await rm(temporary, { force: true });
    }
  }

  async open(digest: string, range?: ByteRange): Promise<Readable> {
    const file = await this.locate(digest);
    if (!file) throw notFound(`Artifact ${digest}`);
    // O_NOFOLLOW: a symlink swapped in after `locate` is refused, not followed out of the store.
    const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async exists(digest: string): Promise<boolean> {
    return (await this.stat(digest)) !== null;
  }

  async stat(digest: string): Promise<StoredBlob | null> {
    const file = await this.locate(digest);
    if (!file) return null;
    return { digest, sizeBytes: (await lstat(file)).size };
  }

  /** The blob's path if it is a regular file really inside the store: symlinks lead nowhere. */
  private async locate(digest: string): Promise<string | null> {
    const file = this.blobPath(digest);
    try {
      if (!(await this.isRegularFile(file))) return null;
      const [realRoot, realDirectory] = await Promise.all([realpath(this.root), realpath(path.dirname(file))]);
      return realDirectory.startsWith(realRoot + path.sep) ? file : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  private async isRegularFile(file: string): Promise<boolean> {
    try {
      return (await lstat(file)).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** Makes the rename durable: a crash after the database commit must not lose the blob's name. */
  private async syncDirectory(directory: string): Promise<void> {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

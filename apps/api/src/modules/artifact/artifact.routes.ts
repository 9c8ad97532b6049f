import { pipeline } from 'node:stream/promises';
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { DataSource } from 'typeorm';
import { authenticate } from '../../common/auth/authenticate';
import type { Viewer } from '../../common/auth/viewer';
import { AppError, AppErrorCode, badInput, notFound } from '../../common/errors/app-error';
import { currentRequestId } from '../../common/request-context';
import { PATTERNS } from '../../common/validation/limits';
import type { ArtifactSettings } from '../../config';
import { logger } from '../../logger';
import { auditedTransaction, recordAudit } from '../audit/audit.service';
import type { RunArtifact } from '../run/run.entity';
import { decodePercentEscapes } from './artifact-path';
import { ArtifactTooLargeError } from './artifact.errors';
import { ArtifactService } from './artifact.service';
import { type ArtifactStore, type ByteRange, FilesystemArtifactStore } from './artifact.store';
import { ArtifactKind, MAX_MEDIA_TYPE_LENGTH, MEDIA_TYPE, parseArtifactKind, runArtifactPath } from './artifact.types';
import { sendHttpError } from '../../common/errors/http-error';


/**
 * `/api/v1/runs/<run id>/artifacts/<path>`, matched without capture groups so that express does not
 * decode the path: it is decoded exactly once here, and `assertArtifactPath` sees every further layer.
 */
const RUN_ARTIFACT_ROUTE = /^\/api\/v1\/runs\/[^/]+\/artifacts\/.*$/;
const RUN_ARTIFACT_PARTS = /^\/api\/v1\/runs\/([^/]+)\/artifacts\/(.*)$/;
const UPLOAD_ROUTE = 'PUT /api/v1/runs/:runId/artifacts/*path';

/** Downloads are never run as a page of the API's origin: an uploaded HTML or SVG file stays inert. */
const DOWNLOAD_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  'cache-control': 'private, no-cache',
};

function decodedUrlPart(raw: string): string {
  try {
    return decodePercentEscapes(raw);
  } catch {
    throw badInput('The URL holds percent escapes that are not valid UTF-8.');
  }
}

function runArtifactTarget(req: Request): { runId: string; path: string } {
  const [, runId, path] = RUN_ARTIFACT_PARTS.exec(req.path) as RegExpExecArray;
  return { runId: decodedUrlPart(runId), path: decodedUrlPart(path) };
}

async function signedInViewer(dataSource: DataSource, secret: string, req: Request): Promise<Viewer> {
  const { viewer, failure } = await authenticate(dataSource, secret, req.header('authorization'));
  if (!viewer) throw new AppError(AppErrorCode.UNAUTHENTICATED, failure ?? 'Send Authorization: Bearer <token>.');
  return viewer;
}

function kindOf(raw: unknown): ArtifactKind {
  if (raw === undefined) return ArtifactKind.OTHER;
  const kind = typeof raw === 'string' ? parseArtifactKind(raw) : null;
  if (!kind) throw badInput(`kind must be one of ${Object.values(ArtifactKind).join(', ')}.`);
  return kind;
}

function mediaTypeOf(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return 'application/octet-stream';
  const mediaType = raw.trim();
  if (mediaType.length > MAX_MEDIA_TYPE_LENGTH || !MEDIA_TYPE.test(mediaType)) {
    throw badInput(`content-type must be a media type such as "image/png" or "text/plain; charset=utf-8", at most ${MAX_MEDIA_TYPE_LENGTH} characters.`);
  }
  return mediaType;
}

function expectedDigestOf(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (!PATTERNS.artifactDigest.test(raw)) throw badInput('x-pedigree-digest must be "sha256:" followed by 64 lowercase hex characters.');
  return raw;
}

/** What the upload answers with, and the shape clients read. */
function described(artifact: RunArtifact) {
  return {
    runId: artifact.runId,
    path: artifact.path,
    digest: artifact.digest,
    sizeBytes: artifact.sizeBytes,
    mediaType: artifact.mediaType,
    kind: artifact.kind,
    downloadUrl: runArtifactPath(artifact.runId, artifact.path),
  };
}

/** `inline` with the file's name; `filename*` carries names that are not plain ASCII. */
function contentDisposition(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Whether an `If-None-Match` list names this entity tag. Unlike `req.fresh`, a request's
 * `Cache-Control: no-cache` does not stop the 304: the tag is checked against the store every time.
 */
function namesEntityTag(header: string | undefined, etag: string): boolean {
  return !!header && header.split(',').some((tag) => ['*', etag].includes(tag.trim().replace(/^W\//, '')));
}

/**
 * The one range to send, null for the whole file, or 'unsatisfiable'. Several ranges, a malformed
 * header, or an `If-Range` naming other bytes get the whole file, as RFC 9110 allows.
 */
function requestedRange(req: Request, size: number, etag: string): ByteRange | null | 'unsatisfiable' {
  if (!req.header('range')) return null;
  const ifRange = req.header('if-range');
  if (ifRange !== undefined && ifRange !== etag) return null;
  const ranges = req.range(size, { combine: true });
  if (ranges === -1) return 'unsatisfiable';
  if (ranges === undefined || ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return null;
  return { start: ranges[0].start, end: ranges[0].end };
}

function sendError(req: Request, res: Response, error: unknown): void {
  // Without this, Node would read the rest of an unread upload, possibly gigabytes, to keep the connection.
  if (!res.headersSent && !req.complete) res.setHeader('connection', 'close');
  sendHttpError(res, error, 'artifact request', error instanceof ArtifactTooLargeError ? 413 : undefined);
}

/** A refused upload is a denied write, recorded like the GraphQL mutations refused for lack of rights. */
async function recordDeniedUpload(dataSource: DataSource, viewer: Viewer | null, runId: string, error: AppError): Promise<void> {
  const projectId = typeof error.details?.projectId === 'string' ? error.details.projectId : null;
  await auditedTransaction(dataSource, async (manager) => {
    recordAudit(manager, viewer, { action: 'access.denied', entityType: 'Route', entityId: UPLOAD_ROUTE, projectId, after: { route: UPLOAD_ROUTE, runId, code: error.code, reason: error.message } });
  });
}

function uploadHandler(dataSource: DataSource, secret: string, service: ArtifactService, maxBytes: number) {
  return async (req: Request, res: Response): Promise<void> => {
    let viewer: Viewer | null = null;
    let runId = '';
    try {
      viewer = await signedInViewer(dataSource, secret, req);
      const target = runArtifactTarget(req);
      runId = target.runId;
      // A declared size over the limit is refused before a byte is read; an undeclared one is counted.
      if (Number(req.header('content-length')) > maxBytes) throw new ArtifactTooLargeError(maxBytes);
      const { artifact, created } = await service.upload(viewer, {
        ...target,
        kind: kindOf(req.query.kind),
        mediaType: mediaTypeOf(req.header('content-type')),
        expectedDigest: expectedDigestOf(req.header('x-pedigree-digest')),
        body: req,
      });
      res.status(created ? 201 : 200).location(runArtifactPath(artifact.runId, artifact.path)).json({ artifact: described(artifact) });
    } catch (error) {
      if (req.destroyed && !req.complete) {
        logger.info({ runId, requestId: currentRequestId() }, 'artifact upload aborted by the client; nothing was recorded');
        return;
      }
      sendError(req, res, error);
      const denied = error instanceof AppError && (error.code === AppErrorCode.FORBIDDEN || error.code === AppErrorCode.UNAUTHENTICATED);
      if (denied) await recordDeniedUpload(dataSource, viewer, runId, error).catch((auditError) => logger.error({ err: auditError }, 'could not record a denied upload'));
    }
  };
}

/** Streams stored bytes with their validators: ETag = digest, `Range` → 206, `If-None-Match` → 304, HEAD without a body. */
async function sendArtifact(store: ArtifactStore, req: Request, res: Response, artifact: RunArtifact, disposition?: string): Promise<void> {
  const digest = artifact.digest as string;
  const blob = await store.stat(digest);
  if (!blob) {
    logger.error({ digest, runId: artifact.runId, path: artifact.path }, 'a recorded artifact is missing from the store');
    throw notFound(`Artifact ${digest}`);
  }
  const etag = `"${digest}"`;
  res.set({ ...DOWNLOAD_SECURITY_HEADERS, etag, 'accept-ranges': 'bytes', 'content-type': artifact.mediaType ?? 'application/octet-stream' });
  if (disposition) res.setHeader('content-disposition', disposition);
  if (namesEntityTag(req.header('if-none-match'), etag)) {
    res.status(304).end();
    return;
  }
  const range = requestedRange(req, blob.sizeBytes, etag);
  if (range === 'unsatisfiable') {
    res.setHeader('content-range', `bytes */${blob.sizeBytes}`);
    res.removeHeader('content-disposition');
    res.status(416).json({ errors: [{ message: `The range is outside the ${blob.sizeBytes} bytes of the artifact.`, extensions: { code: AppErrorCode.BAD_USER_INPUT, sizeBytes: blob.sizeBytes } }] });
    return;
  }
  if (range) res.status(206).setHeader('content-range', `bytes ${range.start}-${range.end}/${blob.sizeBytes}`);
  res.setHeader('content-length', range ? range.end - range.start + 1 : blob.sizeBytes);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const bytes = await store.open(digest, range ?? undefined);
  try {
    await pipeline(bytes, res);
  } catch (error) {
    // A client that stops reading (a closed tab, a cancelled download) is not a server error.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  }
}

function downloadByPathHandler(dataSource: DataSource, secret: string, service: ArtifactService, store: ArtifactStore) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const viewer = await signedInViewer(dataSource, secret, req);
      const { runId, path } = runArtifactTarget(req);
      const artifact = await service.byRunAndPath(viewer, runId, path);
      await sendArtifact(store, req, res, artifact, contentDisposition(artifact.path));
    } catch (error) {
      sendError(req, res, error);
    }
  };
}

function downloadByDigestHandler(dataSource: DataSource, secret: string, service: ArtifactService, store: ArtifactStore) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const viewer = await signedInViewer(dataSource, secret, req);
      const artifact = await service.byDigest(viewer, String(req.params.digest));
      await sendArtifact(store, req, res, artifact);
    } catch (error) {
      sendError(req, res, error);
    }
  };
}

/** Errors raised by express before a handler runs (a malformed `%` in the digest), in the same JSON shape. */
function routingErrors(error: unknown, req: Request, res: Response, next: NextFunction): void {
  const status = (error as { status?: number }).status;
  if (res.headersSent || status !== 400) return next(error);
  sendError(req, res, badInput('The URL holds percent escapes that are not valid UTF-8.'));
}

/**
 * The artifact routes, all with `Authorization: Bearer <token>`:
 * - `PUT /api/v1/runs/:runId/artifacts/*path[?kind=MODEL|CHECKPOINT|PLOT|LOG|OTHER]` — the body is
 *   the file, streamed into the store; CONTRIBUTOR of the run's project, run RUNNING. Optional
 *   `x-pedigree-digest: sha256:<hex>`. 201 with `{ artifact }`; 200 when the same bytes were already
 *   there (a retry); 409 for other bytes at that path or a digest mismatch; 413 over the size limit.
 * - `GET|HEAD /api/v1/runs/:runId/artifacts/*path` and `GET|HEAD /api/v1/artifacts/:digest` — the
 *   bytes, for a VIEWER of a project whose run uploaded them; 404 for everyone else.
 * Errors have the GraphQL shape: `{ errors: [{ message, extensions: { code } }] }`.
 */
export function artifactRouter(dataSource: DataSource, secret: string, settings: ArtifactSettings): Router {
  const store = new FilesystemArtifactStore(settings.directory);
  const service = new ArtifactService(dataSource, store, settings.maxBytes);
  const router = Router();
  router.put(RUN_ARTIFACT_ROUTE, uploadHandler(dataSource, secret, service, settings.maxBytes));
  router.get(RUN_ARTIFACT_ROUTE, downloadByPathHandler(dataSource, secret, service, store));
  router.get('/api/v1/artifacts/:digest', downloadByDigestHandler(dataSource, secret, service, store));
  router.use(routingErrors);
  return router;
}

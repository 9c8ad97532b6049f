import type { Response } from 'express';
import { logger } from '../../logger';
import { currentRequestId } from '../request-context';
import { AppError, AppErrorCode } from './app-error';
import { databaseUnavailableAnswer, isDatabaseUnavailable, translatePostgresError } from './postgres-errors';

const HTTP_STATUS: Record<AppErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
};

/**
 * Answers a failed HTTP route (export, upload, ingest) in the shape GraphQL errors have, with the
 * status that fits the code. Unknown errors are masked like GraphQL's: the request id, and the stack
 * in the log. Once a stream has begun, the connection is cut instead, so a truncated body is never
 * taken for a whole one.
 */
export function sendHttpError(res: Response, error: unknown, what: string, status?: number): void {
  if (res.headersSent) {
    logger.error({ err: error }, `${what} failed midway`);
    res.destroy(error instanceof Error ? error : undefined);
    return;
  }
  const appError = error instanceof AppError ? error : translatePostgresError(error);
  if (appError) {
    res.status(status ?? HTTP_STATUS[appError.code]).json({ errors: [{ message: appError.message, extensions: { code: appError.code, ...appError.details } }] });
    return;
  }
  const requestId = currentRequestId();
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error, requestId }, `${what} failed: database unavailable`);
    res.status(503).setHeader('retry-after', '5').json({ errors: [databaseUnavailableAnswer(requestId)] });
    return;
  }
  logger.error({ err: error, requestId }, `${what} failed`);
  res.status(500).json({ errors: [{ message: `Internal error. Quote request id ${String(requestId ?? 'unknown')} when you report it.`, extensions: { code: AppErrorCode.INTERNAL_SERVER_ERROR, requestId } }] });
}

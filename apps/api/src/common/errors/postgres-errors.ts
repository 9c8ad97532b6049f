import { QueryFailedError } from 'typeorm';
import { AppError, AppErrorCode } from './app-error';

interface PostgresDriverError {
  code?: string;
  constraint?: string;
}

/** The SQLSTATE of a failed statement, if the error came from PostgreSQL. */
export function postgresCode(error: unknown): string | undefined {
  if (error instanceof QueryFailedError) return (error.driverError as PostgresDriverError).code;
  return undefined;
}

export const isUniqueViolation = (error: unknown) => postgresCode(error) === '23505';

/**
 * Turns the database's refusals that a client can act on into typed errors. Anything else stays
 * an internal error, masked for the client.
 */
export function translatePostgresError(error: unknown): AppError | undefined {
  switch (postgresCode(error)) {
    case '23505':
      return new AppError(AppErrorCode.CONFLICT, 'That already exists; read it instead of creating it again');
    case '23000':
      return new AppError(AppErrorCode.CONFLICT, 'That record is fixed and cannot be changed');
    // Values PostgreSQL cannot store or read as typed: the input was wrong, whichever check missed it.
    case '22021':
    case '22P05':
      return new AppError(AppErrorCode.BAD_USER_INPUT, 'Text cannot contain NUL (\\u0000) characters; remove them and retry');
    case '22P02':
      return new AppError(AppErrorCode.BAD_USER_INPUT, 'A value has the wrong form, such as an id that is not a UUID; check the input');
    case '22003':
      return new AppError(AppErrorCode.BAD_USER_INPUT, 'A number is out of range; check the input');
    case '40001':
    case '40P01':
      return new AppError(AppErrorCode.CONFLICT, 'A concurrent change got there first; read the latest state and retry');
    default:
      return undefined;
  }
}

/** Socket failures of a connection to the database server. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** What pg says when a connection dies or cannot be made in time. */
const CONNECTION_MESSAGES = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;
/** TypeORM's answer to a query on a transaction whose connection pg already dropped after an error. */
const RELEASED_RUNNER_ERRORS = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

/**
 * Whether the database could not be reached or dropped the connection (restart, failover, network):
 * SQLSTATE class 08, a server shutting down or starting (57P01–57P03), a refused or reset socket.
 * The same request may succeed when retried.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current = error as { code?: unknown; message?: unknown; name?: unknown; originalError?: unknown; driverError?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    const code = typeof current.code === 'string' ? current.code : '';
    if (code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code) || CONNECTION_ERRNOS.has(code)) return true;
    if (typeof current.message === 'string' && CONNECTION_MESSAGES.test(current.message)) return true;
    if (typeof current.name === 'string' && RELEASED_RUNNER_ERRORS.has(current.name)) return true;
    current = (current.originalError ?? current.driverError ?? current.cause) as typeof current;
  }
  return false;
}

/**
 * What a client is told when the database cannot be reached: not a bug to report but an outage to
 * wait out, so the answer says to retry (writes with an idempotency key are safe to repeat).
 */
export function databaseUnavailableAnswer(requestId: string | undefined) {
  return {
    message: `The database is unavailable; retry in a few seconds (request id ${String(requestId ?? 'unknown')}).`,
    extensions: { code: AppErrorCode.INTERNAL_SERVER_ERROR, requestId, retryable: true },
  };
}

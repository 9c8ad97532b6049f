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
    case '40001':
    case '40P01':
      return new AppError(AppErrorCode.CONFLICT, 'A concurrent change got there first; read the latest state and retry');
    default:
      return undefined;
  }
}

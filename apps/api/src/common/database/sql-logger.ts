import type { Logger as TypeOrmLogger } from 'typeorm';
import { logger } from '../../logger';

let statementsIssued = 0;

/** How many SQL statements this process has sent; tests diff it around a request to catch N+1 reads. */
export function sqlStatementCount(): number {
  return statementsIssued;
}

/** Counts a statement sent around TypeORM, such as a COPY on a raw connection. */
export function countStatement(): void {
  statementsIssued += 1;
}

/** Counts statements and logs slow or failing ones; the SQL of a failure goes to the log, never to clients. */
export class SqlLogger implements TypeOrmLogger {
  logQuery(): void {
    countStatement();
  }

  logQueryError(error: string | Error, query: string): void {
    logger.debug({ err: error, query }, 'SQL statement failed');
  }

  logQuerySlow(time: number, query: string): void {
    logger.warn({ ms: time, query }, 'slow SQL statement');
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    logger.info({ migration: message }, 'migration');
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') logger.warn({ typeorm: message }, 'typeorm');
  }
}

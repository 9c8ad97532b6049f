import type { EntityManager } from 'typeorm';

/**
 * Serialises writers of one logical key (an idempotency key, a commit's identity) until the
 * transaction ends, so concurrent duplicates see each other's row instead of racing.
 */
export async function lockKey(manager: EntityManager, key: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [key]);
}

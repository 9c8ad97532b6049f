import { createHash } from 'node:crypto';

/** The `prev_hash` of the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that its hash covers, in the form they are stored and read back. */
export interface ChainedEvent {
  seq: number;
  projectId: string | null;
  actorUserId: string | null;
  actorTokenId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  comment: string | null;
  requestId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  /** ISO 8601 in UTC with milliseconds, e.g. "2026-11-26T23:40:00.000Z". */
  occurredAt: string;
}

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, `undefined` members left out,
 * numbers and strings as JSON.stringify writes them. A value that went through PostgreSQL's jsonb
 * and back yields the same text, so a verifier recomputes exactly what the writer hashed.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}

/** `hash = sha256(prev_hash || canonical JSON of the event)`, as lowercase hex over UTF-8 text. */
export function chainHash(prevHash: string, event: ChainedEvent): string {
  return createHash('sha256').update(prevHash + canonicalJson(event), 'utf8').digest('hex');
}

/** A value as it will read back from jsonb: dates become strings, undefined members disappear. */
export function asStoredJson<T>(value: T): T | null {
  return value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
}

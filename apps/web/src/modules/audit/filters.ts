/** The audit page's filters as they travel in its URL, shared by the page, its form and the CSV export. */
export interface AuditFilters {
  action?: string;
  actor?: string;
  entity?: string;
  /** `YYYY-MM-DDTHH:mm` in UTC, as a datetime-local input gives it. */
  since?: string;
  until?: string;
}

const FILTER_KEYS = ['action', 'actor', 'entity', 'since', 'until'] as const;

export function readAuditFilters(params: Record<string, string | string[] | undefined>): AuditFilters {
  const filters: AuditFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params[key];
    if (typeof value === 'string' && value.trim()) filters[key] = value.trim();
  }
  return filters;
}

/** A datetime-local value read as UTC, as an ISO string; undefined when empty, null when invalid. */
export function utcInstant(value: string | undefined): string | undefined | null {
  if (!value) return undefined;
  const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The query string of a filtered view, plus `extra` (a cursor, a project key). */
export function auditQuery(filters: AuditFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return query ? `?${query}` : '';
}

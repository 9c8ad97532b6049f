import type { NextRequest } from 'next/server';
import { apiBaseUrl } from '@/lib/apollo/client';
import { readSessionToken } from '@/lib/session';
import { readAuditFilters, utcInstant } from '@/modules/audit/filters';

/**
 * Streams the API's CSV export of a project's audit trail, with the same filters as /audit. The
 * session token stays in its httpOnly cookie: the browser never holds it, so this handler adds it
 * as the bearer token. A GET that reads only; the API checks the project membership.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const token = await readSessionToken();
  if (!token) return plainText(401, 'Sign in to download the audit trail.');

  const params = Object.fromEntries(request.nextUrl.searchParams);
  const filters = readAuditFilters(params);
  const since = utcInstant(filters.since);
  const until = utcInstant(filters.until);
  if (since === null || until === null) return plainText(400, 'The time filters must be dates and times.');

  const url = new URL(`${apiBaseUrl()}/api/audit/export`);
  url.searchParams.set('project', params.project ?? '');
  url.searchParams.set('format', 'csv');
  const forwarded: Record<string, string | undefined> = {
    action: filters.action,
    actorId: filters.actor,
    entityId: filters.entity,
    since,
    until,
  };
  for (const [key, value] of Object.entries(forwarded)) if (value) url.searchParams.set(key, value);

  let upstream: Response;
  try {
    upstream = await fetch(url, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
  } catch (error) {
    console.error('Audit export request failed', error);
    return plainText(502, 'Could not reach the Pedigree API. Try again in a moment.');
  }
  if (!upstream.ok || !upstream.body) return plainText(upstream.status, await apiMessage(upstream));

  return new Response(upstream.body, {
    headers: {
      'content-type': upstream.headers.get('content-type') ?? 'text/csv; charset=utf-8',
      'content-disposition': upstream.headers.get('content-disposition') ?? 'attachment; filename="audit.csv"',
      'cache-control': 'no-store',
    },
  });
}

async function apiMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { errors?: Array<{ message?: string }> };
    return body.errors?.[0]?.message ?? `The API answered ${response.status}.`;
  } catch {
    return `The API answered ${response.status}.`;
  }
}

function plainText(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

import type { NextRequest } from 'next/server';
import { apiBaseUrl } from '@/lib/apollo/client';
import { readSessionToken } from '@/lib/session';

/** Response headers of the API's download worth keeping: type, size, caching, ranges, and its sandboxing. */
const PASSED_HEADERS = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'etag', 'content-security-policy', 'x-content-type-options', 'content-disposition'];

/**
 * Streams a stored artifact from the API, adding the session's bearer token (the browser never holds
 * it). The API decides who may read the bytes: anyone else gets its 404.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ digest: string }> }): Promise<Response> {
  const token = await readSessionToken();
  if (!token) return new Response('Sign in to download artifacts.\n', { status: 401, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const { digest } = await params;
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) return new Response('Not an artifact digest.\n', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const range = request.headers.get('range');
  let upstream: Response;
  try {
    upstream = await fetch(`${apiBaseUrl()}/api/v1/artifacts/${digest}`, {
      headers: { authorization: `Bearer ${token}`, ...(range ? { range } : {}) },
      cache: 'no-store',
    });
  } catch (error) {
    console.error('Artifact download failed', error);
    return new Response('Could not reach the Pedigree API. Try again in a moment.\n', { status: 502, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const headers = new Headers({ 'cache-control': 'private, no-store' });
  for (const name of PASSED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers });
}

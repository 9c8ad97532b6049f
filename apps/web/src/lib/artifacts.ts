import { apiBaseUrl } from '@/lib/apollo/client';
import { readSessionToken } from '@/lib/session';

/** Where the browser downloads an artifact: the web app's own route, which adds the session. */
export const artifactHref = (digest: string) => `/artifacts/${encodeURIComponent(digest)}`;

/** At most this much of a log is shown inline; the rest is a download away. */
export const LOG_PREVIEW_BYTES = 64 * 1024;

/** The beginning of a stored text artifact, for showing a run's log on its page; null when unreadable. */
export async function artifactTextPreview(digest: string): Promise<{ text: string; truncated: boolean } | null> {
  const token = await readSessionToken();
  if (!token) return null;
  try {
    const response = await fetch(`${apiBaseUrl()}/api/v1/artifacts/${digest}`, {
      headers: { authorization: `Bearer ${token}`, range: `bytes=0-${LOG_PREVIEW_BYTES - 1}` },
      cache: 'no-store',
    });
    if (!response.ok) return null;
    const total = Number(response.headers.get('content-range')?.split('/')[1] ?? response.headers.get('content-length'));
    return { text: await response.text(), truncated: Number.isFinite(total) && total > LOG_PREVIEW_BYTES };
  } catch {
    return null;
  }
}

const PLACEHOLDER_ORIGIN = 'http://web.invalid';

/**
 * The path of the web app to land on after signing in, or null for anything that could lead
 * elsewhere: absolute URLs, `//host` and `/\host` (other hosts to a browser), control characters.
 */
export function webAppPath(raw: unknown): string | null {
  if (raw === undefined || raw === '') return '/';
  if (typeof raw !== 'string' || raw.length > 2048) return null;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || /[\u0000-\u001f\u007f]/.test(raw)) return null;
  const url = new URL(raw, PLACEHOLDER_ORIGIN);
  return url.origin === PLACEHOLDER_ORIGIN ? `${url.pathname}${url.search}${url.hash}` : null;
}

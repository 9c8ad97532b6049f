import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What the callback needs to finish a sign-in that this browser started. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  /** The provider was asked to authenticate the user afresh (`prompt=login`). */
  reauthenticate: boolean;
  /** Epoch milliseconds; after this the sign-in must start again. */
  expiresAt: number;
}

export const PENDING_SIGN_IN_COOKIE = 'pedigree_oidc';
export const PENDING_SIGN_IN_MS = 10 * 60_000;

const IV_BYTES = 12;
const TAG_BYTES = 16;

const cookieKey = (secret: string) => Buffer.from(hkdfSync('sha256', secret, 'pedigree', 'oidc pending sign-in cookie', 32));

/**
 * Seals a pending sign-in into a cookie value with AES-256-GCM under a key derived from
 * PEDIGREE_SECRET: the browser can neither read the PKCE verifier nor forge a state, and any API
 * replica can open it, so no replica keeps sign-in state.
 */
export function sealPendingSignIn(pending: PendingSignIn, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', cookieKey(secret), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(pending), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The pending sign-in in a cookie value, or null when it is missing, altered or expired. */
export function openPendingSignIn(value: string | undefined, secret: string, now = Date.now()): PendingSignIn | null {
  if (!value) return null;
  try {
    const raw = Buffer.from(value, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', cookieKey(secret), raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const pending = JSON.parse(Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')) as PendingSignIn;
    return pending.expiresAt > now ? pending : null;
  } catch {
    return null;
  }
}

import { createHash, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import jwt from 'jsonwebtoken';
import { AuthMethod } from './viewer';

const BCRYPT_ROUNDS = 11;
/** API tokens are recognisable in logs and secret scanners by this prefix. */
export const API_TOKEN_PREFIX = 'pdg_';

export const hashPassword = (password: string) => bcrypt.hash(password, BCRYPT_ROUNDS);

/** A hash to compare against when the email is unknown, so a miss takes as long as a wrong password. */
const UNKNOWN_USER_HASH = bcrypt.hashSync('no such user', BCRYPT_ROUNDS);

/** A missing hash (unknown email, or a single sign-on user without a password) never matches. */
export function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  return bcrypt.compare(password, hash ?? UNKNOWN_USER_HASH).then((matches) => matches && typeof hash === 'string');
}

/** What a session token says: who signed in, how, and when they proved it. */
export interface Session {
  userId: string;
  method: Exclude<AuthMethod, 'API_TOKEN'>;
  /** When the password was checked, or when the identity provider authenticated the user. */
  authenticatedAt: Date;
}

const signingKeys = new Map<string, KeyObject>();

/**
 * The secret as a KeyObject, made once: given a string, jsonwebtoken first tries it as a PEM public
 * key and builds a new key object on every call, which cost a tenth of the API's CPU under load.
 */
function signingKey(secret: string): KeyObject {
  let key = signingKeys.get(secret);
  if (!key) signingKeys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

export function signSessionToken(session: Session, secret: string, hours: number): string {
  return jwt.sign({ typ: 'session', auth_method: session.method, auth_time: Math.floor(session.authenticatedAt.getTime() / 1000) }, signingKey(secret), {
    subject: session.userId,
    expiresIn: `${hours}h`,
    algorithm: 'HS256',
  });
}

/** Session tokens already verified, so a client's every request does not redo the signature check. */
const verifiedSessions = new Map<string, { secret: string; session: Session; expiresAtMs: number }>();
const VERIFIED_SESSIONS_KEPT = 10_000;

/** The session of a valid session token; throws jsonwebtoken's errors (expired, bad signature) otherwise. */
export function verifySessionToken(token: string, secret: string): Session {
  const known = verifiedSessions.get(token);
  // An expired or foreign entry falls through to jsonwebtoken, which throws the error that says why.
  if (known && known.secret === secret && Date.now() < known.expiresAtMs) return known.session;
  const payload = jwt.verify(token, signingKey(secret), { algorithms: ['HS256'] });
  if (typeof payload === 'string' || payload.typ !== 'session' || !payload.sub || typeof payload.exp !== 'number') throw new Error('not a session token');
  // Tokens issued before sign-in methods were recorded came from a password login when they were issued.
  const authTime = typeof payload.auth_time === 'number' ? payload.auth_time : (payload.iat ?? 0);
  const session = { userId: payload.sub, method: payload.auth_method === AuthMethod.OIDC ? AuthMethod.OIDC : AuthMethod.PASSWORD, authenticatedAt: new Date(authTime * 1000) };
  // Oldest first out: a Map iterates in insertion order.
  if (verifiedSessions.size >= VERIFIED_SESSIONS_KEPT) verifiedSessions.delete(verifiedSessions.keys().next().value as string);
  verifiedSessions.set(token, { secret, session, expiresAtMs: payload.exp * 1000 });
  return session;
}

export function newApiTokenSecret(): string {
  return API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** API tokens are high-entropy, so a fast hash suffices; only this hash is stored. */
export const hashApiToken = (token: string) => createHash('sha256').update(token).digest('hex');

import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import jwt from 'jsonwebtoken';

const BCRYPT_ROUNDS = 11;
/** API tokens are recognisable in logs and secret scanners by this prefix. */
export const API_TOKEN_PREFIX = 'pdg_';

export const hashPassword = (password: string) => bcrypt.hash(password, BCRYPT_ROUNDS);

/** A hash to compare against when the email is unknown, so a miss takes as long as a wrong password. */
const UNKNOWN_USER_HASH = bcrypt.hashSync('no such user', BCRYPT_ROUNDS);

export function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  return bcrypt.compare(password, hash ?? UNKNOWN_USER_HASH).then((matches) => matches && hash !== undefined);
}

export function signSessionToken(userId: string, secret: string, hours: number): string {
  return jwt.sign({ typ: 'session' }, secret, { subject: userId, expiresIn: `${hours}h`, algorithm: 'HS256' });
}

/** The user id of a valid session token; throws jsonwebtoken's errors (expired, bad signature) otherwise. */
export function verifySessionToken(token: string, secret: string): string {
  const payload = jwt.verify(token, secret, { algorithms: ['HS256'] });
  if (typeof payload === 'string' || payload.typ !== 'session' || !payload.sub) throw new Error('not a session token');
  return payload.sub;
}

export function newApiTokenSecret(): string {
  return API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** API tokens are high-entropy, so a fast hash suffices; only this hash is stored. */
export const hashApiToken = (token: string) => createHash('sha256').update(token).digest('hex');

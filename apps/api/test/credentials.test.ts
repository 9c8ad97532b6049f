import { signSessionToken, verifySessionToken } from '../src/common/auth/credentials';
import { AuthMethod } from '../src/common/auth/viewer';

const SECRET = 'a-session-secret-long-enough-for-hs256-0123456789';
const session = { userId: '0b9e4a3c-6f0e-4f7e-9a43-3c1f9f5b2d11', method: AuthMethod.PASSWORD, authenticatedAt: new Date('2026-11-27T08:00:00Z') } as const;

describe('session tokens', () => {
  afterEach(() => jest.useRealTimers());

  it('verifies a token it signed, again from memory, with the same session', () => {
    const token = signSessionToken(session, SECRET, 1);
    const first = verifySessionToken(token, SECRET);
    expect(first).toEqual({ userId: session.userId, method: AuthMethod.PASSWORD, authenticatedAt: session.authenticatedAt });
    expect(verifySessionToken(token, SECRET)).toEqual(first);
  });

  it('refuses a verified token once it expires', () => {
    jest.useFakeTimers({ now: new Date('2026-11-27T09:00:00Z') });
    const token = signSessionToken(session, SECRET, 1);
    expect(verifySessionToken(token, SECRET).userId).toBe(session.userId);
    jest.setSystemTime(new Date('2026-11-27T10:00:01Z'));
    expect(() => verifySessionToken(token, SECRET)).toThrow(expect.objectContaining({ name: 'TokenExpiredError' }));
  });

  it('refuses a verified token under another secret, and a token with a changed signature', () => {
    const token = signSessionToken(session, SECRET, 1);
    verifySessionToken(token, SECRET);
    expect(() => verifySessionToken(token, `${SECRET}-rotated`)).toThrow(/invalid signature/);
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(() => verifySessionToken(tampered, SECRET)).toThrow(/invalid signature/);
  });
});

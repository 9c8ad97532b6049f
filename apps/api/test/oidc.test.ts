import { ConfigError, loadOidcSettings } from '../src/config';
import { openPendingSignIn, type PendingSignIn, sealPendingSignIn } from '../src/modules/oidc/pending-sign-in';
import { webAppPath } from '../src/modules/oidc/return-to';

const SECRET = 'test-secret-that-is-long-enough-0123456789';

describe('returnTo', () => {
  it('keeps paths of the web app', () => {
    expect(webAppPath(undefined)).toBe('/');
    expect(webAppPath('/models/fraud?stage=PRODUCTION#v3')).toBe('/models/fraud?stage=PRODUCTION#v3');
  });

  it.each(['https://evil.example/', '//evil.example/models', '/\\evil.example', '\\\\evil.example', 'models', '/\tevil', 'javascript:alert(1)', ['/a']])('refuses %p', (raw) => {
    expect(webAppPath(raw)).toBeNull();
  });
});

describe('the pending sign-in cookie', () => {
  const pending: PendingSignIn = { state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/', reauthenticate: false, expiresAt: Date.now() + 60_000 };

  it('opens what it sealed, and hides the PKCE verifier', () => {
    const sealed = sealPendingSignIn({ ...pending, codeVerifier: 'secret-verifier' }, SECRET);
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('secret-verifier');
    expect(openPendingSignIn(sealed, SECRET)).toEqual({ ...pending, codeVerifier: 'secret-verifier' });
  });

  it('refuses an altered, foreign or expired cookie', () => {
    const sealed = sealPendingSignIn(pending, SECRET);
    const altered = Buffer.from(sealed, 'base64url');
    altered[altered.length - 1] ^= 1;
    expect(openPendingSignIn(altered.toString('base64url'), SECRET)).toBeNull();
    expect(openPendingSignIn(sealed, `${SECRET}-other`)).toBeNull();
    expect(openPendingSignIn(sealed, SECRET, pending.expiresAt + 1)).toBeNull();
    expect(openPendingSignIn('garbage', SECRET)).toBeNull();
  });
});

describe('single sign-on configuration', () => {
  const complete = {
    PEDIGREE_OIDC_ISSUER: 'https://login.example.com',
    PEDIGREE_OIDC_CLIENT_ID: 'pedigree',
    PEDIGREE_OIDC_REDIRECT_URL: 'https://pedigree.example.com/auth/oidc/callback',
    PEDIGREE_WEB_URL: 'https://pedigree.example.com/',
  };

  it('is off without an issuer, and has defaults for the rest', () => {
    expect(loadOidcSettings({})).toBeNull();
    expect(loadOidcSettings(complete)).toMatchObject({ clientSecret: null, scopes: 'openid email profile', groupsClaim: 'groups', webUrl: 'https://pedigree.example.com' });
  });

  it.each([
    [{ PEDIGREE_OIDC_CLIENT_ID: '' }, /needs PEDIGREE_OIDC_CLIENT_ID/],
    [{ PEDIGREE_OIDC_ISSUER: 'http://login.example.com' }, /must use https/],
    [{ PEDIGREE_WEB_URL: 'https://web.example.com' }, /same host name/],
  ])('refuses %p', (change, message) => {
    expect(() => loadOidcSettings({ ...complete, ...change })).toThrow(ConfigError);
    expect(() => loadOidcSettings({ ...complete, ...change })).toThrow(message);
  });

  it('allows a plain http issuer on loopback, for local testing', () => {
    expect(loadOidcSettings({ ...complete, PEDIGREE_OIDC_ISSUER: 'http://127.0.0.1:9000' })?.issuer).toBe('http://127.0.0.1:9000');
  });
});

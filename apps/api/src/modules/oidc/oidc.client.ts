import * as openid from 'openid-client';
import type { OidcSettings } from '../../config';
import { logger } from '../../logger';
import { SignInError, START_AGAIN } from './oidc.errors';
import { PENDING_SIGN_IN_MS, type PendingSignIn } from './pending-sign-in';

/** Who the identity provider says signed in, from an ID token that passed every check. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  name: string | null;
  groups: string[];
  /** When the provider authenticated the user (`auth_time`), else when the token arrived. */
  authenticatedAt: Date;
}

/** Plain words for the ID token check that failed, by the claim openid-client names. */
const CLAIM_PROBLEMS: Record<string, string> = {
  aud: 'it was issued for another application (audience)',
  azp: 'it was issued for another application (authorized party)',
  iss: 'it was issued by another provider (issuer)',
  exp: 'it has expired',
  iat: 'it was issued too long ago',
  nbf: 'it is not valid yet',
  nonce: 'it does not belong to this sign-in (nonce)',
  auth_time: 'the sign-in at the identity provider is not recent enough',
};

const TOKEN_CHECK_CODES = new Set(['OAUTH_JWT_CLAIM_COMPARISON_FAILED', 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED', 'OAUTH_INVALID_RESPONSE', 'OAUTH_PARSE_ERROR', 'OAUTH_KEY_SELECTION_FAILED']);

function refusal(error: unknown): SignInError {
  if (error instanceof openid.AuthorizationResponseError) {
    return new SignInError(401, 'PROVIDER_REFUSED', `The identity provider refused the sign-in: ${error.error_description ?? error.error}. ${START_AGAIN}`);
  }
  if (error instanceof openid.ResponseBodyError) {
    return new SignInError(401, 'CODE_REJECTED', `The identity provider did not accept the sign-in code: ${error.error_description ?? error.error}. ${START_AGAIN}`);
  }
  if (error instanceof openid.ClientError && error.code && TOKEN_CHECK_CODES.has(error.code)) {
    // openid-client wraps the failed check, which names the claim it compared.
    const check = error.cause instanceof Error ? error.cause : error;
    const claim = (check.cause as { claim?: string } | undefined)?.claim;
    const plain = (claim && CLAIM_PROBLEMS[claim]) || (/signature/i.test(check.message) ? "its signature does not match the identity provider's keys" : null);
    return new SignInError(401, 'ID_TOKEN_REJECTED', `The identity provider's ID token was refused: ${plain ? `${plain} (${check.message})` : check.message}. ${START_AGAIN}`);
  }
  return unavailable(error);
}

function unavailable(error: unknown): SignInError {
  logger.error({ err: error }, 'single sign-on: the identity provider could not be used');
  return new SignInError(502, 'PROVIDER_UNAVAILABLE', 'The identity provider could not be reached or answered unexpectedly. Try again in a moment.');
}

function stringClaim(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The OpenID Connect relying party, on openid-client: discovery, the authorization code flow with
 * PKCE, and ID token verification (signature against the provider's JWKS, iss, aud, exp, nonce).
 */
export class OidcClient {
  private configuration: Promise<openid.Configuration> | null = null;

  constructor(private readonly settings: OidcSettings) {}

  newPendingSignIn(returnTo: string, reauthenticate: boolean): PendingSignIn {
    return {
      state: openid.randomState(),
      nonce: openid.randomNonce(),
      codeVerifier: openid.randomPKCECodeVerifier(),
      returnTo,
      reauthenticate,
      expiresAt: Date.now() + PENDING_SIGN_IN_MS,
    };
  }

  async authorizationUrl(pending: PendingSignIn): Promise<string> {
    const configuration = await this.discovered();
    const url = openid.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scopes,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await openid.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      // "Confirm it's you": the provider must ask for credentials, not reuse its own session.
      ...(pending.reauthenticate ? { prompt: 'login', max_age: '0' } : {}),
    });
    return url.href;
  }

  /** Exchanges the code from the callback's query for tokens and returns the verified identity. */
  async complete(query: string, pending: PendingSignIn): Promise<VerifiedIdentity> {
    const configuration = await this.discovered();
    const callbackUrl = new URL(this.settings.redirectUrl);
    callbackUrl.search = query;
    let claims: openid.IDToken | undefined;
    try {
      const tokens = await openid.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        maxAge: pending.reauthenticate ? 0 : undefined,
      });
      claims = tokens.claims();
    } catch (error) {
      throw refusal(error);
    }
    if (!claims) throw new SignInError(401, 'ID_TOKEN_REJECTED', `The identity provider sent no ID token. ${START_AGAIN}`);
    const groups = claims[this.settings.groupsClaim];
    const authTime = typeof claims.auth_time === 'number' ? claims.auth_time * 1000 : Date.now();
    return {
      issuer: claims.iss,
      subject: claims.sub,
      email: stringClaim(claims.email),
      name: stringClaim(claims.name) ?? stringClaim(claims.preferred_username),
      groups: [...new Set(Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : typeof groups === 'string' ? [groups] : [])].sort(),
      authenticatedAt: new Date(Math.min(authTime, Date.now())),
    };
  }

  /** Discovery runs at the first sign-in, not at start, so the API starts while the provider is down; a failure is retried next time. */
  private discovered(): Promise<openid.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    const insecure = new URL(issuer).protocol === 'http:'; // loopback only, checked by the configuration
    this.configuration ??= openid
      .discovery(new URL(issuer), clientId, clientSecret ?? undefined, clientSecret ? undefined : openid.None(), {
        // Verifies the ID token's signature against the provider's JWKS too, not only TLS to the token endpoint.
        execute: [openid.enableNonRepudiationChecks, ...(insecure ? [openid.allowInsecureRequests] : [])],
        timeout: 10,
      })
      .catch((error: unknown) => {
        this.configuration = null;
        throw unavailable(error);
      });
    return this.configuration;
  }
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SignInLimits } from './common/auth/sign-in-rate-limit';
import type { QueryLimits } from './common/graphql/query-limits';

export interface Config {
  production: boolean;
  port: number;
  /** Absent: run the embedded PostgreSQL under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  secret: string;
  sessionHours: number;
  adminEmail: string;
  adminPassword: string;
  /** False when the admin credentials are development defaults that must be printed at start. */
  adminFromEnvironment: boolean;
  webhooks: WebhookSettings;
  passwordLogin: PasswordLogin;
  /** How recent a sign-in must be to approve a transition to PRODUCTION. */
  approvalReauthMinutes: number;
  /** Null when single sign-on is not configured. */
  oidc: OidcSettings | null;
}

/**
 * Who may sign in with a password: everyone; instance admins only, which keeps a way in when the
 * identity provider is down or no admin has an account there; or no one.
 */
export type PasswordLogin = 'all' | 'admins' | 'none';

/** Single sign-on through an OpenID Connect provider (authorization code flow with PKCE). */
export interface OidcSettings {
  /** The provider's issuer URL; its discovery document is read from `/.well-known/openid-configuration` under it. */
  issuer: string;
  clientId: string;
  /** Null for a public client, which proves itself with PKCE alone. */
  clientSecret: string | null;
  /** The API's `/auth/oidc/callback` as the browser reaches it, registered at the provider. */
  redirectUrl: string;
  scopes: string;
  /** The ID token claim that lists the user's groups. */
  groupsClaim: string;
  /** The web app's base URL: sign-ins end on one of its paths, holding its session cookie. */
  webUrl: string;
}

export interface WebhookSettings {
  /** Whether webhook URLs may reach loopback, private, link-local or unique-local addresses. */
  allowPrivateAddresses: boolean;
  /** How often the delivery worker looks for due deliveries. */
  pollMs: number;
  /** How long one delivery attempt may take, connection to last response byte. */
  timeoutMs: number;
  /** Attempts per delivery before it is given up as FAILED. */
  maxAttempts: number;
  /** The first retry delay; each further retry doubles it, up to an hour. */
  retryBaseMs: number;
}

const DEV_ADMIN_EMAIL = 'admin@pedigree.local';
const DEV_ADMIN_PASSWORD = 'pedigree-admin';

export class ConfigError extends Error {}


function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function flag(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/**
 * Private addresses are refused in production by default, so a webhook cannot be aimed at the
 * API's own network (server-side request forgery); development and tests use local receivers.
 */
/** Sign-in attempts allowed per account and per client address in a sliding window. */
export function loadSignInLimits(env: NodeJS.ProcessEnv = process.env): SignInLimits {
  return {
    perAccount: positiveInteger('PEDIGREE_SIGNIN_MAX_PER_ACCOUNT', env.PEDIGREE_SIGNIN_MAX_PER_ACCOUNT, 10),
    perAddress: positiveInteger('PEDIGREE_SIGNIN_MAX_PER_ADDRESS', env.PEDIGREE_SIGNIN_MAX_PER_ADDRESS, 50),
    windowMs: positiveInteger('PEDIGREE_SIGNIN_WINDOW_SECONDS', env.PEDIGREE_SIGNIN_WINDOW_SECONDS, 900) * 1000,
  };
}

/** Limits every GraphQL document must keep to; each is an environment variable. */
export function loadQueryLimits(env: NodeJS.ProcessEnv = process.env): QueryLimits {
  return {
    maxDepth: positiveInteger('PEDIGREE_GRAPHQL_MAX_DEPTH', env.PEDIGREE_GRAPHQL_MAX_DEPTH, 10),
    maxAliases: positiveInteger('PEDIGREE_GRAPHQL_MAX_ALIASES', env.PEDIGREE_GRAPHQL_MAX_ALIASES, 15),
    maxDirectives: positiveInteger('PEDIGREE_GRAPHQL_MAX_DIRECTIVES', env.PEDIGREE_GRAPHQL_MAX_DIRECTIVES, 10),
    maxTokens: positiveInteger('PEDIGREE_GRAPHQL_MAX_TOKENS', env.PEDIGREE_GRAPHQL_MAX_TOKENS, 5000),
    maxCost: positiveInteger('PEDIGREE_GRAPHQL_MAX_COST', env.PEDIGREE_GRAPHQL_MAX_COST, 200_000),
    maxQueryBytes: positiveInteger('PEDIGREE_GRAPHQL_MAX_QUERY_BYTES', env.PEDIGREE_GRAPHQL_MAX_QUERY_BYTES, 100_000),
    costPerMinute: positiveInteger('PEDIGREE_GRAPHQL_COST_PER_MINUTE', env.PEDIGREE_GRAPHQL_COST_PER_MINUTE, 2_000_000),
    requestTimeoutMs: positiveInteger('PEDIGREE_REQUEST_TIMEOUT_MS', env.PEDIGREE_REQUEST_TIMEOUT_MS, 30_000),
  };
}

export function loadWebhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  return {
    allowPrivateAddresses: flag('PEDIGREE_WEBHOOK_ALLOW_PRIVATE', env.PEDIGREE_WEBHOOK_ALLOW_PRIVATE, env.NODE_ENV !== 'production'),
    pollMs: positiveInteger('PEDIGREE_WEBHOOK_POLL_MS', env.PEDIGREE_WEBHOOK_POLL_MS, 1000),
    timeoutMs: positiveInteger('PEDIGREE_WEBHOOK_TIMEOUT_MS', env.PEDIGREE_WEBHOOK_TIMEOUT_MS, 5000),
    maxAttempts: positiveInteger('PEDIGREE_WEBHOOK_MAX_ATTEMPTS', env.PEDIGREE_WEBHOOK_MAX_ATTEMPTS, 8),
    retryBaseMs: positiveInteger('PEDIGREE_WEBHOOK_RETRY_BASE_MS', env.PEDIGREE_WEBHOOK_RETRY_BASE_MS, 1000),
  };
}

export interface ArtifactSettings {
  /** Root of the content-addressed artifact store on the local filesystem. */
  directory: string;
  /** The largest upload accepted; larger ones are refused while reading, with HTTP 413. */
  maxBytes: number;
}

const dataDirectory = (env: NodeJS.ProcessEnv) => path.resolve(env.PEDIGREE_DATA_DIR || '.data');

export function loadArtifactSettings(env: NodeJS.ProcessEnv = process.env): ArtifactSettings {
  return {
    directory: path.resolve(env.PEDIGREE_ARTIFACT_DIR || path.join(dataDirectory(env), 'artifacts')),
    maxBytes: positiveInteger('PEDIGREE_ARTIFACT_MAX_BYTES', env.PEDIGREE_ARTIFACT_MAX_BYTES, 5 * 1024 ** 3),
  };
}

function passwordLogin(raw: string | undefined): PasswordLogin {
  if (raw === undefined || raw === '' || raw === 'true') return 'all';
  if (raw === 'false') return 'none';
  if (raw === 'admins') return 'admins';
  throw new ConfigError(`PEDIGREE_PASSWORD_LOGIN must be true, false or admins, got "${raw}"`);
}

function absoluteUrl(name: string, raw: string): URL {
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  } catch {
    // reported below
  }
  throw new ConfigError(`${name} must be an absolute http(s) URL, got "${raw}"`);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Null unless PEDIGREE_OIDC_ISSUER is set; then the client and its URLs must be complete. */
export function loadOidcSettings(env: NodeJS.ProcessEnv = process.env): OidcSettings | null {
  if (!env.PEDIGREE_OIDC_ISSUER) return null;
  const missing = ['PEDIGREE_OIDC_CLIENT_ID', 'PEDIGREE_OIDC_REDIRECT_URL'].filter((name) => !env[name]);
  if (missing.length > 0) throw new ConfigError(`PEDIGREE_OIDC_ISSUER is set, so single sign-on also needs ${missing.join(', ')}`);
  const issuer = absoluteUrl('PEDIGREE_OIDC_ISSUER', env.PEDIGREE_OIDC_ISSUER);
  if (issuer.protocol === 'http:' && !LOOPBACK_HOSTS.has(issuer.hostname)) {
    throw new ConfigError('PEDIGREE_OIDC_ISSUER must use https; plain http is allowed on loopback only, for local testing');
  }
  const redirectUrl = absoluteUrl('PEDIGREE_OIDC_REDIRECT_URL', env.PEDIGREE_OIDC_REDIRECT_URL as string);
  const webUrl = absoluteUrl('PEDIGREE_WEB_URL', env.PEDIGREE_WEB_URL || 'http://localhost:3000');
  // The callback sets the web app's session cookie; browsers send a cookie to every port of its host, not to other hosts.
  if (redirectUrl.hostname !== webUrl.hostname) {
    throw new ConfigError(
      `PEDIGREE_OIDC_REDIRECT_URL (${redirectUrl.hostname}) and PEDIGREE_WEB_URL (${webUrl.hostname}) must have the same host name, so the session cookie the API sets reaches the web app; serve both behind one host`,
    );
  }
  return {
    issuer: env.PEDIGREE_OIDC_ISSUER,
    clientId: env.PEDIGREE_OIDC_CLIENT_ID as string,
    clientSecret: env.PEDIGREE_OIDC_CLIENT_SECRET || null,
    redirectUrl: redirectUrl.href,
    scopes: env.PEDIGREE_OIDC_SCOPES || 'openid email profile',
    groupsClaim: env.PEDIGREE_OIDC_GROUPS_CLAIM || 'groups',
    webUrl: webUrl.href.replace(/\/$/, ''),
  };
}

/**
 * In development a missing secret is generated once and kept in the data directory, so sessions
 * survive a restart; production refuses to guess.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Checks at start the variables read elsewhere (the database pool, limits, artifact store), so a
 * typo stops the server with the variable's name instead of silently taking a default.
 */
function validateProcessSettings(env: NodeJS.ProcessEnv): void {
  positiveInteger('PEDIGREE_DB_POOL_SIZE', env.PEDIGREE_DB_POOL_SIZE, 10);
  positiveInteger('PEDIGREE_DB_STATEMENT_TIMEOUT_MS', env.PEDIGREE_DB_STATEMENT_TIMEOUT_MS, 30_000);
  flag('PEDIGREE_MIGRATE_ON_START', env.PEDIGREE_MIGRATE_ON_START, true);
  if (env.LOG_LEVEL && !LOG_LEVELS.includes(env.LOG_LEVEL)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  loadQueryLimits(env);
  loadSignInLimits(env);
  loadArtifactSettings(env);
}

function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'dev-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const dataDir = dataDirectory(env);
  if (production) {
    const missing = ['PEDIGREE_SECRET', 'PEDIGREE_ADMIN_EMAIL', 'PEDIGREE_ADMIN_PASSWORD'].filter((name) => !env[name]);
    if (missing.length > 0) {
      throw new ConfigError(`NODE_ENV=production needs ${missing.join(', ')}; set them and start again`);
    }
  }
  const secret = env.PEDIGREE_SECRET || developmentSecret(dataDir);
  if (secret.length < 32) throw new ConfigError('PEDIGREE_SECRET must be at least 32 characters long');
  validateProcessSettings(env);
  return {
    production,
    port: positiveInteger('PORT', env.PORT, 4000),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    secret,
    sessionHours: positiveInteger('PEDIGREE_SESSION_HOURS', env.PEDIGREE_SESSION_HOURS, 12),
    adminEmail: env.PEDIGREE_ADMIN_EMAIL || DEV_ADMIN_EMAIL,
    adminPassword: env.PEDIGREE_ADMIN_PASSWORD || DEV_ADMIN_PASSWORD,
    adminFromEnvironment: Boolean(env.PEDIGREE_ADMIN_EMAIL && env.PEDIGREE_ADMIN_PASSWORD),
    webhooks: loadWebhookSettings(env),
    passwordLogin: passwordLogin(env.PEDIGREE_PASSWORD_LOGIN),
    approvalReauthMinutes: positiveInteger('PEDIGREE_APPROVAL_REAUTH_MINUTES', env.PEDIGREE_APPROVAL_REAUTH_MINUTES, 15),
    oidc: loadOidcSettings(env),
  };
}

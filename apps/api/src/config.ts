import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
export function loadWebhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  return {
    allowPrivateAddresses: flag('PEDIGREE_WEBHOOK_ALLOW_PRIVATE', env.PEDIGREE_WEBHOOK_ALLOW_PRIVATE, env.NODE_ENV !== 'production'),
    pollMs: positiveInteger('PEDIGREE_WEBHOOK_POLL_MS', env.PEDIGREE_WEBHOOK_POLL_MS, 1000),
    timeoutMs: positiveInteger('PEDIGREE_WEBHOOK_TIMEOUT_MS', env.PEDIGREE_WEBHOOK_TIMEOUT_MS, 5000),
    maxAttempts: positiveInteger('PEDIGREE_WEBHOOK_MAX_ATTEMPTS', env.PEDIGREE_WEBHOOK_MAX_ATTEMPTS, 8),
    retryBaseMs: positiveInteger('PEDIGREE_WEBHOOK_RETRY_BASE_MS', env.PEDIGREE_WEBHOOK_RETRY_BASE_MS, 1000),
  };
}

/**
 * In development a missing secret is generated once and kept in the data directory, so sessions
 * survive a restart; production refuses to guess.
 */
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
  const dataDir = path.resolve(env.PEDIGREE_DATA_DIR || '.data');
  if (production) {
    const missing = ['PEDIGREE_SECRET', 'PEDIGREE_ADMIN_EMAIL', 'PEDIGREE_ADMIN_PASSWORD'].filter((name) => !env[name]);
    if (missing.length > 0) {
      throw new ConfigError(`NODE_ENV=production needs ${missing.join(', ')}; set them and start again`);
    }
  }
  const secret = env.PEDIGREE_SECRET || developmentSecret(dataDir);
  if (secret.length < 32) throw new ConfigError('PEDIGREE_SECRET must be at least 32 characters long');
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
  };
}

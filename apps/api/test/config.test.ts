import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

const dataDir = () => mkdtempSync(path.join(os.tmpdir(), 'pedigree-config-'));

describe('configuration', () => {
  it('refuses to start in production without the secret and the admin credentials', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', PEDIGREE_DATA_DIR: dataDir() })).toThrow(
      new ConfigError('NODE_ENV=production needs PEDIGREE_SECRET, PEDIGREE_ADMIN_EMAIL, PEDIGREE_ADMIN_PASSWORD; set them and start again'),
    );
    expect(() =>
      loadConfig({ NODE_ENV: 'production', PEDIGREE_SECRET: 'x'.repeat(40), PEDIGREE_ADMIN_EMAIL: 'a@b.c', PEDIGREE_DATA_DIR: dataDir() }),
    ).toThrow(/PEDIGREE_ADMIN_PASSWORD/);
  });

  it('names the variable when a setting read elsewhere is malformed', () => {
    expect(() => loadConfig({ PEDIGREE_DATA_DIR: dataDir(), PEDIGREE_DB_POOL_SIZE: 'ten' })).toThrow(/PEDIGREE_DB_POOL_SIZE must be a positive integer/);
    expect(() => loadConfig({ PEDIGREE_DATA_DIR: dataDir(), PEDIGREE_GRAPHQL_MAX_DEPTH: '0' })).toThrow(/PEDIGREE_GRAPHQL_MAX_DEPTH/);
    expect(() => loadConfig({ PEDIGREE_DATA_DIR: dataDir(), LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
    expect(() => loadConfig({ PEDIGREE_DATA_DIR: dataDir(), PEDIGREE_MIGRATE_ON_START: 'maybe' })).toThrow(/PEDIGREE_MIGRATE_ON_START/);
  });

  it('refuses a short secret and a bad port', () => {
    expect(() => loadConfig({ PEDIGREE_SECRET: 'short', PEDIGREE_DATA_DIR: dataDir() })).toThrow(/at least 32 characters/);
    expect(() => loadConfig({ PORT: 'eighty', PEDIGREE_DATA_DIR: dataDir() })).toThrow(/PORT must be a positive integer/);
  });

  it('in development, uses default admin credentials and keeps a generated secret across starts', () => {
    const dir = dataDir();
    const first = loadConfig({ PEDIGREE_DATA_DIR: dir });
    expect(first).toMatchObject({ production: false, port: 4000, adminEmail: 'admin@pedigree.local', adminFromEnvironment: false, databaseUrl: undefined });
    expect(first.secret).toBe(readFileSync(path.join(dir, 'dev-secret'), 'utf8'));
    expect(loadConfig({ PEDIGREE_DATA_DIR: dir }).secret).toBe(first.secret);
  });
});

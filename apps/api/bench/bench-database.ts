import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/common/database/embedded-postgres';

/** Something a benchmark started, undone in reverse order whatever happens. */
export type Cleanup = () => Promise<unknown>;

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

/** A fresh database on DATABASE_URL's server, else an embedded PostgreSQL in a temporary directory. */
export async function startBenchDatabase(name: string, cleanups: Cleanup[]): Promise<{ url: string; where: string }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const drop = `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`;
    await adminQuery(serverUrl, drop);
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
    cleanups.push(() => adminQuery(serverUrl, drop));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return { url: url.toString(), where: 'DATABASE_URL' };
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `${name.replace(/_/g, '-')}-`));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const embedded = await startEmbeddedPostgres(dataDir, name);
  cleanups.push(() => embedded.stop());
  return { url: embedded.url, where: 'embedded' };
}

/** The 1, 5 and 15 minute load averages: other work on the machine skews the figures. */
export const loadAverage = () => os.loadavg().map((load) => Math.round(load * 100) / 100);

/** What a benchmark's figures were measured on, for its results file. */
export function machineInfo(postgres: string, database: string) {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres, database };
}

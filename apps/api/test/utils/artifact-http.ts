import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { runArtifactPath } from '../../src/modules/artifact/artifact.types';
import type { TestApp } from './test-app';

/** The API's origin, where the artifact routes live beside /graphql. */
export const originOf = (app: TestApp) => new URL(app.url).origin;

export const artifactUrl = (app: TestApp, runId: string, artifactPath: string) => `${originOf(app)}${runArtifactPath(runId, artifactPath)}`;

export interface HttpAnswer {
  status: number;
  headers: Headers;
  bytes: Buffer;
  /** The JSON body, when there is one. */
  json: any;
}

async function answer(response: Response): Promise<HttpAnswer> {
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : undefined;
  return { status: response.status, headers: response.headers, bytes, json };
}

export interface UploadOptions {
  kind?: string;
  contentType?: string;
  digest?: string;
}

/** PUTs a file as a client would, with the path encoded segment by segment. */
export async function uploadArtifact(app: TestApp, token: string | null, runId: string, artifactPath: string, body: string | Buffer, options: UploadOptions = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.contentType) headers['content-type'] = options.contentType;
  if (options.digest) headers['x-pedigree-digest'] = options.digest;
  const query = options.kind ? `?kind=${options.kind}` : '';
  return answer(await fetch(`${artifactUrl(app, runId, artifactPath)}${query}`, { method: 'PUT', headers, body: typeof body === 'string' ? body : new Uint8Array(body) }));
}

export async function download(url: string, token: string | null, headers: Record<string, string> = {}, method = 'GET'): Promise<HttpAnswer> {
  return answer(await fetch(url, { method, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } }));
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 8 });

/**
 * A request with its path sent byte for byte, as an attacker would: fetch would resolve `..` and
 * re-encode the path first.
 */
export function rawRequest(app: TestApp, method: string, rawPath: string, token: string, body?: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ agent: keepAlive, hostname, port, method, path: rawPath, headers: { authorization: `Bearer ${token}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** Every file under `root`, as paths relative to it, sorted. */
export function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

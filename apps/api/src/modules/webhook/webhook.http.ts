import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isPublicAddress, publicOnlyLookup, refusal, urlHost } from './webhook.address';

/** The `x-pedigree-signature` value: HMAC-SHA256 of the exact body bytes, keyed with the webhook's secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface PostOptions {
  timeoutMs: number;
  allowPrivateAddresses: boolean;
}

/**
 * POSTs `body` and resolves with the response status once the whole response has arrived. Never
 * follows redirects (a redirect could point anywhere, including inside the network); rejects on
 * a refused address, a network error, or when `timeoutMs` passes.
 */
export function postWebhook(url: URL, body: string, headers: Record<string, string>, options: PostOptions): Promise<number> {
  const host = urlHost(url);
  if (!options.allowPrivateAddresses && isIP(host) && !isPublicAddress(host)) {
    return Promise.reject(refusal(host, host));
  }
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      // Name lookups go through the check, and the connection uses the address it approved.
      lookup: options.allowPrivateAddresses ? undefined : publicOnlyLookup,
      // A fresh connection per attempt: no pooled socket outlives the worker, and each attempt is checked anew.
      agent: false,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const fail = (error: Error) =>
      reject(error.name === 'AbortError' || error.name === 'TimeoutError' ? new Error(`no complete response within ${options.timeoutMs} ms`) : error);
    request.on('error', fail);
    request.on('response', (response) => {
      response.on('error', fail);
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.resume(); // the body is not needed, only its end
    });
    request.end(body);
  });
}

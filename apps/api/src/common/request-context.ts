import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** What the server knows about the HTTP request being served, for logs and audit events. */
export interface RequestContext {
  requestId: string;
  clientAddress: string | null;
  userAgent: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** The id of the HTTP request being served; it ties a client's error to the server's log line. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header('x-request-id');
  const requestId = incoming && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', requestId);
  storage.run({ requestId, clientAddress: req.socket.remoteAddress ?? null, userAgent: req.header('user-agent')?.slice(0, 500) ?? null }, next);
}

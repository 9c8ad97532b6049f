import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { authenticate } from './common/auth/authenticate';
import type { Viewer } from './common/auth/viewer';
import { createLoaders, type Loaders } from './loaders';

export interface Context {
  viewer: Viewer | null;
  authFailure?: string;
  /** Made anew for every request, so no cached row outlives it or crosses viewers. */
  loaders: Loaders;
}

export function contextFactory(dataSource: DataSource, secret: string) {
  return async ({ req }: { req: Request }): Promise<Context> => {
    const { viewer, failure } = await authenticate(dataSource, secret, req.header('authorization'));
    return { viewer, authFailure: failure, loaders: createLoaders(dataSource) };
  };
}

/** The viewer of a field guarded by `@Authorized`, which has already refused anonymous requests. */
export function signedIn(context: Context): Viewer {
  if (!context.viewer) throw new Error('guarded field reached without a viewer');
  return context.viewer;
}

/** Keeps the rows the viewer may read: links can cross into projects the viewer is not in. */
export function readableOnly<T extends { projectId: string }>(context: Context, rows: Array<T | null>): T[] {
  return rows.filter((row): row is T => row !== null && (context.viewer?.canRead(row.projectId) ?? false));
}

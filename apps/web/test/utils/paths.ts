import path from 'node:path';

/** The monorepo root, found from this file so the tests run from any checkout. */
export const repoRoot = path.resolve(__dirname, '../../../..');
export const webDir = path.join(repoRoot, 'apps', 'web');
export const apiEntry = path.join(repoRoot, 'apps', 'api', 'dist', 'main.js');

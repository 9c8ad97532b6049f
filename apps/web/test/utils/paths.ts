import path from 'node:path';

/** The monorepo root, found from this file so the tests run from any checkout. */
export const repoRoot = path.resolve(__dirname, '../../../..');
export const webDir = path.join(repoRoot, 'apps', 'web');
/** The built API; PEDIGREE_E2E_API_ENTRY points the browser tests at another build of it. */
export const apiEntry = process.env.PEDIGREE_E2E_API_ENTRY || path.join(repoRoot, 'apps', 'api', 'dist', 'main.js');

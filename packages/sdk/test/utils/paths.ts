import path from 'node:path';

export const sdkDir = path.resolve(__dirname, '..', '..');
export const repoRoot = path.resolve(sdkDir, '..', '..');
export const apiEntry = path.join(repoRoot, 'apps', 'api', 'dist', 'main.js');
export const cliEntry = path.join(sdkDir, 'dist', 'cli.js');
export const fixturesDir = path.join(sdkDir, 'test', 'fixtures');

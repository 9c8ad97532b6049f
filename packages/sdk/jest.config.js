/**
 * Unit tests, and integration tests that drive the CLI, the TypeScript client and the Python client
 * against a real API: the built apps/api, started once over a fresh embedded PostgreSQL.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  globalSetup: '<rootDir>/test/utils/global-setup.ts',
  globalTeardown: '<rootDir>/test/utils/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};

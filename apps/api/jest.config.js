/** Unit tests (`*.test.ts`) and integration tests against real PostgreSQL (`*.int.test.ts`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  globalSetup: '<rootDir>/test/utils/global-setup.ts',
  globalTeardown: '<rootDir>/test/utils/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/utils/matchers.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};

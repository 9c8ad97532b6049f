/** Unit tests (`*.test.ts`) and integration tests against real PostgreSQL (`*.int.test.ts`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    // openid-client and oidc-provider ship ES modules only; Node runs them through require(), jest does not.
    '/node_modules/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', target: 'ES2022', esModuleInterop: true, isolatedModules: true }, diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(openid-client|oauth4webapi|jose|oidc-provider)/)'],
  globalSetup: '<rootDir>/test/utils/global-setup.ts',
  globalTeardown: '<rootDir>/test/utils/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/utils/matchers.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};

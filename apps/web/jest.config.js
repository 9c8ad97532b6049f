/**
 * Plain Node tests: the end-to-end test drives the built web app and the built API; the generated-types
 * test checks src/gql against codegen's output.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testEnvironment: 'node',
  // Starting PostgreSQL, the API, Next and Chromium takes a while on a small machine.
  testTimeout: 120_000,
  // `next build` copies package.json files into its build directory (.next/, or PEDIGREE_WEB_DIST_DIR such as
  // .next-w2/), which would otherwise collide in jest's module map.
  modulePathIgnorePatterns: ['<rootDir>/\\.next[^/]*/'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/\\.next[^/]*/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
  },
};

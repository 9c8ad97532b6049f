import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Types for the SDK's GraphQL operations (src/operations.ts), generated into src/gql/ and committed.
 * test/generated-types.test.ts regenerates in memory with this same config and fails when the
 * committed files are stale. Paths are relative to packages/sdk.
 */
const config: CodegenConfig = {
  // The committed schema, never a live server: generation must not depend on a running API.
  schema: '../../schema/schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**'],
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Operations as typed strings: the SDK posts them with fetch, so it needs no GraphQL runtime.
        documentMode: 'string',
        scalars: { DateTime: 'string', JSON: 'unknown', SafeInt: 'number' },
        strictScalars: true,
        enumType: 'string-literal',
        useTypeImports: true,
      },
    },
  },
};

export default config;

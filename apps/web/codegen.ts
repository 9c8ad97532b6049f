import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Types for the web app's GraphQL operations, generated into src/gql/ and committed.
 * Paths are relative to apps/web. test/generated-types.test.ts regenerates in memory with this
 * same config and fails when the committed files are stale.
 */
const config: CodegenConfig = {
  // The committed schema, never a live server: generation must not depend on a running API.
  schema: '../../schema/schema.graphql',
  // The output holds every operation as a string: reading it back in would duplicate them all.
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        // Apollo Client 4 does its own data masking; the preset's would be a second, conflicting one.
        fragmentMasking: false,
      },
      config: {
        // Custom scalars as they arrive in JSON; a new scalar without a mapping fails generation.
        scalars: {
          DateTime: 'string',
          JSON: 'unknown',
          SafeInt: 'number',
        },
        strictScalars: true,
        // Unions of string literals (this preset's replacement for `enumsAsTypes`): no runtime enum objects.
        enumType: 'string-literal',
        // `import type` for the typed-document-node types: erased, so nothing extra reaches the bundle.
        useTypeImports: true,
      },
    },
  },
};

export default config;

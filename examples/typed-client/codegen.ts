// Typed operations for a frontend of the gateway (graphql-codegen's client preset): every `graphql(...)` document in
// src/ gets its result and variables types in src/gql/ (committed; CI regenerates it and fails on any diff).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  // The gateway's SDL; a frontend in another repository points at the running gateway instead:
  // schema: 'http://127.0.0.1:4000/graphql' (introspection).
  schema: '../../schema/*.graphql',
  documents: ['src/**/*.ts', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // The gateway's only custom scalar: ISO-8601 UTC text such as 2020-02-05T10:38:34.209Z.
        scalars: { DateTime: 'string' },
        strictScalars: true,
        // Enums as string unions ('AVAILABLE' | 'PROTECTING' | ...): what the JSON answer holds, no runtime code.
        enumsAsTypes: true,
        useTypeImports: true,
        // Documents as strings with their types attached: sent as they are, no GraphQL library in the bundle.
        documentMode: 'string',
      },
    },
  },
};

export default config;

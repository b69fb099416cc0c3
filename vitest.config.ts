import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One copy of graphql: vite would otherwise load the ESM build for our sources while yoga and
  // graphql-tools load the CJS build, and yoga's `instanceof GraphQLError` would fail (vitest#4605).
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});

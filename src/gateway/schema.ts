/** The executable schema: the hand-written SDL of schema/*.graphql joined with every resolver map of resolvers/index.ts. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSchema } from 'graphql-yoga';
import type { GraphQLContext } from './context';
import { resolvers } from './resolvers';

/** schema/ at the repository root, found from this file so the working directory does not matter. */
const SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));

/** The SDL files, sorted so the merged schema (and the error messages about it) never depend on directory order. */
export function loadTypeDefs(dir = SCHEMA_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(`${dir}/${name}`, 'utf8'));
}

/** Builds the schema; called once per gateway (reads files, so never at import time). */
export function createGatewaySchema() {
  return createSchema<GraphQLContext>({
    typeDefs: loadTypeDefs(),
    resolvers,
    // A resolver for a field the SDL does not declare is a typo: fail at startup, not silently.
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
}

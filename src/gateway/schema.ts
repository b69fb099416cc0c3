/** The executable schema: the hand-written SDL of schema/*.graphql joined with every resolver map of resolvers/index.ts. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSchema } from 'graphql-yoga';
import type { GraphQLContext } from './context';
import { assertEntityUnion, federationResolvers } from './federation';
import { settleListItems } from './list-items';
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

/** The federation subgraph additions (federation.graphql), next to this file. */
const FEDERATION_SDL = fileURLToPath(new URL('./federation.graphql', import.meta.url));

/** Builds the schema; called once per gateway (reads files, so never at import time). */
export function createGatewaySchema() {
  const typeDefs = loadTypeDefs();
  const schema = createSchema<GraphQLContext>({
    // schema/ as written is the subgraph SDL that `_service` serves; the federation additions join it here only.
    typeDefs: [...typeDefs, readFileSync(FEDERATION_SDL, 'utf8')],
    resolvers: [...resolvers, federationResolvers(typeDefs.join('\n'))],
    // A resolver for a field the SDL does not declare is a typo: fail at startup, not silently.
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
  assertEntityUnion(schema);
  // graphql-jit misplaces the null of a rejected list item (list-items.ts).
  settleListItems(schema);
  return schema;
}

/**
 * The Apollo Federation v2 subgraph side of the gateway (federation.graphql): `_service { sdl }` serves schema/ as
 * written, and `_entities` turns representations into entities through the request's loaders, so a router's batch of
 * 100 vault representations costs what a 100-vault list costs. Written here rather than taken from `@apollo/subgraph`,
 * whose engine (`@apollo/federation-internals`) is Elastic-2.0 licensed; the spec part is small, and the tests prove it
 * against a real composition and a real federation gateway (test/graphql/federation*.test.ts).
 */
import { isObjectType, isUnionType, type GraphQLSchema } from 'graphql';
import type { _Entity, Resolvers, ResolversParentTypes } from './__generated__/resolvers-types';
import type { GraphQLContext } from './context';
import { badUserInput } from './errors';
import { requireId } from './inputs/common';

type EntityName = NonNullable<_Entity['__typename']>;
/** What an entity resolves to: the parent value of its type (a wire object, or `{ id }` for Server and Volume). */
type Entity = ResolversParentTypes['_Entity'];

/** A representation as the router sends it: `__typename` plus the type's `@key` fields. */
type Representation = Record<string, unknown>;

/** How each entity is found from its key fields (`at` names the representation, e.g. `representations[3]`). */
const LOOKUPS: Record<EntityName, (r: Representation, at: string, context: GraphQLContext) => Promise<Entity | null> | Entity> = {
  // Several vault or policy ids in one batch read the list once (loaders/vault.ts, loaders/policy.ts).
  Vault: (r, at, { loaders }) => loaders.vault.load(keyId(r, at, 'id')),
  Policy: (r, at, { loaders }) => loaders.policy.load(keyId(r, at, 'id')),
  VbsPolicy: (r, at, { loaders }) => loaders.vbsPolicy.load(keyId(r, at, 'id')),
  // The API reads these by id only: one GET each, deduplicated.
  Backup: (r, at, { loaders }) => loaders.backup.load(keyId(r, at, 'id')),
  RestorePoint: (r, at, { loaders }) => loaders.restorePoint.load(keyId(r, at, 'id')),
  Task: (r, at, { loaders }) => loaders.task.load(keyId(r, at, 'id')),
  // A member is addressed by its backup and its project (the share record's own id reads nothing).
  ShareMember: (r, at, { loaders }) =>
    loaders.shareMember.load({ backupId: keyId(r, at, 'backupId'), memberId: keyId(r, at, 'destinationProjectId') }),
  // Owned by other subgraphs: every id is one; its fields read the backup data lazily.
  Server: (r, at) => ({ id: keyId(r, at, 'id') }),
  Volume: (r, at) => ({ id: keyId(r, at, 'id') }),
};

/** Which entity type each resolved object is, for `_Entity`'s type resolution (wire objects carry no type name). */
const entityTypes = new WeakMap<Entity, EntityName>();

function keyId(representation: Representation, at: string, field: string): string {
  return requireId(representation[field] as string, `${at}.${field}`);
}

function isEntityName(name: unknown): name is EntityName {
  return typeof name === 'string' && Object.hasOwn(LOOKUPS, name);
}

/** One representation → its entity, or null; a malformed one fails alone (null at its index, error with its path). */
async function resolveEntity(representation: unknown, index: number, context: GraphQLContext): Promise<Entity | null> {
  const at = `representations[${index}]`;
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
    throw badUserInput(`${at}: must be an object with __typename and the key fields`, at);
  }
  const r = representation as Representation;
  if (!isEntityName(r.__typename)) {
    throw badUserInput(`${at}.__typename: must name an entity of this subgraph (${Object.keys(LOOKUPS).join(', ')})`, `${at}.__typename`);
  }
  const entity = await LOOKUPS[r.__typename](r, at, context);
  if (entity) entityTypes.set(entity, r.__typename);
  return entity;
}

/** The resolvers of federation.graphql; `sdl` is what `_service` serves. */
export function federationResolvers(sdl: string): Resolvers {
  return {
    Query: {
      // All lookups start in the same tick, so each loader gets the whole batch.
      // One promise per representation, not Promise.all: a failed lookup nulls its own index only. (A rejected one
      // reaches graphql-jit as its Error value, which it reports in place: list-items.ts. The generated type wants
      // promises of non-null entities; a nullable list item takes null.)
      _entities: (_, { representations }, context) =>
        representations.map((r, index) => resolveEntity(r, index, context)) as Array<Promise<Entity>>,
      _service: () => ({ sdl }),
    },
    _Entity: {
      __resolveType: (entity) => entityTypes.get(entity) ?? null,
    },
  };
}

/**
 * Throws unless `_Entity` lists exactly the object types that have `@key` in the SDL: an entity added to schema/
 * without a lookup here (or the reverse) fails at startup, not in a router's query plan.
 */
export function assertEntityUnion(schema: GraphQLSchema): void {
  const keyed = Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((type) => [type.astNode, ...type.extensionASTNodes].some((node) => node?.directives?.some((d) => d.name.value === 'key')))
    .map((type) => type.name)
    .sort();
  const union = schema.getType('_Entity');
  const members = isUnionType(union) ? union.getTypes().map((type) => type.name).sort() : [];
  const lookups = Object.keys(LOOKUPS).sort();
  if (keyed.join() !== members.join() || members.join() !== lookups.join()) {
    throw new Error(`Federation entities differ: @key types [${keyed}], _Entity [${members}], lookups in federation.ts [${lookups}]`);
  }
}

/**
 * Opt-in short-lived cache of whole query results (RESPONSE_CACHE_TTL_MS), per credential identity: yoga's
 * response-cache plugin, with our partitioning and invalidation around it (hardening.md 3.2).
 *
 * - Partition: the plugin's `session` is the caller identity (caller-identity.ts: hashed token + project, or the
 *   gateway's own credentials + project), never null, so no entry is ever global. The key (sha256 of document,
 *   operation name, variables and session, from the plugin) is prefixed with a hash of the identity and the identity's
 *   generation, which lets us drop one identity's entries.
 * - Invalidation: a mutation of an identity moves it to a new generation when it starts and drops its entries when it
 *   ends, so no query of that identity sent after the mutation reads an answer older than it, and an answer computed
 *   while it ran is not stored (its key has the old generation). The plugin's own invalidation by entity (`Vault:id`
 *   in a mutation result) is switched off: it would drop other tenants' entries, and it misses lists that gain an
 *   item (a created vault is in no cached result yet). Mutations and subscriptions are never cached (the plugin's rule).
 * - Results with errors are not cached (the plugin's default), so a failing field or a refused token is asked again.
 * - `X-Response-Cache: hit | miss` on every query answer while the cache is on, and `stats` counts them for metrics.
 */
import { createHash } from 'node:crypto';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createInMemoryCache, hashSHA256, useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { callerIdentity } from './caller-identity';
import type { GraphQLContext } from './context';

export const RESPONSE_CACHE_HEADER = 'x-response-cache';

/** Hit and miss counts since start: what a metrics endpoint reads. */
export interface ResponseCacheStats {
  hits: number;
  misses: number;
}

/** Entries kept at most (least recently used dropped first), whatever their TTL. */
const MAX_ENTRIES = 1000;
/** Identities whose generation is remembered (oldest forgotten first): see `generations`. */
const MAX_GENERATIONS = 10_000;
/** The marker entity each entry carries, so that one identity's entries can be dropped together. */
const IDENTITY_ENTITY = '__identity';

export function createResponseCache(ttlMs: number) {
  const stats: ResponseCacheStats = { hits: 0, misses: 0 };
  const inner = createInMemoryCache({ max: MAX_ENTRIES });
  /**
   * Generation of each identity that has sent a mutation (0 for the others), from one counter for all: an identity
   * forgotten past `MAX_GENERATIONS` reads 0, which no generation it was given equals.
   */
  const generations = new Map<string, number>();
  let lastGeneration = 0;
  /** What the answer to a request is: set when it runs a query, replaced when the answer came from the cache. */
  const outcomes = new WeakMap<Request, 'hit' | 'miss'>();

  const tagOf = (identity: string) => createHash('sha256').update(identity).digest('base64url');
  const prefixOf = (tag: string) => `${tag}.${generations.get(tag) ?? 0}.`;

  function nextGeneration(tag: string): void {
    generations.delete(tag);
    generations.set(tag, ++lastGeneration);
    if (generations.size > MAX_GENERATIONS) generations.delete(generations.keys().next().value!);
  }

  function dropEntries(tag: string): void {
    void inner.invalidate([{ typename: IDENTITY_ENTITY, id: tag }]);
  }

  const cache: Cache = {
    get: (key) => inner.get(key),
    set(key, result, entities, ttl) {
      const tag = key.slice(0, key.indexOf('.'));
      // Computed before a mutation of its identity ended: it may predate the mutation.
      if (!key.startsWith(prefixOf(tag))) return;
      return inner.set(key, result, [...entities, { typename: IDENTITY_ENTITY, id: tag }], ttl);
    },
    // Entity invalidation is off (see above); called only if that changes.
    invalidate: () => undefined,
  };

  const plugins: Plugin[] = [
    useResponseCache<GraphQLContext>({
      ttl: ttlMs,
      cache,
      session: (request) => callerIdentity(request.headers),
      // The plugin's own key (document, operation name, variables, session), behind the identity's tag and generation.
      buildResponseCacheKey: async ({ documentString, variableValues, operationName, request }) => {
        const identity = callerIdentity(request.headers);
        const hash = await hashSHA256([documentString, operationName ?? '', stableJson(variableValues ?? {}), identity].join('|'));
        return prefixOf(tagOf(identity)) + hash;
      },
      // Only for mutations: with it off, the plugin would look a mutation up in the cache and store its result.
      invalidateViaMutation: true,
      includeExtensionMetadata: false,
    }),
    {
      onExecute({ args }) {
        const context = args.contextValue as unknown as GraphQLContext & { request: Request };
        const operation = getOperationAST(args.document, args.operationName)?.operation;
        if (operation === 'query') {
          outcomes.set(context.request, 'miss');
          return;
        }
        if (operation !== 'mutation') return;
        const tag = tagOf(context.identity);
        nextGeneration(tag);
        dropEntries(tag);
        return {
          onExecuteDone() {
            nextGeneration(tag);
            dropEntries(tag);
          },
        };
      },
      onResultProcess({ request, result }) {
        if ((result as Record<symbol, unknown>)[SERVED_FROM_CACHE]) outcomes.set(request, 'hit');
      },
      onResponse({ request, response }) {
        const outcome = outcomes.get(request);
        if (outcome === undefined) return;
        stats[outcome === 'hit' ? 'hits' : 'misses']++;
        response.headers.set(RESPONSE_CACHE_HEADER, outcome);
      },
    },
  ];

  return { plugins, stats };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;

/** How yoga's response-cache plugin marks a result it served from the cache. */
const SERVED_FROM_CACHE = Symbol.for('servedFromResponseCache');

/** JSON with object keys sorted, so that `{a, b}` and `{b, a}` variables share an entry. */
function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

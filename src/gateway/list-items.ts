/**
 * Lists never hand graphql-jit an item promise that rejects. graphql-jit (0.8.9, the latest release) puts the null of
 * a rejected list item at the END of the list (`resultArray.push(null)`) instead of at the item's index: a rejection
 * that arrives before the other items drops the list's trailing nulls (a 3-item list answers 2 items), one that
 * arrives after them adds a null past the end (4 items). graphql-js answers the null in place. A federation router
 * matches `_entities` to its representations by index, so a shorter or longer list mismatches them all.
 *
 * The cure is cheap and the same on both paths: every resolver of a list field is wrapped so that an item promise
 * which rejects resolves to its Error instead. graphql-js and graphql-jit both report an Error item as a failure of
 * that index (null in place, error with its path), as a rejection should be. Lists without promises pass unchanged
 * (one scan of the array). A list field without a resolver (a connection's `edges` and `nodes`, pagination.ts) reads
 * items already loaded, never promises. Proven against graphql-js on a tiny schema (test/graphql/jit-list-items.test.ts)
 * and through the gateway, interpreted then compiled (test/graphql/jit-list-items-e2e.test.ts).
 */
import { getNullableType, isListType, isObjectType, locatedError, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

/** Wraps, in place, the resolver of every list field of `schema` (see the module comment); returns `schema`. */
export function settleListItems(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.resolve && isListType(getNullableType(field.type))) field.resolve = settling(field.resolve);
    }
  }
  return schema;
}

function settling<TSource, TContext>(resolve: GraphQLFieldResolver<TSource, TContext>): GraphQLFieldResolver<TSource, TContext> {
  return (source, args, context, info) => {
    const result: unknown = resolve(source, args, context, info);
    return isPromiseLike(result) ? Promise.resolve(result).then(settleItems) : settleItems(result);
  };
}

/** `value` with each rejecting item promise turned into one resolving to the Error (a new array only if needed). */
export function settleItems(value: unknown): unknown {
  if (!Array.isArray(value) || !value.some(isPromiseLike)) return value;
  return value.map((item: unknown) => (isPromiseLike(item) ? Promise.resolve(item).catch(asError) : item));
}

/** The Error graphql-js reports for a rejection: the reason itself, or its "Unexpected error value" for a non-Error. */
function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : (locatedError(reason, undefined).originalError ?? new Error(String(reason)));
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Operations run as code compiled by graphql-jit (through envelop's plugin) instead of graphql-js's interpreter:
 * resolving and serialising the ~1000 leaves of a page of 100 backups took ~1.8 ms of CPU interpreted and ~0.2 ms
 * compiled (bench figures in the README). Compiling costs more than one interpreted run (the dashboard query ~7–24 ms,
 * 15 aliased vault lists ~50 ms), so a document is compiled only once it comes again, as Mercurius' `jit` option does:
 * the queries of an application repeat, a one-off query (GraphiQL, a probe) never pays for a compilation. Compiled
 * code is cached per parsed document, and yoga's parser cache (LRU) hands out the same document for the same query
 * text, so the cache is bounded by that LRU; the query limits (limits.ts) bound what one compilation costs.
 *
 * Two differences of graphql-jit's errors from graphql-js's are evened out here, before yoga's masking sees them
 * (this plugin registers ahead of it):
 * - they carry `locations` but not the source and positions those came from, and the masks and yoga's serialiser
 *   rebuild errors from source and positions: without them the locations would be lost;
 * - the errors graphql-jit raises itself (a scalar refusing an upstream value, null in a non-null field) have no
 *   `originalError`, so the masks would take them for deliberate GraphQL errors and show their text; graphql-js wraps
 *   the underlying Error, and they are masked as unexpected. They get an `originalError` here.
 * Compiling blocks the event loop (about 0.5–1 ms per field selection after fragment expansion, measured here: 300
 * fields 300 ms), so it has a budget (`CompileBudget`): a document with more fields is never compiled, and at most so
 * many fields are compiled per second across all requests; past either, the operation runs interpreted (graphql-js,
 * no compile cost) and may compile on a later run. Only documents that passed validation and the limits reach this
 * (query-cost.ts stops a refused one first), so a hostile document never reaches the compiler. Compiled code is kept
 * in an LRU of `COMPILED_CACHE_SIZE` operations (keyed by the parsed document, which yoga's parser cache hands out
 * again for the same text), so memory stays bounded whatever documents arrive. (envelop's graphql-jit plugin, used
 * before, kept compiled code in a WeakMap for as long as the document lived, with no bound of its own.)
 *
 * Two more are avoided before graphql-jit runs: variables are coerced by graphql-js on every run (variables.ts), and an
 * operation type the schema has no root for (a subscription) is refused in validation (`useKnownOperationTypes`).
 */
import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLError, OperationTypeNode, Source, ValidationRule } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { createGraphQLError, handleStreamOrSingleExecutionResult, makeExecute, type Plugin } from 'graphql-yoga';
import { measureOperation } from './query-cost';
import { useVariableCoercion } from './variables';

/** How much compiling may cost: see the module comment. */
export interface CompileBudget {
  /** Largest document compiled, in field selections after fragment expansion. */
  maxFields: number;
  /** Field selections compiled per second, across all requests. */
  fieldsPerSecond: number;
}

/** At most ~75–150 ms for one compilation, and about a third of a second of compiling per second at worst. */
export const DEFAULT_COMPILE_BUDGET: CompileBudget = { maxFields: 150, fieldsPerSecond: 300 };

/** The plugins, in this order, for yoga's `plugins` (spread). `compileAfterRuns`: see `compileWhenRepeated`. */
export function compiledExecutionPlugins(compileAfterRuns: number, budget: CompileBudget = DEFAULT_COMPILE_BUDGET) {
  const repeated = compileWhenRepeated(compileAfterRuns);
  const affordable = withinCompileBudget(budget);
  return [
    useKnownOperationTypes(),
    useCompiledQueries((args) => repeated(args) && affordable(args), COMPILED_CACHE_SIZE),
    useGraphQLJsErrors(),
    // After graphql-jit's plugin: the last to set the execute function wins.
    useVariableCoercion(),
  ];
}

/** Compiled operations kept (see the module comment): an application's queries, with room to spare. */
export const COMPILED_CACHE_SIZE = 256;

type Compiled = Pick<CompiledQuery, 'query' | 'stringify'>;

/**
 * Runs the operations `enableIf` accepts as code compiled by graphql-jit, from an LRU of `cacheSize` compiled
 * operations. Subscriptions stay with graphql-js (nothing to gain for a long-lived stream). A document graphql-jit
 * cannot compile answers its errors, as envelop's plugin did.
 */
export function useCompiledQueries(
  enableIf: (args: ExecutionArgs) => boolean,
  cacheSize: number,
  compile: typeof compileQuery = compileQuery,
): Plugin {
  // Map iteration order is insertion order: a hit is moved to the end, the first entry is the least recently used.
  const cache = new Map<DocumentNode, Map<string, Compiled>>();

  function compiledFor(args: ExecutionArgs): Compiled {
    const key = args.operationName ?? '';
    const operations = cache.get(args.document);
    const hit = operations?.get(key);
    if (operations && hit) {
      cache.delete(args.document);
      cache.set(args.document, operations);
      return hit;
    }
    const result = compile(args.schema, args.document, args.operationName ?? undefined);
    const compiled: Compiled = isCompiledQuery(result) ? result : { query: () => result, stringify: (value) => JSON.stringify(value) };
    cache.delete(args.document);
    cache.set(args.document, new Map(operations).set(key, compiled));
    while (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
    return compiled;
  }

  const execute = makeExecute((args: ExecutionArgs) => {
    const compiled = compiledFor(args);
    const withStringify = (result: ExecutionResult) => Object.assign(result, { stringify: compiled.stringify });
    const result = compiled.query(args.rootValue, args.contextValue, args.variableValues);
    return result instanceof Promise ? result.then(withStringify) : withStringify(result);
  });

  return {
    onExecute({ args, setExecuteFn }) {
      if (enableIf(args)) setExecuteFn(execute);
    },
  };
}

/**
 * Refuses an operation whose root type the schema lacks (graphql-js 17's KnownOperationTypesRule, with its message).
 * graphql-js 16 refuses it only at execution, without a code; graphql-jit fails to compile it, prints that to the
 * console and answers 500. As a validation error it is answered alike on every run, coded, and cached with the
 * document's validation.
 */
function useKnownOperationTypes(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(knownOperationTypes);
    },
  };
}

const knownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation as OperationTypeNode)) {
      context.reportError(createGraphQLError(`The ${node.operation} operation is not supported by the schema.`, { nodes: [node] }));
    }
  },
});

/** True for a document's executions after its first `runs` (which graphql-js interprets); 0 compiles every document. */
export function compileWhenRepeated(runs: number): (args: ExecutionArgs) => boolean {
  const seen = new WeakMap<DocumentNode, number>();
  return ({ document }) => {
    const count = seen.get(document) ?? 0;
    if (count >= runs) return true;
    seen.set(document, count + 1);
    return false;
  };
}

/**
 * True when compiling `args.document` fits `budget` (or it was compiled already: a cached document costs nothing).
 * The budget is a window of one second on `now`.
 */
export function withinCompileBudget(budget: CompileBudget, now: () => number = Date.now): (args: ExecutionArgs) => boolean {
  const compiled = new WeakSet<DocumentNode>();
  let windowStart = Number.NEGATIVE_INFINITY;
  let spent = 0;
  return ({ schema, document, operationName, variableValues }) => {
    if (compiled.has(document)) return true;
    const fields = measureOperation(schema, document, operationName, variableValues)?.fields;
    if (fields === undefined || fields > budget.maxFields) return false;
    const at = now();
    if (at - windowStart >= 1000) {
      windowStart = at;
      spent = 0;
    }
    if (spent + fields > budget.fieldsPerSecond) return false;
    spent += fields;
    compiled.add(document);
    return true;
  };
}

function useGraphQLJsErrors(): Plugin {
  return {
    onExecute({ args }) {
      const source = args.document.loc?.source;
      if (!source) return undefined;
      return {
        onExecuteDone: (payload) =>
          handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            if (result.errors?.length) setResult({ ...result, errors: result.errors.map((error) => asGraphQLJsError(error, source)) } as ExecutionResult);
          }),
      };
    },
  };
}

/** `error` as graphql-js would have raised it: with source and positions, and an `originalError` when it has a path. */
function asGraphQLJsError(error: GraphQLError, source: Source): GraphQLError {
  if (error.positions || !error.locations?.length) return error;
  const positions = error.locations.map(({ line, column }) => offsetOf(source.body, line, column));
  // An error with a path but no cause was raised by the compiled code itself, not thrown by a resolver.
  const originalError = error.originalError ?? (error.path ? new Error(error.message) : undefined);
  return createGraphQLError(error.message, { source, positions, path: error.path, originalError, extensions: error.extensions });
}

/** The character offset of a 1-based line and column in `body` (lines end at \n, \r\n or \r, as graphql-js counts). */
export function offsetOf(body: string, line: number, column: number): number {
  const lineStart = /\r\n|[\n\r]/g;
  let start = 0;
  for (let current = 1; current < line; current++) {
    const match = lineStart.exec(body);
    if (!match) break;
    start = match.index + match[0].length;
  }
  return start + column - 1;
}

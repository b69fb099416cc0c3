/**
 * The work an operation asks for after fragment expansion, measured before it runs: every field it resolves costs 1,
 * and the fields below a paged field (`first`/`last`, literal or variable, else the argument's default) cost once per
 * item of the page. `vaults(first: 100) { edges { node { backups(first: 100) { … } } } }` costs about 10 000 times a
 * backup's fields; past `maxCost` the operation is refused with QUERY_TOO_COMPLEX before any resolver or upstream call.
 *
 * Linear in the document: each named fragment is measured once per operation and its measure reused at every spread
 * (a fragment spreading the previous one twice, 40 deep, is 2^40 fields, counted in 40 steps). The measure is made at
 * execution, where the variables are known, so `first: $n` counts as n (a validation rule sees no variables: that is
 * why graphql-armor's cost limit, which also weighs depth exponentially, is not used).
 *
 * Generic over root types (Query, Mutation, Subscription, federation's `_entities`): it needs only the schema's types.
 */
import {
  getNamedType,
  getOperationAST,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ErrorCode } from './__generated__/resolvers-types';
import { MAX_PAGE_SIZE } from './pagination';

/** Default of `GatewayConfig.maxQueryCost`: a page of 1000 backups with 20 fields is ~21 000; a dashboard of 20 vaults ~1 000. */
export const DEFAULT_MAX_QUERY_COST = 50_000;

export interface OperationMeasure {
  /** Fields resolved, each weighted by the page sizes above it. */
  cost: number;
  /** Field selections after fragment expansion, unweighted: what compiling the operation has to generate code for. */
  fields: number;
}

interface Measure {
  cost: number;
  fields: number;
}

/** Measures the operation `operationName` of `document` (undefined when there is no such operation). */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): (OperationMeasure & { operation: OperationDefinitionNode }) | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // Per fragment name: its measure once known, `null` while being measured (a cycle, refused by validation anyway).
  const measured = new Map<string, Measure | null>();

  function selectionSet(set: SelectionSetNode, parent: GraphQLNamedType | undefined): Measure {
    const total: Measure = { cost: 0, fields: 0 };
    for (const selection of set.selections) {
      let part: Measure;
      if (selection.kind === Kind.FIELD) part = field(selection, parent);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        part = selectionSet(selection.selectionSet, type);
      } else part = fragment(selection.name.value);
      total.cost += part.cost;
      total.fields += part.fields;
    }
    return total;
  }

  function fragment(name: string): Measure {
    const known = measured.get(name);
    if (known) return known;
    const definition = fragments.get(name);
    if (known === null || !definition) return { cost: 0, fields: 0 };
    measured.set(name, null);
    const result = selectionSet(definition.selectionSet, schema.getType(definition.typeCondition.name.value));
    measured.set(name, result);
    return result;
  }

  // A variable's value as sent, else its default in the operation (`$n: Int = 50`).
  const variableDefaults = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue?.kind === Kind.INT) variableDefaults.set(definition.variable.name.value, Number(definition.defaultValue.value));
  }
  const variable = (name: string): unknown => variables?.[name] ?? variableDefaults.get(name);

  function field(node: FieldNode, parent: GraphQLNamedType | undefined): Measure {
    const name = node.name.value;
    // Introspection answers from the schema, bounded by it, and tools send deep introspection queries.
    if (name === '__schema' || name === '__type') return { cost: 0, fields: 0 };
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
    if (!node.selectionSet) return { cost: 1, fields: 1 };
    const below = selectionSet(node.selectionSet, definition ? getNamedType(definition.type) : undefined);
    return { cost: 1 + pageSize(node, definition, variable) * below.cost, fields: 1 + below.fields };
  }

  const root = schema.getRootType(operation.operation);
  return { operation, ...selectionSet(operation.selectionSet, root ?? undefined) };
}

/** How many items a field's page may hold: its `first` or `last` (the larger), clamped to what any page can hold; 1 for other fields. */
function pageSize(node: FieldNode, definition: GraphQLField<unknown, unknown> | undefined, variable: (name: string) => unknown): number {
  let size = 0;
  for (const argument of ['first', 'last']) {
    const given = node.arguments?.find((a) => a.name.value === argument)?.value;
    let value: unknown;
    if (given?.kind === Kind.INT) value = Number(given.value);
    else if (given?.kind === Kind.VARIABLE) value = variable(given.name.value);
    else if (given === undefined) value = definition?.args.find((a) => a.name === argument)?.defaultValue;
    // A value that is no page size is refused by the field itself (BAD_USER_INPUT naming it); count the largest page.
    if (given !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= 1)) value = MAX_PAGE_SIZE;
    if (typeof value === 'number' && Number.isFinite(value)) size = Math.max(size, Math.min(value, MAX_PAGE_SIZE));
  }
  return Math.max(size, 1);
}

/** The yoga plugin refusing operations that cost more than `maxCost`, before they run (register before execution plugins). */
export function useQueryCost(maxCost: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const measure = measureOperation(args.schema, args.document, args.operationName, args.variableValues);
      if (measure && measure.cost > maxCost) setResultAndStopExecution({ errors: [tooComplex(measure, maxCost)] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const measure = measureOperation(args.schema, args.document, args.operationName, args.variableValues);
      if (measure && measure.cost > maxCost) setResultAndStopExecution({ errors: [tooComplex(measure, maxCost)] });
    },
  };
}

function tooComplex(measure: OperationMeasure & { operation: OperationDefinitionNode }, maxCost: number) {
  const cost = Number.isFinite(measure.cost) && measure.cost < Number.MAX_SAFE_INTEGER ? Math.round(measure.cost) : Number.MAX_SAFE_INTEGER;
  return createGraphQLError(
    `The operation would resolve about ${cost} fields (page sizes multiplied out); at most ${maxCost} are allowed: ask for smaller pages (first) or fewer nested lists`,
    { nodes: [measure.operation], extensions: { code: 'QUERY_TOO_COMPLEX' satisfies ErrorCode, cost, maxCost, http: { status: 400 } } },
  );
}

/**
 * Operation variables, coerced by graphql-js before the operation runs, compiled or interpreted: one function answers
 * a refused value, so every run of a document answers it alike. graphql-jit's compiled code coerces variables with
 * code of its own, whose messages differ from graphql-js's (and name the input field as if it were the variable:
 * `$objectType` for `$f.objectType`), and answers them with HTTP 200 where graphql-js's executor answers 400.
 *
 * A refused value is answered as graphql-js's `execute` answers it (`{ errors }`, no `data`, its messages) with
 * `extensions.code` BAD_USER_INPUT and HTTP 400 (yoga's executor sets that status for these errors too). An error
 * whose cause is not a GraphQL error (a scalar's `parseValue` failing with a TypeError) is left for the mask, which
 * hides it as unexpected.
 */
import { getOperationAST, getVariableValues, type ExecutionArgs, type GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ErrorCode } from './__generated__/resolvers-types';

/**
 * The yoga plugin. Register it after graphql-jit's (compiled-execution.ts does): it replaces the execute function of
 * an operation whose variables are refused, and the last plugin to set one wins.
 */
export function useVariableCoercion(): Plugin {
  return {
    onExecute({ args, setExecuteFn }) {
      const errors = variableErrors(args);
      if (errors) setExecuteFn(() => ({ errors }));
    },
  };
}

/** graphql-js's errors for the operation's variables as BAD_USER_INPUT, or undefined when they are all accepted. */
export function variableErrors({ schema, document, operationName, variableValues }: ExecutionArgs): GraphQLError[] | undefined {
  const definitions = getOperationAST(document, operationName)?.variableDefinitions;
  // Most operations declare none: nothing to coerce, nothing to pay.
  if (!definitions?.length) return undefined;
  const { errors } = getVariableValues(schema, definitions, variableValues ?? {});
  return errors?.map(asBadUserInput);
}

function asBadUserInput(error: GraphQLError): GraphQLError {
  return createGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError ?? undefined,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' satisfies ErrorCode, http: { status: 400 } },
  });
}

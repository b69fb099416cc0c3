/** A minimal typed GraphQL client: sends a generated document and answers its typed `data`, or throws its errors. */
import type { TypedDocumentString } from './gql/graphql';

export interface GraphQLErrorBody {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export class GraphQLRequestError extends Error {
  constructor(readonly errors: GraphQLErrorBody[]) {
    super(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; '));
  }
}

export async function execute<TResult, TVariables>(
  endpoint: string,
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json()) as { data?: TResult | null; errors?: GraphQLErrorBody[] };
  if (body.errors?.length) throw new GraphQLRequestError(body.errors);
  return body.data as TResult;
}

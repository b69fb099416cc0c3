/**
 * Trusted documents (TRUSTED_DOCUMENTS=manifest.json): production frontends run only the operations they shipped.
 * The manifest is what graphql-codegen's client preset writes with `persistedDocuments: true`
 * (`persisted-documents.json`: `{ "<sha256>": "<document>" }`); clients send the id as `documentId` (the
 * GraphQL-over-HTTP persisted-documents form the preset documents) or as Apollo's
 * `extensions.persistedQuery.sha256Hash`. Any document sent as text is refused, and so is introspection: the schema
 * is not for the public to read in this mode. yoga's persisted-operations plugin does the lookup.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { usePersistedOperations, defaultExtractPersistedOperationId } from '@graphql-yoga/plugin-persisted-operations';
import { NoSchemaIntrospectionCustomRule, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ErrorCode } from './__generated__/resolvers-types';

/** Document id → document text. */
export type TrustedDocuments = ReadonlyMap<string, string>;

/** Reads and checks a manifest; throws an Error naming the file and the first problem. */
export function readTrustedDocuments(path: string, cwd = process.cwd()): TrustedDocuments {
  const file = resolve(cwd, path);
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a JSON file';
    throw new Error(`${file}: ${reason}`);
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new Error(`${file}: expected an object of document id → document, as graphql-codegen's client preset writes`);
  }
  const documents = new Map<string, string>();
  for (const [id, document] of Object.entries(manifest)) {
    if (typeof document !== 'string') throw new Error(`${file}: the document of "${id}" is not a string`);
    try {
      parse(document);
    } catch {
      throw new Error(`${file}: the document of "${id}" is not valid GraphQL`);
    }
    documents.set(id, document);
  }
  if (documents.size === 0) throw new Error(`${file}: lists no documents`);
  return documents;
}

/** `sha256:<hash>` (the persisted-documents spec's prefixed form) and the bare hash name the same document. */
function documentId(params: { extensions?: Record<string, unknown> } & Record<string, unknown>): string | null {
  const id = typeof params.documentId === 'string' ? params.documentId : defaultExtractPersistedOperationId(params as never, undefined as never, {});
  return id === null ? null : id.replace(/^sha256:/, '');
}

const refusal = (message: string, code: ErrorCode) => ({ message, extensions: { code, http: { status: 400 } } });

export function useTrustedDocuments(documents: TrustedDocuments): Plugin[] {
  return [
    usePersistedOperations({
      getPersistedOperation: (id) => documents.get(id) ?? null,
      extractPersistedOperationId: (params) => documentId(params as never),
      customErrors: {
        notFound: refusal('No trusted document has this id: this gateway runs only the operations its clients shipped', 'PERSISTED_QUERY_NOT_IN_LIST'),
        persistedQueryOnly: refusal(
          'This gateway runs only trusted documents: send the operation\'s id as "documentId" (or extensions.persistedQuery.sha256Hash), not its text',
          'PERSISTED_QUERY_ID_REQUIRED',
        ),
        keyNotFound: refusal('Send the id of a trusted document as "documentId" (or extensions.persistedQuery.sha256Hash)', 'PERSISTED_QUERY_ID_REQUIRED'),
      },
    }),
    {
      onValidate({ addValidationRule }) {
        addValidationRule(NoSchemaIntrospectionCustomRule);
      },
    },
  ];
}

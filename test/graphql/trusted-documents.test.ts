/** Trusted-documents mode (TRUSTED_DOCUMENTS): only the manifest's operations run, by id; no text, no introspection. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack';

const VAULT_COUNT = 'query VaultCount { vaults { totalCount } }';
const INTROSPECTION = 'query Schema { __schema { queryType { name } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('trusted documents', () => {
  const stack = useStack({
    gateway: { graphiql: true, trustedDocuments: new Map([[sha256(VAULT_COUNT), VAULT_COUNT], ['schema', INTROSPECTION]]) },
  });

  function post(body: Record<string, unknown>) {
    return stack.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': stack.emu.project.token, 'x-project-id': stack.emu.project.id },
      body: JSON.stringify(body),
    });
  }

  it('runs a registered operation sent by documentId, prefixed or not, or by Apollo persisted-query hash', async () => {
    for (const body of [
      { documentId: sha256(VAULT_COUNT) },
      { documentId: `sha256:${sha256(VAULT_COUNT)}`, variables: {} },
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(VAULT_COUNT) } } },
    ]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(await res.json()).toEqual({ data: { vaults: { totalCount: 0 } } });
    }
    expect(stack.calls()).toHaveLength(3);
  });

  it('refuses a document sent as text, even one of the manifest, and an unknown id, before any upstream call', async () => {
    for (const query of [VAULT_COUNT, '{ __typename }']) {
      const res = await post({ query });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.errors[0].extensions).toEqual({ code: 'PERSISTED_QUERY_ID_REQUIRED' });
      expect(body.errors[0].message).toContain('runs only trusted documents');
    }
    const unknown = await post({ documentId: sha256('query Other { vaults { totalCount } }') });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors[0].extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_IN_LIST' });
    const none = await post({ variables: {} });
    expect(none.status).toBe(400);
    expect((await none.json()).errors[0].extensions).toEqual({ code: 'PERSISTED_QUERY_ID_REQUIRED' });
    expect(stack.calls()).toEqual([]);
  });

  it('keeps introspection and GraphiQL off, even for a registered introspection document', async () => {
    const res = await post({ documentId: 'schema' });
    const body = await res.json();
    expect(body.data).toBeUndefined();
    expect(body.errors[0].message).toMatch(/introspection/i);
    const page = await stack.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    const note = await page.text();
    expect(note).toContain('GraphiQL is off');
    expect(note).not.toContain('<script');
  });
});

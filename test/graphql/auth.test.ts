import { describe, expect, it } from 'vitest';
import { DEMO_DOMAIN, DEMO_PROJECT, DEMO_USER } from '../../src/emulator/demo-identity';
import { addVault } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { startStack, useStack } from '../helpers/stack';

const QUERY = `{ vaults { totalCount nodes { name } } }`;

describe('caller token passthrough (gateway without credentials of its own)', () => {
  const stack = useStack();
  const P = PROJECT_A;

  it("forwards the caller's X-Auth-Token and X-Project-Id and acts in that project", async () => {
    addVault(stack.emu.emulator, stack.emu.otherProject.id, { name: 'in-b' });
    addVault(stack.emu.emulator, P, { name: 'in-a' });
    const res = await stack.execute(QUERY, undefined, { token: stack.emu.otherProject.token, projectId: stack.emu.otherProject.id });
    expect(res).toEqual({ data: { vaults: { totalCount: 1, nodes: [{ name: 'in-b' }] } } });
    expect(stack.calls()).toEqual([`GET /v3/${stack.emu.otherProject.id}/vaults?limit=20`]);
  });

  it('answers UNAUTHENTICATED without any upstream call when no token is sent and the gateway has no credentials', async () => {
    const res = await stack.execute(QUERY, undefined, { token: null });
    expect(res).toEqual({
      data: { vaults: null },
      errors: [
        {
          message: 'Send an X-Auth-Token header: this gateway has no credentials of its own configured',
          locations: [{ line: 1, column: 3 }],
          path: ['vaults'],
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    expect(stack.calls()).toEqual([]);
  });

  it('checks no Host without credentials of its own: a token-less caller is asked for a token whatever the Host', async () => {
    const res = await stack.execute(QUERY, undefined, { token: null, headers: { host: 'evil.example' } });
    expect(res.errors).toEqual([
      expect.objectContaining({ message: 'Send an X-Auth-Token header: this gateway has no credentials of its own configured', extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
    expect(stack.calls()).toEqual([]);
  });

  it('answers UNAUTHENTICATED with the upstream details when the upstream refuses the token (401)', async () => {
    const res = await stack.execute(QUERY, undefined, { token: 'emu-not-a-real-token' });
    expect(res.data).toEqual({ vaults: null });
    expect(res.errors?.[0]).toEqual(
      expect.objectContaining({
        extensions: {
          code: 'UNAUTHENTICATED',
          upstream: { status: 401, code: 'APIGW.0301', message: res.errors?.[0]?.message, requestId: expect.stringMatching(/^req-/) },
        },
      }),
    );
    expect(res.errors?.[0]?.message).toMatch(/^Incorrect IAM authentication information/);
  });

  it("answers FORBIDDEN when the token's project is not the project asked for (403)", async () => {
    const res = await stack.execute(QUERY, undefined, { token: stack.emu.otherProject.token, projectId: P });
    expect(res.errors?.[0]?.extensions).toEqual({
      code: 'FORBIDDEN',
      upstream: { status: 403, code: 'APIGW.0302', message: res.errors?.[0]?.message, requestId: expect.stringMatching(/^req-/) },
    });
  });

  it('refuses a token that cannot be a header value without sending it', async () => {
    const res = await stack.execute(QUERY, undefined, { token: 'two words' });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'The IAM token contains characters a token never has (whitespace, CR/LF or non-ASCII)',
        extensions: { code: 'UNAUTHENTICATED' },
      }),
    ]);
    expect(stack.calls()).toEqual([]);
  });

  it('asks for X-Project-Id when a token comes without one and no default project is configured', async () => {
    const res = await stack.execute(QUERY, undefined, { projectId: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'Send an X-Project-Id header with X-Auth-Token: this gateway has no default project',
        extensions: { code: 'UNAUTHENTICATED' },
      }),
    ]);
    expect(stack.calls()).toEqual([]);
  });

  it('refuses an X-Project-Id that is not an id as BAD_USER_INPUT', async () => {
    const res = await stack.execute(QUERY, undefined, { projectId: '../admin' });
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(stack.calls()).toEqual([]);
  });

  it('sends Cache-Control: no-store and serves no GraphiQL unless configured', async () => {
    const res = await stack.executeRaw(QUERY);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await stack.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    // No GraphiQL page: a browser gets the note saying how to turn it on (graphiql-page.test.ts), not the editor.
    expect(page.status).toBe(404);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('GraphiQL is off');
  });
});

describe("the gateway's own credentials", () => {
  it('uses the configured password flow when the caller sends no token, fetching one IAM token for many requests', async () => {
    const stack = await startStack({
      gateway: (url) => ({
        credentials: { kind: 'password', authUrl: `${url}/v3`, username: DEMO_USER.name, password: DEMO_USER.password, userDomainName: DEMO_DOMAIN.name, projectId: DEMO_PROJECT.id },
      }),
    });
    try {
      addVault(stack.emu.emulator, DEMO_PROJECT.id, { name: 'demo-vault' });
      const first = await stack.execute(QUERY, undefined, { token: null, projectId: null });
      const second = await stack.execute(QUERY, undefined, { token: null, projectId: null });
      expect(first).toEqual({ data: { vaults: { totalCount: 1, nodes: [{ name: 'demo-vault' }] } } });
      expect(second).toEqual(first);
      const iam = stack.emu.emulator.requestLog.entries().filter((e) => e.url === '/v3/auth/tokens');
      expect(iam.map((e) => `${e.method} ${e.url} ${e.status}`)).toEqual(['POST /v3/auth/tokens 201']);
      expect(stack.calls()).toEqual([`GET /v3/${DEMO_PROJECT.id}/vaults?limit=20`, `GET /v3/${DEMO_PROJECT.id}/vaults?limit=20`]);
    } finally {
      await stack.close();
    }
  });

  it("lets a caller's token win over the configured credentials, in the gateway's project when no X-Project-Id is sent", async () => {
    const stack = await startStack({
      gateway: (url) => ({
        credentials: { kind: 'password', authUrl: `${url}/v3`, username: DEMO_USER.name, password: DEMO_USER.password, userDomainName: DEMO_DOMAIN.name, projectName: DEMO_PROJECT.name },
      }),
    });
    try {
      // A token of another project without X-Project-Id: the path names the gateway's project, the upstream refuses.
      const res = await stack.execute(QUERY, undefined, { token: stack.emu.otherProject.token, projectId: null });
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(stack.calls()).toEqual([`GET /v3/${DEMO_PROJECT.id}/vaults?limit=20`]);
    } finally {
      await stack.close();
    }
  });

  it('signs every request with AK/SK when configured so', async () => {
    const stack = await startStack({
      gateway: { credentials: { kind: 'aksk', accessKey: DEMO_USER.accessKey, secretKey: DEMO_USER.secretKey, projectId: DEMO_PROJECT.id } },
    });
    try {
      addVault(stack.emu.emulator, DEMO_PROJECT.id, { name: 'signed' });
      const res = await stack.execute(QUERY, undefined, { token: null, projectId: null });
      expect(res).toEqual({ data: { vaults: { totalCount: 1, nodes: [{ name: 'signed' }] } } });
    } finally {
      await stack.close();
    }
  });

  it('serves callers with a token but no X-Project-Id in the configured default project', async () => {
    const stack = await startStack({ gateway: { defaultProjectId: DEMO_PROJECT.id } });
    try {
      const res = await stack.execute(QUERY, undefined, { projectId: null });
      expect(res).toEqual({ data: { vaults: { totalCount: 0, nodes: [] } } });
      expect(stack.calls()).toEqual([`GET /v3/${DEMO_PROJECT.id}/vaults?limit=20`]);
    } finally {
      await stack.close();
    }
  });
});

describe('X-Project-Id without X-Auth-Token (the gateway acts with its own credentials)', () => {
  // By project name: the gateway learns its project from its IAM token, the path a real deployment may take.
  const stack = useStack({
    gateway: (url) => ({
      credentials: { kind: 'password', authUrl: `${url}/v3`, username: DEMO_USER.name, password: DEMO_USER.password, userDomainName: DEMO_DOMAIN.name, projectName: DEMO_PROJECT.name },
    }),
  });
  const cbrCalls = () => stack.emu.emulator.requestLog.entries().filter((e) => e.url !== '/v3/auth/tokens');

  it('refuses every upstream call when it names another project, asking for a token of that project', async () => {
    addVault(stack.emu.emulator, DEMO_PROJECT.id, { name: 'the-gateway-s-own' });
    const other = stack.emu.otherProject.id;
    const res = await stack.execute(`{ vaults { totalCount } policies { totalCount } }`, undefined, { token: null, projectId: other });
    const message = `X-Project-Id names project ${other}, which the gateway's own credentials do not act in: send an X-Auth-Token for that project`;
    expect(res).toEqual({
      data: { vaults: null, policies: null },
      errors: [
        { message, locations: [{ line: 1, column: 3 }], path: ['vaults'], extensions: { code: 'UNAUTHENTICATED' } },
        { message, locations: [{ line: 1, column: 25 }], path: ['policies'], extensions: { code: 'UNAUTHENTICATED' } },
      ],
    });
    const write = await stack.execute(`mutation { deleteVault(input: { id: "${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}" }) { deletedVaultId } }`, undefined, {
      token: null,
      projectId: other,
    });
    expect(write.errors).toEqual([expect.objectContaining({ message, extensions: { code: 'UNAUTHENTICATED' } })]);
    expect(cbrCalls()).toEqual([]);
  });

  it("acts in the gateway's project when it names that project", async () => {
    addVault(stack.emu.emulator, DEMO_PROJECT.id, { name: 'the-gateway-s-own' });
    const res = await stack.execute(QUERY, undefined, { token: null, projectId: DEMO_PROJECT.id });
    expect(res).toEqual({ data: { vaults: { totalCount: 1, nodes: [{ name: 'the-gateway-s-own' }] } } });
    expect(stack.calls()).toEqual([`GET /v3/${DEMO_PROJECT.id}/vaults?limit=20`]);
  });

  it('refuses one that is not an id as BAD_USER_INPUT, as with a token, before any call', async () => {
    const res = await stack.execute(QUERY, undefined, { token: null, projectId: '../admin' });
    expect(res.errors).toEqual([
      expect.objectContaining({ message: 'A project id must be 1-64 letters, digits, "_" or "-"', extensions: { code: 'BAD_USER_INPUT' } }),
    ]);
    expect(stack.emu.emulator.requestLog.entries()).toEqual([]);
  });
});

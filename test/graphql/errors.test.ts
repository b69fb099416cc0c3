import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { addServer, addVault, T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { startStack, useStack } from '../helpers/stack';
import { createGateway } from '../../src/gateway/yoga';
import { describeError, maskGatewayError } from '../../src/gateway/errors';
import { UpstreamContractError, UpstreamError } from '../../src/upstream/errors';

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;

const REQUEST_ID = expect.stringMatching(/^req-/);

describe('upstream failures → extensions.code', () => {
  it('maps an upstream 500 to UPSTREAM_ERROR, replacing the message and keeping the request id', async () => {
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 500 }] });
    const res = await stack.execute(`{ vaults { totalCount } }`);
    expect(res.data).toEqual({ vaults: null });
    const requestId = res.errors?.[0]?.extensions?.upstream?.requestId;
    expect(res.errors).toEqual([
      {
        message: `The upstream service failed (HTTP 500); request id ${requestId}`,
        locations: [{ line: 1, column: 3 }],
        path: ['vaults'],
        extensions: { code: 'UPSTREAM_ERROR', upstream: { status: 500, code: 'BackupService.9910', requestId: REQUEST_ID } },
      },
    ]);
    // A 500 is not retried (only 429/502/503/504 are, and only for idempotent calls).
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=20`]);
  });

  it('retries a 503 twice for a read, then reports UPSTREAM_ERROR', async () => {
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 503 }] });
    const res = await stack.execute(`{ vaults { totalCount } }`);
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_ERROR', upstream: { status: 503, code: 'APIGW.0202', requestId: REQUEST_ID } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=20`, `GET /v3/${P}/vaults?limit=20`, `GET /v3/${P}/vaults?limit=20`]);
  });

  it('never retries a mutation (POST) on a 503', async () => {
    stack.emu.emulator.faults.set({ rules: [{ route: 'POST /v3/:project_id/vaults', errorRate: 1, status: 503 }] });
    const res = await stack.execute(`mutation { createVault(input: { name: "v", billing: { objectType: DISK, sizeGb: 10 } }) { vault { id } } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    expect(stack.calls()).toEqual([`POST /v3/${P}/vaults`]);
  });

  it('maps an upstream 429 to RATE_LIMITED once the retries are used up', async () => {
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 429, retryAfterSeconds: 0 }] });
    const res = await stack.execute(`{ vaults { totalCount } }`);
    expect(res.errors?.[0]).toEqual(
      expect.objectContaining({
        message: 'The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute',
        extensions: {
          code: 'RATE_LIMITED',
          upstream: {
            status: 429,
            code: 'APIGW.0308',
            message: 'The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute',
            requestId: REQUEST_ID,
          },
          // The upstream's Retry-After, passed on.
          retryAfterSeconds: 0,
        },
      }),
    );
  });

  it('maps an upstream 409 to CONFLICT with the upstream message', async () => {
    stack.emu.emulator.faults.set({
      rules: [{ route: 'DELETE /v3/:project_id/policies/:policy_id', errorRate: 1, status: 409, code: 'BackupService.6003', message: 'The policy is in use.' }],
    });
    const res = await stack.execute(`mutation { deletePolicy(input: { id: "p1" }) { deletedPolicyId } }`);
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'The policy is in use.',
        path: ['deletePolicy'],
        extensions: { code: 'CONFLICT', upstream: { status: 409, code: 'BackupService.6003', message: 'The policy is in use.', requestId: REQUEST_ID } },
      }),
    ]);
  });

  it('maps a 504 from the upstream gateway to UPSTREAM_TIMEOUT', async () => {
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults/:vault_id', errorRate: 1, status: 504 }] });
    const res = await stack.execute(`{ vault(id: "v1") { id } }`);
    expect(res).toEqual({
      data: { vault: null },
      errors: [
        {
          message: expect.stringMatching(/^The upstream service failed \(HTTP 504\); request id req-/),
          locations: [{ line: 1, column: 3 }],
          path: ['vault'],
          extensions: { code: 'UPSTREAM_TIMEOUT', upstream: { status: 504, code: 'APIGW.0203', requestId: REQUEST_ID } },
        },
      ],
    });
  });

  it('fails only the edge whose upstream call failed: the rest of the answer stays', async () => {
    const server = addServer(stack.emu.emulator, P, { name: 'web' });
    addVault(stack.emu.emulator, P, { name: 'v', resources: [server] });
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/policies', errorRate: 1, status: 500 }] });
    const res = await stack.execute(`{ vaults { totalCount nodes { name policy { id } resources { name } } } }`);
    expect(res).toEqual({
      data: { vaults: { totalCount: 1, nodes: [{ name: 'v', policy: null, resources: [{ name: 'web' }] }] } },
      errors: [
        {
          message: expect.stringMatching(/^The upstream service failed \(HTTP 500\)/),
          locations: [{ line: 1, column: 36 }],
          path: ['vaults', 'nodes', 0, 'policy'],
          extensions: { code: 'UPSTREAM_ERROR', upstream: { status: 500, code: 'BackupService.9910', requestId: REQUEST_ID } },
        },
      ],
    });
  });

  it('masks a body that breaks the wire contract as an unexpected error and logs it', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'broken' });
    (vault.billing as Record<string, unknown>).size = 'a lot';
    const res = await stack.execute(`query ($id: ID!) { vault(id: $id) { name } }`, { id: vault.id });
    expect(res).toEqual({
      data: { vault: null },
      errors: [{ message: 'Unexpected error.', locations: [{ line: 1, column: 20 }], path: ['vault'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(stack.logged.filter((l) => l.level === 'error')).toHaveLength(1);
    expect(String(stack.logged.find((l) => l.level === 'error')!.args[0])).toContain('billing.size');
  });
});

describe('logging', () => {
  it("logs a caller's mistake at debug, a failing upstream at warn and a bug at error", async () => {
    await stack.execute(`mutation { deletePolicy(input: { id: "missing" }) { deletedPolicyId } }`);
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 500 }] });
    await stack.execute(`{ vaults { totalCount } }`);
    const broken = addVault(stack.emu.emulator, P);
    (broken.billing as Record<string, unknown>).size = 'lots';
    await stack.execute(`query ($id: ID!) { vault(id: $id) { id } }`, { id: broken.id });
    // Only the masked errors (yoga's own debug lines are strings).
    const errors = stack.logged.filter((line) => line.args[0] instanceof Error);
    expect(errors.map((line) => [line.level, String(line.args[0]).split('\n')[0]])).toEqual([
      ['debug', expect.stringContaining('The policy does not exist.')],
      ['warn', expect.stringContaining('Unknown error.')],
      ['error', expect.stringContaining('billing.size')],
    ]);
  });
});

describe('unreachable and slow upstreams', () => {
  it('maps a refused connection to UPSTREAM_UNAVAILABLE without naming the host', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const gateway = createGateway({ cbrEndpoint: `http://127.0.0.1:${port}`, logging: false });
    try {
      const res = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-token': 'any-token', 'x-project-id': P },
        body: JSON.stringify({ query: '{ vault(id: "v1") { id } }' }),
      });
      expect(await res.json()).toEqual({
        data: { vault: null },
        errors: [
          {
            message: 'The upstream service could not be reached (ECONNREFUSED)',
            locations: [{ line: 1, column: 3 }],
            path: ['vault'],
            extensions: { code: 'UPSTREAM_UNAVAILABLE' },
          },
        ],
      });
    } finally {
      await gateway.close();
    }
  });

  it('maps an upstream slower than the deadline to UPSTREAM_TIMEOUT, without retrying', async () => {
    const slow = await startStack({ gateway: { upstreamTimeoutMs: 200 } });
    try {
      slow.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', latency: { minMs: 1_000 } }] });
      const res = await slow.execute(`{ vaults { totalCount } }`);
      expect(res).toEqual({
        data: { vaults: null },
        errors: [
          {
            message: 'The upstream service did not answer within 200 ms',
            locations: [{ line: 1, column: 3 }],
            path: ['vaults'],
            extensions: { code: 'UPSTREAM_TIMEOUT' },
          },
        ],
      });
    } finally {
      await slow.close();
    }
  });
});

describe('limits on the shape of an operation', () => {
  it('refuses an operation nested deeper than 12 levels before any upstream call', async () => {
    // vaults > nodes > resources > vault > resources > vault > ... : 13 levels.
    const deep = `{ vaults { nodes { resources { vault { resources { vault { resources { vault { resources { vault { resources { vault { id } } } } } } } } } } } } }`;
    const res = await stack.executeRaw(deep);
    // With `Accept: application/json` yoga answers request errors with 200 (graphql-over-http legacy mode).
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      errors: [
        {
          message: 'The operation is 13 levels deep; at most 12 are allowed',
          locations: [{ line: 1, column: 1 }],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    expect(stack.calls()).toEqual([]);
  });

  it('counts fragments into the depth and lets introspection through', async () => {
    const viaFragment = await stack.execute(`{ vaults { ...A } } fragment A on VaultConnection { nodes { resources { vault { resources { vault { resources { vault { resources { vault { resources { vault { id } } } } } } } } } } } }`);
    expect(viaFragment.errors?.[0]?.message).toBe('The operation is 13 levels deep; at most 12 are allowed');
    const introspection = await stack.execute(`{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }`);
    expect(introspection.errors).toBeUndefined();
  });

  it('refuses more than 15 aliases', async () => {
    const aliased = Array.from({ length: 16 }, (_, i) => `a${i}: vault(id: "v${i}") { id }`).join(' ');
    const res = await stack.execute(`{ ${aliased} }`);
    expect(res).toEqual({
      errors: [{ message: 'The operation uses 16 aliases; at most 15 are allowed', locations: [{ line: 1, column: 1 }], extensions: { code: 'BAD_USER_INPUT' } }],
    });
    expect(stack.calls()).toEqual([]);
  });

  it('refuses more than 10 directives and more than 2000 tokens', async () => {
    const fields = Array.from({ length: 11 }, () => `__typename @include(if: true)`).join(' ');
    const many = await stack.execute(`{ ${fields} }`);
    expect(many.errors?.[0]?.message).toBe('The operation uses 11 directives; at most 10 are allowed');
    const long = await stack.execute(`{ ${Array.from({ length: 2100 }, () => `__typename`).join(' ')} vaults { totalCount } }`);
    expect(long.errors?.[0]?.message).toBe('Syntax Error: Document contains more that 2000 tokens. Parsing aborted.' /* sic, graphql-js */);
    expect(stack.calls()).toEqual([]);
  });
});

describe('the request body limit (256 KB)', () => {
  const headers = { 'content-type': 'application/json', accept: 'application/json', 'x-auth-token': 'unused' };
  const query = (padding: number) => JSON.stringify({ query: `{ __typename ${'#'.repeat(padding)}\n}` });
  /** A body without Content-Length (chunked on the wire), in 64 KB chunks. */
  const chunked = (text: string) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = Buffer.from(text);
        for (let i = 0; i < bytes.length; i += 65_536) controller.enqueue(bytes.subarray(i, i + 65_536));
        controller.close();
      },
    });
  const send = async (body: string | ReadableStream<Uint8Array>, extra: Record<string, string> = {}) => {
    const init = { method: 'POST', headers: { ...headers, ...extra }, body, duplex: 'half' } as RequestInit;
    const res = await stack.gateway.fetch('http://gateway.test/graphql', init);
    return { status: res.status, body: await res.json() };
  };
  const TOO_LARGE = { status: 413, body: { errors: [{ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }] } };

  it('refuses a larger body by its Content-Length, and one without a length once 256 KB have arrived', async () => {
    expect(await send(query(300_000))).toEqual(TOO_LARGE);
    expect(await send(chunked(query(300_000)))).toEqual(TOO_LARGE);
  });

  it('reads bodies up to the limit, with or without a length', async () => {
    const ok = { status: 200, body: { data: { __typename: 'Query' } } };
    expect(await send(query(200_000))).toEqual(ok);
    expect(await send(chunked(query(200_000)))).toEqual(ok);
  });

  it('refuses a Content-Length that is not one number', async () => {
    expect(await send(query(10), { 'content-length': '30,30' })).toEqual({
      status: 400,
      body: { errors: [{ message: 'Content-Length header is invalid.', extensions: { code: 'BAD_REQUEST' } }] },
    });
  });
});

describe('requests that are not GraphQL-over-HTTP', () => {
  const post = async (body: string, headers: Record<string, string>) => {
    const res = await stack.gateway.fetch('http://gateway.test/graphql', { method: 'POST', headers, body });
    return { status: res.status, body: await res.json() };
  };

  it("answers a body that is not JSON with BAD_REQUEST and 400, echoing neither the body nor the parser's error", async () => {
    const NOT_JSON = { status: 400, body: { errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }] } };
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      expect(await post('{"query": "{ __typename }', { 'content-type': 'application/json', accept })).toEqual(NOT_JSON);
    }
    // The caller's mistake, not a bug: logged (by yoga, twice a request) at debug.
    const levels = new Set(stack.logged.filter((line) => line.args[0] instanceof Error).map((line) => line.level));
    expect(levels).toEqual(new Set(['debug']));
  });
});

describe('the error table', () => {
  it('maps every documented status to its code', () => {
    const code = (status: number) => describeError(new UpstreamError(status, 'X.1', 'msg', 'r1', 'GET', '/v3/p/x'))?.extensions.code;
    expect([400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504, 405].map((s) => [s, code(s)])).toEqual([
      [400, 'BAD_USER_INPUT'],
      [401, 'UNAUTHENTICATED'],
      [403, 'FORBIDDEN'],
      [404, 'NOT_FOUND'],
      [408, 'UPSTREAM_TIMEOUT'],
      [409, 'CONFLICT'],
      [413, 'BAD_USER_INPUT'],
      [422, 'BAD_USER_INPUT'],
      [429, 'RATE_LIMITED'],
      [500, 'UPSTREAM_ERROR'],
      [502, 'UPSTREAM_ERROR'],
      [503, 'UPSTREAM_ERROR'],
      [504, 'UPSTREAM_TIMEOUT'],
      [405, 'UPSTREAM_ERROR'],
    ]);
  });

  it('keeps anything unrecognised masked, contract violations included', () => {
    expect(describeError(new UpstreamContractError('GET', '/v3/p/vaults', 200, 'vaults.0.id: expected string', 'r1'))).toBeUndefined();
    expect(describeError(new Error('boom'))).toBeUndefined();
    const masked = maskGatewayError(new Error('secret detail'), 'Unexpected error.', false);
    expect(masked.message).toBe('Unexpected error.');
    expect((masked as { extensions?: unknown }).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', unexpected: true });
  });
});

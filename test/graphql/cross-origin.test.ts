/**
 * What a web page of another origin can do through the gateway: CORS (read answers, send preflighted requests), CSRF
 * (requests a browser sends without a preflight) and DNS rebinding (a page of another host name made same-origin). A
 * caller without X-Auth-Token acts with the gateway's own credentials, so every test here runs a gateway that has some
 * (the demo account's password flow).
 */
import { describe, expect, it } from 'vitest';
import { DEMO_DOMAIN, DEMO_PROJECT, DEMO_USER } from '../../src/emulator/demo-identity';
import { useStack, type Stack, type StackOptions } from '../helpers/stack';

const ENDPOINT = 'http://gateway.test/graphql';
const READ = '{ vaults { totalCount } }';
const WRITE = 'mutation { createVault(input: { name: "csrf", billing: { objectType: SERVER, sizeGb: 10 }, resources: [] }) { vault { id } } }';
const EVIL = 'https://evil.example';
const APP = 'https://app.example.com';

function withOwnCredentials(overrides: Exclude<StackOptions['gateway'], Function> = {}): StackOptions {
  return {
    gateway: (url) => ({
      credentials: { kind: 'password', authUrl: `${url}/v3`, username: DEMO_USER.name, password: DEMO_USER.password, userDomainName: DEMO_DOMAIN.name, projectId: DEMO_PROJECT.id },
      ...overrides,
    }),
  };
}

/** A browser's preflight for a JSON POST carrying X-Auth-Token. */
function preflight(stack: Stack, origin: string): Promise<Response> {
  return Promise.resolve(
    stack.gateway.fetch(ENDPOINT, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-auth-token' },
    }),
  );
}

function get(stack: Stack, query: string, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(stack.gateway.fetch(`${ENDPOINT}?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/json', ...headers } }));
}

function post(stack: Stack, contentType: string, body: string | FormData, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(
    stack.gateway.fetch(ENDPOINT, { method: 'POST', headers: { origin: EVIL, ...(contentType ? { 'content-type': contentType } : {}), ...headers }, body }),
  );
}

/** The CORS response headers of `res`, by lower-case name. */
function corsHeaders(res: Response): Record<string, string> {
  return Object.fromEntries([...res.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'));
}

describe('CORS without configuration: no cross-origin access', () => {
  const stack = useStack(withOwnCredentials());

  it('sends no CORS headers to another origin, so its page cannot read the answer', async () => {
    const res = await get(stack, READ, { origin: EVIL, 'x-graphql-yoga-csrf': '1' });
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({});
    const posted = await stack.executeRaw(READ, undefined, { token: null, projectId: null, headers: { origin: EVIL } });
    expect(corsHeaders(posted)).toEqual({});
  });

  it('allows no preflight: another origin cannot send a JSON POST or X-Auth-Token', async () => {
    const res = await preflight(stack, EVIL);
    expect(corsHeaders(res)).toEqual({});
    // Refused with the reason, for whoever reads the preflight in a browser's network panel.
    expect(res.status).toBe(403);
    expect(await res.text()).toBe(
      'CORS: origin https://evil.example may not call this gateway from a browser: it is not in CORS_ORIGINS (the gateway\'s setting listing the web origins allowed)\n',
    );
  });

  it('leaves an OPTIONS that is no preflight (no Origin or no Access-Control-Request-Method) to yoga (405)', async () => {
    for (const headers of [{}, { origin: EVIL }]) {
      const res = await stack.gateway.fetch(ENDPOINT, { method: 'OPTIONS', headers });
      expect(res.status, JSON.stringify(headers)).toBe(405);
    }
  });
});

describe('CORS with allowed origins configured', () => {
  const stack = useStack(withOwnCredentials({ corsOrigins: [APP, 'http://localhost:5173'] }));

  it('lets an allowed origin read answers, without credentials (cookies) and varying by Origin', async () => {
    const res = await stack.executeRaw(READ, undefined, { headers: { origin: APP } });
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({ 'access-control-allow-origin': APP, vary: 'Origin' });
  });

  it('answers an allowed origin\'s preflight with the methods and headers the API uses', async () => {
    const res = await preflight(stack, 'http://localhost:5173');
    expect(res.status).toBe(204);
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type, x-auth-token, x-project-id, x-graphql-yoga-csrf',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
  });

  it('matches origins exactly: another scheme, port, subdomain or suffix, and the opaque "null", get nothing', async () => {
    for (const origin of ['http://app.example.com', 'https://app.example.com:8443', 'https://x.app.example.com', 'https://app.example.com.evil.example', 'null', EVIL]) {
      const res = await preflight(stack, origin);
      expect(corsHeaders(res), origin).toEqual({});
      expect(res.status, origin).toBe(403);
      expect(await res.text(), origin).toContain('not in CORS_ORIGINS');
      const read = await stack.executeRaw(READ, undefined, { headers: { origin } });
      expect(corsHeaders(read), origin).toEqual({});
    }
  });
});

describe('CSRF: requests a browser sends cross-origin without a preflight run nothing', () => {
  const stack = useStack(withOwnCredentials({ graphiql: true }));

  /** Asserts the CSRF refusal (yoga's status, coded FORBIDDEN, naming the headers) and that nothing reached the upstream. */
  async function expectRefused(res: Response) {
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    expect(await res.json()).toEqual({
      errors: [
        {
          message: 'A GET, or a POST that is not application/json, needs one of the headers x-graphql-yoga-csrf, x-auth-token, x-project-id (CSRF prevention)',
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    expect(stack.calls()).toEqual([]);
  }

  it('refuses a form POST (application/x-www-form-urlencoded) of a mutation', async () => {
    await expectRefused(await post(stack, 'application/x-www-form-urlencoded', new URLSearchParams({ query: WRITE }).toString()));
  });

  it('refuses a form POST of a query', async () => {
    await expectRefused(await post(stack, 'application/x-www-form-urlencoded; charset=UTF-8', new URLSearchParams({ query: READ }).toString()));
  });

  it('refuses multipart/form-data and text/plain bodies', async () => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: WRITE }));
    await expectRefused(await post(stack, '', form));
    await expectRefused(await post(stack, 'text/plain;charset=UTF-8', JSON.stringify({ query: WRITE })));
    await expectRefused(await post(stack, '', JSON.stringify({ query: WRITE })));
  });

  it('answers a text/plain or untyped POST that carries the CSRF header with 415 and a coded error, running nothing', async () => {
    const body = JSON.stringify({ query: WRITE });
    const refusals = {
      'Content-Type text/plain': await post(stack, 'text/plain;charset=UTF-8', body, { 'x-graphql-yoga-csrf': '1' }),
      // Bytes, not a string: fetch would label a string text/plain.
      'A POST without Content-Type': await stack.gateway.fetch(ENDPOINT, { method: 'POST', headers: { 'x-graphql-yoga-csrf': '1' }, body: new TextEncoder().encode(body) }),
    };
    for (const [what, res] of Object.entries(refusals)) {
      expect(res.status, what).toBe(415);
      expect(await res.json(), what).toEqual({
        errors: [{ message: `${what} is not a GraphQL request: send the body as application/json`, extensions: { code: 'BAD_REQUEST' } }],
      });
    }
    expect(stack.calls()).toEqual([]);
    expect(stack.logged.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('leaves other methods to yoga (405)', async () => {
    const res = await stack.gateway.fetch(ENDPOINT, { method: 'PUT', headers: { 'content-type': 'text/plain', 'x-graphql-yoga-csrf': '1' }, body: READ });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    const bare = await stack.gateway.fetch(ENDPOINT, { method: 'DELETE' });
    expect(bare.status).toBe(405);
  });

  it('refuses a GET query without a header a browser would preflight', async () => {
    await expectRefused(await get(stack, READ, { origin: EVIL }));
    await expectRefused(await get(stack, READ));
  });

  it('serves a GET query that carries x-graphql-yoga-csrf or X-Auth-Token', async () => {
    const withHeader = await get(stack, READ, { 'x-graphql-yoga-csrf': '1' });
    expect(withHeader.status).toBe(200);
    expect(await withHeader.json()).toEqual({ data: { vaults: { totalCount: 0 } } });
    const withToken = await get(stack, READ, { 'x-auth-token': stack.emu.project.token, 'x-project-id': stack.emu.project.id });
    expect(await withToken.json()).toEqual({ data: { vaults: { totalCount: 0 } } });
  });

  it('still refuses a mutation over GET, header or not (405)', async () => {
    const res = await get(stack, WRITE, { 'x-graphql-yoga-csrf': '1' });
    expect(res.status).toBe(405);
    expect(stack.calls()).toEqual([]);
  });

  it('serves a JSON POST (the README\'s curl, GraphiQL) without any extra header', async () => {
    const res = await stack.executeRaw(READ, undefined, { token: null, projectId: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { vaults: { totalCount: 0 } } });
  });

  it('still serves the GraphiQL page to a browser', async () => {
    const page = await stack.gateway.fetch(ENDPOINT, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('YogaGraphiQL');
  });
});

describe('DNS rebinding: requests without a token are served only for loopback or allowed Host names', () => {
  const stack = useStack(withOwnCredentials({ allowedHosts: ['gateway.internal', '10.0.0.7'] }));
  const refusal = (name: string) => ({
    errors: [
      {
        message: `Requests without X-Auth-Token use this gateway's own credentials, which host "${name}" may not use (DNS rebinding protection): send an X-Auth-Token, or add the host name to ALLOWED_HOSTS`,
        extensions: { code: 'FORBIDDEN' },
      },
    ],
  });

  /** A JSON POST as a same-origin page sends it: no CSRF header needed, and no token. */
  function asPage(host: string, headers: Record<string, string> = {}): Promise<Response> {
    return stack.executeRaw(READ, undefined, { token: null, projectId: null, headers: { host, ...headers } });
  }

  it('refuses a token-less request whose Host is another name with 403, before any IAM or CBR call', async () => {
    const res = await asPage('evil.example');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual(refusal('evil.example'));
    const write = await stack.gateway.fetch(ENDPOINT, {
      method: 'POST',
      headers: { host: 'evil.example:4000', 'content-type': 'application/json', 'x-project-id': DEMO_PROJECT.id },
      body: JSON.stringify({ query: WRITE }),
    });
    expect(write.status).toBe(403);
    expect(await write.json()).toEqual(refusal('evil.example'));
    const viaGet = await get(stack, READ, { host: 'evil.example', 'x-graphql-yoga-csrf': '1' });
    expect(viaGet.status).toBe(403);
    expect(stack.emu.emulator.requestLog.entries()).toEqual([]);
  });

  it('refuses names that only look local or allowed', async () => {
    for (const host of ['localhost.evil.example', '127.0.0.1.nip.io:4000', 'evil-localhost', 'gateway.internal.evil.example', '10.0.0.8.evil.example', '0x7f000001', '[localhost]']) {
      const res = await asPage(host);
      expect(res.status, host).toBe(403);
    }
    expect(stack.emu.emulator.requestLog.entries()).toEqual([]);
  });

  it('serves hosts that cannot be rebound: localhost, *.localhost and IP addresses, with or without a port', async () => {
    for (const host of ['localhost:4000', 'localhost', 'localhost.:4000', 'LocalHost:4000', 'app.localhost:5173', '127.0.0.1:4000', '127.1.2.3', '[::1]:4000', '[::1]', '192.168.1.10:4000', '[fd00::2]']) {
      const res = await asPage(host);
      expect(res.status, host).toBe(200);
      expect(await res.json(), host).toEqual({ data: { vaults: { totalCount: 0 } } });
    }
  });

  it('serves the host names of ALLOWED_HOSTS, in any case and on any port', async () => {
    for (const host of ['gateway.internal', 'Gateway.Internal:8443', 'gateway.internal.', '10.0.0.7:4000']) {
      const res = await asPage(host);
      expect(await res.json(), host).toEqual({ data: { vaults: { totalCount: 0 } } });
    }
  });

  it('serves a caller with X-Auth-Token whatever the Host: a rebinding page cannot know the token', async () => {
    const res = await stack.executeRaw(READ, undefined, { headers: { host: 'evil.example' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { vaults: { totalCount: 0 } } });
  });
});

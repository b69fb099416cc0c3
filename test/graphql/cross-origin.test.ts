/**
 * What a web page of another origin can do through the gateway: CORS (read answers, send preflighted requests) and
 * CSRF (requests a browser sends without a preflight). A caller without X-Auth-Token acts with the gateway's own
 * credentials, so every test here runs a gateway that has some (the demo account's password flow).
 */
import { describe, expect, it } from 'vitest';
import { DEMO_DOMAIN, DEMO_PROJECT, DEMO_USER } from '../../src/emulator/demo-identity';
import { useStack, type Stack, type StackOptions } from '../helpers/stack';

const ENDPOINT = 'http://gateway.test/graphql';
const READ = '{ vaults { totalCount } }';
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
    expect(res.ok).toBe(false);
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
      const read = await stack.executeRaw(READ, undefined, { headers: { origin } });
      expect(corsHeaders(read), origin).toEqual({});
    }
  });
});

import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultVbsEndpoint, loadConfig } from '../../src/config';
import { DEMO_DOMAIN, DEMO_PROJECT, DEMO_USER } from '../../src/emulator/demo-identity';
import { banner, start } from '../../src/main';
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
    // No GraphiQL page: a browser's GET is refused as not acceptable instead.
    expect(page.status).toBe(406);
    expect(await page.text()).toBe('');
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

describe('configuration', () => {
  it('defaults to the embedded emulator on port 4000 with GraphiQL', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      cbrEndpoint: undefined,
      vbsEndpoint: undefined,
      credentials: undefined,
      defaultProjectId: undefined,
      upstreamTimeoutMs: 10_000,
      maxUpstreamCallsPerRequest: 500,
      graphiql: true,
      corsOrigins: [],
      allowedHosts: [],
      logLevel: 'info',
    });
  });

  it('reads the password flow and derives the VBS endpoint from the CBR one', () => {
    const config = loadConfig({
      PORT: '8080',
      CBR_ENDPOINT: 'https://cbr.eu-de.otc.t-systems.com/',
      OS_AUTH_URL: 'https://iam.eu-de.otc.t-systems.com/v3',
      OS_USERNAME: 'alice',
      OS_PASSWORD: 's3cret',
      OS_USER_DOMAIN_NAME: 'OTC-EU-DE-000',
      OS_PROJECT_NAME: 'eu-de',
    });
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      cbrEndpoint: 'https://cbr.eu-de.otc.t-systems.com',
      vbsEndpoint: 'https://vbs.eu-de.otc.t-systems.com',
      credentials: {
        kind: 'password',
        authUrl: 'https://iam.eu-de.otc.t-systems.com/v3',
        username: 'alice',
        password: 's3cret',
        userDomainName: 'OTC-EU-DE-000',
        projectName: 'eu-de',
      },
      defaultProjectId: undefined,
      upstreamTimeoutMs: 10_000,
      maxUpstreamCallsPerRequest: 500,
      graphiql: false,
      corsOrigins: [],
      allowedHosts: [],
      logLevel: 'info',
    });
    expect(defaultVbsEndpoint('http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010');
  });

  it('reads AK/SK with its project, and an explicit VBS endpoint', () => {
    const config = loadConfig({
      CBR_ENDPOINT: 'https://cbr.example.com',
      VBS_ENDPOINT: 'https://backup.example.com',
      OS_ACCESS_KEY: 'AK',
      OS_SECRET_KEY: 'SK',
      OS_PROJECT_ID: 'p1',
      GRAPHIQL: 'true',
    });
    expect(config.credentials).toEqual({ kind: 'aksk', accessKey: 'AK', secretKey: 'SK', projectId: 'p1' });
    expect(config.vbsEndpoint).toBe('https://backup.example.com');
    expect(config.defaultProjectId).toBe('p1');
    expect(config.graphiql).toBe(true);
  });

  it('reads CORS_ORIGINS as exact origins, normalised as browsers send them', () => {
    expect(loadConfig({ CORS_ORIGINS: ' https://App.example.com:443/ , http://localhost:5173,https://app.example.com' }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(loadConfig({ CORS_ORIGINS: '' }).corsOrigins).toEqual([]);
  });

  it('refuses CORS_ORIGINS entries that are not exact http(s) origins (wildcards, paths, null)', () => {
    for (const item of ['*', 'https://*.example.com', 'https://app.example.com/app', 'null', 'app.example.com', 'ftp://app.example.com']) {
      expect(() => loadConfig({ CORS_ORIGINS: `https://ok.example.com,${item}` }), item).toThrow(
        new ConfigError(
          `Invalid configuration:\n  - CORS_ORIGINS: "${item}" is not an http(s) origin; list exact origins without a path or wildcard, e.g. https://app.example.com`,
        ),
      );
    }
  });

  it('reads ALLOWED_HOSTS as host names, normalised as browsers send them in Host', () => {
    expect(loadConfig({ ALLOWED_HOSTS: ' Gateway.Example.com, gw.internal,10.0.0.7,[FD00::0:1],fd00::2 ,gateway.example.com,my_service,gw.internal.,api.example.com.' }).allowedHosts).toEqual([
      'gateway.example.com',
      'gw.internal',
      '10.0.0.7',
      '[fd00::1]',
      '[fd00::2]',
      'my_service',
      'api.example.com',
    ]);
    expect(loadConfig({ ALLOWED_HOSTS: '' }).allowedHosts).toEqual([]);
  });

  it('refuses ALLOWED_HOSTS entries that are not bare host names (scheme, port, path, wildcard)', () => {
    for (const item of ['*', '*.example.com', '.example.com', 'https://gateway.example.com', 'gateway.example.com:4000', 'gateway.example.com/graphql', '[::1]:4000', 'user@gateway.example.com', 'exa mple.com', '[::1']) {
      expect(() => loadConfig({ ALLOWED_HOSTS: `ok.example.com,${item}` }), item).toThrow(
        new ConfigError(
          `Invalid configuration:\n  - ALLOWED_HOSTS: "${item}" is not a host name; list the names clients use in the Host header, without scheme, port, path or wildcard, e.g. gateway.example.com`,
        ),
      );
    }
  });

  it('fails fast listing every problem, one line per variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', CBR_ENDPOINT: 'cbr.example.com/v3', LOG_LEVEL: 'loud' })).toThrow(
      new ConfigError(
        [
          'Invalid configuration:',
          '  - PORT: must be a port number 0-65535',
          '  - CBR_ENDPOINT: must be an http(s) origin without a path, e.g. https://cbr.eu-de.otc.t-systems.com',
          '  - LOG_LEVEL: Invalid option: expected one of "debug"|"info"|"warn"|"error"|"silent"',
        ].join('\n'),
      ),
    );
  });

  it('refuses half-configured or mixed credentials', () => {
    expect(() => loadConfig({ OS_USERNAME: 'alice', OS_PASSWORD: 'x' })).toThrow(
      'Invalid configuration:\n  - the password flow also needs OS_AUTH_URL, OS_USER_DOMAIN_NAME\n  - the password flow needs exactly one of OS_PROJECT_ID or OS_PROJECT_NAME',
    );
    expect(() => loadConfig({ OS_ACCESS_KEY: 'AK', OS_SECRET_KEY: 'SK' })).toThrow('AK/SK signing needs OS_PROJECT_ID');
    expect(() => loadConfig({ OS_ACCESS_KEY: 'AK', OS_USERNAME: 'alice' })).toThrow('not both');
  });
});

describe('main: the whole process without configuration', () => {
  it('starts the emulator with demo data and the gateway, answers as the demo account, and closes cleanly', async () => {
    const running = await start({ ...loadConfig({}), port: 0, logLevel: 'silent' });
    try {
      expect(running.graphqlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      expect(running.emulatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(banner(running)).toContain(`GraphQL gateway   ${running.graphqlUrl}`);
      expect(banner(running)).toContain(`CBR emulator      ${running.emulatorUrl}`);
      const res = await fetch(running.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
        body: JSON.stringify({ query: `{ vaults(first: 1) { totalCount } }` }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      // No CORS_ORIGINS: a page of another origin may not read the demo account's data.
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const body = await res.json();
      expect(body.errors).toBeUndefined();
      expect(body.data.vaults.totalCount).toBeGreaterThan(0);

      // DNS rebinding: over node:http the Host header reaches the check; a token-less request naming another host runs nothing.
      const rebound = await postWithHost(running.graphqlUrl, 'evil.example', `{ vaults(first: 1) { totalCount } }`);
      expect(rebound.status).toBe(403);
      expect(JSON.parse(rebound.body).errors[0].extensions).toEqual({ code: 'FORBIDDEN' });
      const local = await postWithHost(running.graphqlUrl, `localhost:${new URL(running.graphqlUrl).port}`, `{ vaults(first: 1) { totalCount } }`);
      expect(local.status).toBe(200);
      expect(JSON.parse(local.body).data.vaults.totalCount).toBeGreaterThan(0);
      // A Host that is no host name: 400 with a coded error, not the server adapter's 500 with a stack trace.
      const broken = await postWithHost(running.graphqlUrl, '[::1', `{ __typename }`);
      expect(broken).toEqual({ status: 400, body: JSON.stringify({ errors: [{ message: 'The Host header is not a host name', extensions: { code: 'BAD_REQUEST' } }] }) });

      // A 30 KB token (IAM tokens reach 32 KB) passes the HTTP server, whose default header limit is 16 KiB.
      const big = await fetch(running.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-token': 'x'.repeat(30_000) },
        body: JSON.stringify({ query: `{ vaults { totalCount } }` }),
      });
      expect(big.status).toBe(200);
      expect((await big.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');

      const graphiql = await fetch(running.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(graphiql.headers.get('content-type')).toMatch(/text\/html/);
      await graphiql.text();
    } finally {
      await running.close();
    }
    await expect(fetch(running.graphqlUrl, { method: 'POST' })).rejects.toThrow();
  });
});

/** A JSON POST over node:http with the Host header given (fetch cannot set Host). */
function postWithHost(url: string, host: string, query: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { host, 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

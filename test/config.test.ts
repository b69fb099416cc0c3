/** src/config.ts: the environment read once at start, its defaults, normalisation and refusals. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultVbsEndpoint, loadConfig } from '../src/config';
import { banner } from '../src/main';
import { REGIONS } from '../src/regions';

const PASSWORD = { OS_USERNAME: 'alice', OS_PASSWORD: 's3cret', OS_USER_DOMAIN_NAME: 'OTC-EU-DE-000' };

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
      maxSubscriptionsPerCaller: 20,
      graphiql: true,
      corsOrigins: [],
      allowedHosts: [],
      logLevel: 'info',
      region: undefined,
      cloud: undefined,
      proxy: undefined,
      trustedDocuments: undefined,
      shutdownTimeoutMs: 10_000,
      responseCacheTtlMs: 0,
      operations: {},
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
      maxSubscriptionsPerCaller: 20,
      graphiql: false,
      corsOrigins: [],
      allowedHosts: [],
      logLevel: 'info',
      region: undefined,
      cloud: undefined,
      proxy: undefined,
      trustedDocuments: undefined,
      shutdownTimeoutMs: 10_000,
      responseCacheTtlMs: 0,
      operations: {},
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

  it('reads RESPONSE_CACHE_TTL_MS, 0 (no cache) by default, and refuses a value that is not a duration', () => {
    expect(loadConfig({}).responseCacheTtlMs).toBe(0);
    expect(loadConfig({ RESPONSE_CACHE_TTL_MS: '2000' }).responseCacheTtlMs).toBe(2000);
    expect(() => loadConfig({ RESPONSE_CACHE_TTL_MS: '-1' })).toThrow('RESPONSE_CACHE_TTL_MS: must be a number of milliseconds, 0-3600000 (0 = no cache)');
  });

  it('reads MAX_SUBSCRIPTIONS_PER_CALLER, 20 by default, and refuses a value that is not a count', () => {
    expect(loadConfig({}).maxSubscriptionsPerCaller).toBe(20);
    expect(loadConfig({ MAX_SUBSCRIPTIONS_PER_CALLER: '3' }).maxSubscriptionsPerCaller).toBe(3);
    expect(() => loadConfig({ MAX_SUBSCRIPTIONS_PER_CALLER: '0' })).toThrow('MAX_SUBSCRIPTIONS_PER_CALLER: must be a number of subscriptions, 1-10000');
  });

  it('reads MAX_UPSTREAM_CALLS_PER_REQUEST, 500 by default, and refuses a value that is not a count', () => {
    expect(loadConfig({}).maxUpstreamCallsPerRequest).toBe(500);
    expect(loadConfig({ MAX_UPSTREAM_CALLS_PER_REQUEST: '40' }).maxUpstreamCallsPerRequest).toBe(40);
    expect(() => loadConfig({ MAX_UPSTREAM_CALLS_PER_REQUEST: '0' })).toThrow('MAX_UPSTREAM_CALLS_PER_REQUEST: must be a number of calls, 1-100000');
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
      'Invalid configuration:\n  - the password flow also needs OS_USER_DOMAIN_NAME (or OS_DOMAIN_NAME), OS_AUTH_URL (or OS_REGION_NAME)\n  - the password flow needs OS_PROJECT_ID or OS_PROJECT_NAME (or OS_REGION_NAME)',
    );
    expect(() => loadConfig({ OS_AUTH_URL: 'https://iam.example.com/v3' })).toThrow('the password flow also needs OS_USERNAME, OS_PASSWORD, OS_USER_DOMAIN_NAME (or OS_DOMAIN_NAME)');
    expect(() => loadConfig({ OS_ACCESS_KEY: 'AK', OS_SECRET_KEY: 'SK' })).toThrow('AK/SK signing needs OS_PROJECT_ID');
    expect(() => loadConfig({ OS_ACCESS_KEY: 'AK', OS_USERNAME: 'alice' })).toThrow(
      'set one kind of credentials, not the password variables (OS_USERNAME, OS_PASSWORD) and the AK/SK variables (OS_ACCESS_KEY, OS_SECRET_KEY)',
    );
    expect(() => loadConfig({ OS_AUTH_TOKEN: 'tok', OS_SECRET_KEY: 'SK' })).toThrow('not OS_AUTH_TOKEN and the AK/SK variables');
    expect(() => loadConfig({ OS_AUTH_TOKEN: 'tok' })).toThrow("OS_AUTH_TOKEN needs OS_PROJECT_ID (the token's project)");
    expect(() => loadConfig({ ...PASSWORD, OS_PROJECT_ID: 'p1', OS_PROJECT_NAME: 'eu-de' })).toThrow('set one of OS_PROJECT_ID or OS_PROJECT_NAME, not both');
  });
});


describe('configuration the OpenStack way', () => {
  function cwdWith(files: Record<string, string>): string {
    const cwd = mkdtempSync(join(tmpdir(), 'config-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
    return cwd;
  }
  const noHome = { home: '/nonexistent', systemDirs: [] };

  it('resolves every known region to its CBR, VBS and IAM endpoints, and the password flow to the region project', () => {
    for (const [region, endpoints] of REGIONS) {
      const config = loadConfig({ ...PASSWORD, OS_REGION_NAME: region });
      expect(config.cbrEndpoint, region).toBe(endpoints.cbr);
      expect(config.vbsEndpoint, region).toBe(endpoints.vbs);
      expect(config.credentials, region).toMatchObject({ kind: 'password', authUrl: endpoints.iam, projectName: region });
      expect(config.graphiql, region).toBe(false);
    }
    expect(REGIONS.get('eu-de')).toEqual({
      cbr: 'https://cbr.eu-de.otc.t-systems.com',
      vbs: 'https://vbs.eu-de.otc.t-systems.com',
      iam: 'https://iam.eu-de.otc.t-systems.com/v3',
    });
    expect(REGIONS.get('eu-ch2')?.iam).toBe('https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3');
    expect(REGIONS.get('ap-southeast-1')?.cbr).toBe('https://cbr.ap-southeast-1.myhuaweicloud.com');
  });

  it('refuses an unknown region, naming the known ones', () => {
    expect(() => loadConfig({ OS_REGION_NAME: 'eu-xx' })).toThrow(`OS_REGION_NAME: unknown region "eu-xx"; known regions: eu-de, eu-nl, eu-ch2, af-north-1,`);
  });

  it('lets CBR_ENDPOINT, VBS_ENDPOINT and OS_AUTH_URL override the region, and OS_PROJECT_* the region project', () => {
    const config = loadConfig({
      ...PASSWORD,
      OS_REGION_NAME: 'eu-nl',
      CBR_ENDPOINT: 'https://cbr.internal.example.com',
      OS_AUTH_URL: 'https://iam.internal.example.com/v3',
      OS_PROJECT_NAME: 'eu-nl_dev',
      OS_PROJECT_DOMAIN_NAME: 'OTC-EU-NL-000',
    });
    expect(config.cbrEndpoint).toBe('https://cbr.internal.example.com');
    expect(config.vbsEndpoint).toBe('https://vbs.internal.example.com');
    expect(config.credentials).toMatchObject({ authUrl: 'https://iam.internal.example.com/v3', projectName: 'eu-nl_dev', projectDomainName: 'OTC-EU-NL-000' });
    expect(loadConfig({ ...PASSWORD, OS_REGION_NAME: 'eu-nl', OS_PROJECT_ID: 'p1' }).credentials).toEqual({
      kind: 'password',
      authUrl: 'https://iam.eu-nl.otc.t-systems.com/v3',
      username: 'alice',
      password: 's3cret',
      userDomainName: 'OTC-EU-DE-000',
      projectId: 'p1',
    });
  });

  it('reads OS_DOMAIN_NAME for the user and project domain, OS_USER_DOMAIN_NAME and OS_PROJECT_DOMAIN_NAME winning', () => {
    const { OS_USER_DOMAIN_NAME: _, ...withoutDomain } = PASSWORD;
    expect(loadConfig({ ...withoutDomain, OS_DOMAIN_NAME: 'D', OS_REGION_NAME: 'eu-de' }).credentials).toMatchObject({
      userDomainName: 'D',
      projectName: 'eu-de',
      projectDomainName: 'D',
    });
    expect(loadConfig({ ...PASSWORD, OS_DOMAIN_NAME: 'D', OS_REGION_NAME: 'eu-de' }).credentials).toMatchObject({ userDomainName: 'OTC-EU-DE-000' });
  });

  it('reads OS_AUTH_TOKEN as the gateway own token, with its project', () => {
    expect(loadConfig({ OS_AUTH_TOKEN: 'gAAAA-token', OS_PROJECT_ID: 'p1', OS_REGION_NAME: 'eu-de' }).credentials).toEqual({
      kind: 'token',
      token: 'gAAAA-token',
      projectId: 'p1',
    });
  });

  it('reads OS_CLOUD from clouds.yaml with secure.yaml, the environment winning over both', () => {
    const cwd = cwdWith({
      'clouds.yaml': 'clouds:\n  otc:\n    auth:\n      username: alice\n      user_domain_name: OTC-EU-DE-000\n      project_name: eu-de_dev\n    region_name: eu-de\n',
      'secure.yaml': 'clouds:\n  otc:\n    auth:\n      password: from-secure-yaml\n',
    });
    const config = loadConfig({ OS_CLOUD: 'otc' }, { cwd, ...noHome });
    expect(config.cloud).toEqual({ name: 'otc', file: join(cwd, 'clouds.yaml') });
    expect(config.region).toBe('eu-de');
    expect(config.cbrEndpoint).toBe('https://cbr.eu-de.otc.t-systems.com');
    expect(config.credentials).toEqual({
      kind: 'password',
      authUrl: 'https://iam.eu-de.otc.t-systems.com/v3',
      username: 'alice',
      password: 'from-secure-yaml',
      userDomainName: 'OTC-EU-DE-000',
      projectName: 'eu-de_dev',
    });
    const overridden = loadConfig({ OS_CLOUD: 'otc', OS_PASSWORD: 'from-env', OS_REGION_NAME: 'eu-nl', OS_PROJECT_NAME: '' }, { cwd, ...noHome });
    expect(overridden.credentials).toMatchObject({ password: 'from-env', projectName: 'eu-de_dev', authUrl: 'https://iam.eu-nl.otc.t-systems.com/v3' });
    expect(overridden.cbrEndpoint).toBe('https://cbr.eu-nl.otc.t-systems.com');
  });

  it('names the clouds.yaml key of a bad value, and lists every problem in one message', () => {
    const cwd = cwdWith({ 'clouds.yaml': 'clouds:\n  otc:\n    auth:\n      auth_url: ftp://iam.example.com\n      username: alice\n      password: pw\n' });
    expect(() => loadConfig({ OS_CLOUD: 'otc', PORT: 'eighty' }, { cwd, ...noHome })).toThrow(
      new ConfigError(
        [
          'Invalid configuration:',
          '  - PORT: must be a port number 0-65535',
          '  - OS_AUTH_URL (clouds.yaml: clouds.otc.auth.auth_url): must be an http(s) URL, e.g. https://iam.eu-de.otc.t-systems.com/v3',
        ].join('\n'),
      ),
    );
    expect(() => loadConfig({ OS_CLOUD: 'prod', PORT: 'eighty' }, { cwd, ...noHome })).toThrow(
      `Invalid configuration:\n  - OS_CLOUD: no cloud "prod" in ${join(cwd, 'clouds.yaml')} (clouds: otc)\n  - PORT: must be a port number 0-65535`,
    );
  });

  it('reads proxies for upstream calls, curl lower-case variables first', () => {
    expect(loadConfig({ HTTPS_PROXY: 'http://proxy.example.com:3128', NO_PROXY: 'localhost,.internal' }).proxy).toEqual({
      httpsProxy: 'http://proxy.example.com:3128',
      httpProxy: undefined,
      noProxy: 'localhost,.internal',
    });
    expect(loadConfig({ HTTP_PROXY: 'http://upper:3128', http_proxy: 'http://lower:3128' }).proxy?.httpProxy).toBe('http://lower:3128');
    expect(loadConfig({ NO_PROXY: 'localhost' }).proxy).toBeUndefined();
    expect(() => loadConfig({ HTTPS_PROXY: 'proxy.example.com' })).toThrow('HTTPS_PROXY: must be an http(s) URL');
  });

  it('reads TRUSTED_DOCUMENTS as a manifest of the client preset, turning GraphiQL off', () => {
    const cwd = cwdWith({
      'persisted-documents.json': JSON.stringify({ abc123: 'query Vaults { vaults { totalCount } }' }),
      'broken.json': JSON.stringify({ abc123: 'query {' }),
    });
    const config = loadConfig({ TRUSTED_DOCUMENTS: 'persisted-documents.json', GRAPHIQL: 'true' }, { cwd });
    expect([...config.trustedDocuments!]).toEqual([['abc123', 'query Vaults { vaults { totalCount } }']]);
    expect(config.graphiql).toBe(false);
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: 'missing.json' }, { cwd })).toThrow(`TRUSTED_DOCUMENTS: ${join(cwd, 'missing.json')}: no such file`);
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: 'broken.json' }, { cwd })).toThrow('the document of "abc123" is not valid GraphQL');
  });

  it('reads SHUTDOWN_TIMEOUT_MS', () => {
    expect(loadConfig({ SHUTDOWN_TIMEOUT_MS: '2500' }).shutdownTimeoutMs).toBe(2500);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: 'soon' })).toThrow('SHUTDOWN_TIMEOUT_MS: must be a number of milliseconds');
  });

  it('never prints a secret: not in the start-up banner, not in a configuration error', () => {
    const secrets = ['s3cret-password', 'SECRETKEY0000', 'gAAAA-secret-token', 'proxypass'];
    const configs = [
      loadConfig({ OS_USERNAME: 'alice', OS_PASSWORD: secrets[0], OS_DOMAIN_NAME: 'D', OS_REGION_NAME: 'eu-de', HTTPS_PROXY: `http://bob:${secrets[3]}@proxy:3128` }),
      loadConfig({ OS_ACCESS_KEY: 'AKEXAMPLE123', OS_SECRET_KEY: secrets[1], OS_PROJECT_ID: 'p1', OS_REGION_NAME: 'eu-de' }),
      loadConfig({ OS_AUTH_TOKEN: secrets[2], OS_PROJECT_ID: 'p1', CBR_ENDPOINT: 'https://cbr.example.com' }),
    ];
    for (const config of configs) {
      const text = banner({ graphqlUrl: 'http://127.0.0.1:4000/graphql', emulatorUrl: undefined, config, close: async () => {} });
      expect(text).toContain('CBR               https://cbr.');
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    expect(banner({ graphqlUrl: 'http://x/graphql', emulatorUrl: undefined, config: configs[1]!, close: async () => {} })).toContain('access key AKEX…');
    expect(() => loadConfig({ OS_USERNAME: 'alice', OS_PASSWORD: secrets[0] })).toThrow('the password flow also needs');
    try {
      loadConfig({ OS_USERNAME: 'alice', OS_PASSWORD: secrets[0] });
    } catch (error) {
      expect((error as Error).message).not.toContain(secrets[0]);
    }
  });
});

/** src/config.ts: the environment read once at start, its defaults, normalisation and refusals. */
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultVbsEndpoint, loadConfig } from '../src/config';

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
      graphiql: false,
      corsOrigins: [],
      allowedHosts: [],
      logLevel: 'info',
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
      'Invalid configuration:\n  - the password flow also needs OS_AUTH_URL, OS_USER_DOMAIN_NAME\n  - the password flow needs exactly one of OS_PROJECT_ID or OS_PROJECT_NAME',
    );
    expect(() => loadConfig({ OS_ACCESS_KEY: 'AK', OS_SECRET_KEY: 'SK' })).toThrow('AK/SK signing needs OS_PROJECT_ID');
    expect(() => loadConfig({ OS_ACCESS_KEY: 'AK', OS_USERNAME: 'alice' })).toThrow('not both');
  });
});


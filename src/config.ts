/**
 * The gateway's configuration: the only reader of environment variables. zod turns the environment into a typed
 * `Config` and fails fast with one readable message listing every problem.
 *
 * Sources, strongest first: the environment; the cloud named by OS_CLOUD in clouds.yaml (+ secure.yaml), read as the
 * `OS_*` variables it stands for (clouds-yaml.ts); the endpoints of OS_REGION_NAME (regions.ts); the defaults below.
 *
 * Upstream credentials, four modes:
 * - password: OS_USERNAME, OS_PASSWORD, OS_USER_DOMAIN_NAME (or OS_DOMAIN_NAME), OS_AUTH_URL (or OS_REGION_NAME) and
 *   OS_PROJECT_ID or OS_PROJECT_NAME (default: the region's name); IAM token flow, the token cached and refreshed;
 * - token: OS_AUTH_TOKEN and OS_PROJECT_ID (a token someone else obtained; not refreshed);
 * - AK/SK: OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_ID (every request signed);
 * - none: callers must send X-Auth-Token (and X-Project-Id, unless OS_PROJECT_ID names the default project).
 * A caller's X-Auth-Token always wins over the configured credentials. With CBR_ENDPOINT unset the embedded emulator
 * runs and, when no credentials are configured, its demo account is used (main.ts fills that in).
 */
import { z } from 'zod';
import { readCloud, type CloudsYamlOptions } from './clouds-yaml';
import { DEFAULT_MAX_UPSTREAM_CALLS } from './gateway/call-budget';
import { DEFAULT_MAX_SUBSCRIPTIONS_PER_CALLER, DEFAULT_UPSTREAM_TIMEOUT_MS } from './gateway/defaults';
import { readTrustedDocuments, type TrustedDocuments } from './gateway/trusted-documents';
import type { UpstreamProxy } from './gateway/upstream-dispatcher';
import { REGIONS, type RegionEndpoints } from './regions';
import type { GatewayConfig } from './gateway/yoga';
import type { CredentialsConfig } from './upstream/credentials';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Config {
  /** HTTP port of the gateway (0 = ephemeral). Default 4000. */
  port: number;
  /** Interface to bind. Default `127.0.0.1`; set `0.0.0.0` to serve other hosts. */
  host: string;
  /** CBR origin, e.g. `https://cbr.eu-de.otc.t-systems.com`; undefined = start the embedded emulator. */
  cbrEndpoint: string | undefined;
  /** VBS v2 origin; defaults from `cbrEndpoint` (see `defaultVbsEndpoint`). */
  vbsEndpoint: string | undefined;
  /** The gateway's own credentials, used for callers that send no token; undefined = token passthrough only. */
  credentials: CredentialsConfig | undefined;
  /** Project for callers that send X-Auth-Token without X-Project-Id. */
  defaultProjectId: string | undefined;
  /** Deadline of each upstream attempt. Default 10 000 ms. */
  upstreamTimeoutMs: number;
  /** Upstream calls one GraphQL request may make. Default 500. */
  maxUpstreamCallsPerRequest: number;
  /** Subscriptions (live progress) one caller identity may hold at once. Default `DEFAULT_MAX_SUBSCRIPTIONS_PER_CALLER`. */
  maxSubscriptionsPerCaller: number;
  /** Serve GraphiQL at /graphql for browsers. Default: on with the embedded emulator, off otherwise. */
  graphiql: boolean;
  /** Web origins whose pages may call the gateway cross-origin (CORS), as browsers send them. Default none. */
  corsOrigins: string[];
  /**
   * Host names, besides localhost and IP addresses, under which callers without a token may use the gateway's own credentials
   * (DNS rebinding protection; see request-guards.ts), lower case and without port, as browsers send them in Host.
   * Default none.
   */
  allowedHosts: string[];
  logLevel: LogLevel;
  /** OS_REGION_NAME, when set: the region whose endpoints filled in what was not given. */
  region: string | undefined;
  /** The clouds.yaml cloud the configuration came from, when OS_CLOUD names one. */
  cloud: { name: string; file: string } | undefined;
  /** Proxies for upstream calls (HTTPS_PROXY, HTTP_PROXY, NO_PROXY); undefined = direct. */
  proxy: UpstreamProxy | undefined;
  /** TRUSTED_DOCUMENTS: only these operations run, by id (trusted-documents.ts); undefined = any document. */
  trustedDocuments: TrustedDocuments | undefined;
  /** How long requests in flight may finish after SIGTERM before their connections are cut. Default 10 000 ms. */
  shutdownTimeoutMs: number;
  /** Lifetime of cached query results per caller identity (gateway/response-cache.ts); 0 = no cache. Default 0. */
  responseCacheTtlMs: number;
  /** Most work one operation may ask for (query-cost.ts); undefined = the gateway's default. */
  maxQueryCost: number | undefined;
  /** Upstream calls one caller identity may make per minute, across its requests (tenant-limits.ts); undefined = default. */
  tenantCallsPerMinute: number | undefined;
  /** Upstream calls of one caller identity in flight at once; undefined = default. */
  tenantMaxConcurrentCalls: number | undefined;
  /** Circuit breaker, readiness cache, metrics and tracing (see `operationsFromEnv`); unset values keep yoga.ts's defaults. */
  operations: OperationsConfig;
}

/** Thrown by `loadConfig`; `message` lists every problem, one per line, naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Default of `MAX_SUBSCRIPTIONS_PER_CALLER` (and of the gateway's `maxSubscriptionsPerCaller`): a page following a few tasks fits. */

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const origin = (example: string) =>
  optionalText.pipe(
    z
      .string()
      .refine((value) => {
        try {
          const url = new URL(value);
          return (url.protocol === 'http:' || url.protocol === 'https:') && (url.pathname === '/' || url.pathname === '') && !url.search;
        } catch {
          return false;
        }
      }, `must be an http(s) origin without a path, e.g. ${example}`)
      .transform((value) => new URL(value).origin)
      .optional(),
  );

/** A browser's serialized origin: http(s), host, port; nothing else (no path, query, user info or wildcard). */
function webOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    const bare = (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash && !url.username && !url.password;
    return (url.protocol === 'http:' || url.protocol === 'https:') && bare && !value.includes('*') ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A comma-separated list, each item normalised by `normalise` (undefined: refused with `refusal(item)`), duplicates
 * dropped; unset or empty is an empty list.
 */
function commaList(normalise: (item: string) => string | undefined, refusal: (item: string) => string) {
  return optionalText.transform((value, ctx) => {
    if (value === undefined) return [];
    const items: string[] = [];
    for (const item of value.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
      const normalised = normalise(item);
      if (normalised === undefined) {
        ctx.addIssue({ code: 'custom', message: refusal(item) });
        return z.NEVER;
      }
      if (!items.includes(normalised)) items.push(normalised);
    }
    return items;
  });
}

/** Comma-separated origins, each normalised as a browser sends it (`https://App.example.com:443/` → `https://app.example.com`). */
const originList = commaList(
  webOrigin,
  (item) => `"${item}" is not an http(s) origin; list exact origins without a path or wildcard, e.g. https://app.example.com`,
);

/** A DNS name or IPv4 address: letters, digits, `-` and `_` (service names) in dot-separated labels; no wildcard. */
const DNS_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;
/** An IPv6 address, bracketed as in a Host header or bare. */
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$|^[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*$/;

/** A host name as a browser sends it in Host without the port (`Gateway.Example.com` → `gateway.example.com`, `fd00::1` → `[fd00::1]`). */
function hostName(item: string): string | undefined {
  // A fully qualified name's trailing dot names the same host (request-guards.ts drops it from Host too).
  const value = item.endsWith('.') ? item.slice(0, -1) : item;
  const ipv6 = IPV6.test(value);
  if (!ipv6 && !DNS_NAME.test(value)) return undefined;
  try {
    const url = new URL(`http://${ipv6 && !value.startsWith('[') ? `[${value}]` : value}`);
    return url.port === '' ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}

/** Comma-separated host names, each normalised by `hostName`. */
const hostList = commaList(
  hostName,
  (item) => `"${item}" is not a host name; list the names clients use in the Host header, without scheme, port, path or wildcard, e.g. gateway.example.com`,
);

/** An integer in [min, max]; `fallback` when unset (undefined: the gateway's own default applies). */
const integer = <F extends number | undefined>(min: number, max: number, fallback: F, message: string) =>
  optionalText.transform((value, ctx): number | F => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });

const boolean = optionalText.pipe(
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1' || value === 'yes')
    .optional(),
);

const proxyUrl = optionalText.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. http://proxy.example.com:3128' }).optional());

const Env = z.object({
  PORT: integer(0, 65535, 4000, 'must be a port number 0-65535'),
  HOST: optionalText.pipe(z.string().default('127.0.0.1')),
  CBR_ENDPOINT: origin('https://cbr.eu-de.otc.t-systems.com'),
  VBS_ENDPOINT: origin('https://vbs.eu-de.otc.t-systems.com'),
  OS_AUTH_URL: optionalText.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. https://iam.eu-de.otc.t-systems.com/v3' }).optional()),
  OS_USERNAME: optionalText,
  OS_PASSWORD: optionalText,
  OS_USER_DOMAIN_NAME: optionalText,
  OS_DOMAIN_NAME: optionalText,
  OS_PROJECT_DOMAIN_NAME: optionalText,
  OS_AUTH_TOKEN: optionalText,
  OS_REGION_NAME: optionalText,
  OS_PROJECT_ID: optionalText.pipe(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"').optional()),
  OS_PROJECT_NAME: optionalText,
  OS_ACCESS_KEY: optionalText,
  OS_SECRET_KEY: optionalText,
  HTTPS_PROXY: proxyUrl,
  HTTP_PROXY: proxyUrl,
  NO_PROXY: optionalText,
  UPSTREAM_TIMEOUT_MS: integer(100, 300_000, DEFAULT_UPSTREAM_TIMEOUT_MS, 'must be a number of milliseconds, 100-300000'),
  MAX_UPSTREAM_CALLS_PER_REQUEST: integer(1, 100_000, DEFAULT_MAX_UPSTREAM_CALLS, 'must be a number of calls, 1-100000'),
  TRUSTED_DOCUMENTS: optionalText,
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000, 10_000, 'must be a number of milliseconds, 0-600000'),
  MAX_SUBSCRIPTIONS_PER_CALLER: integer(1, 10_000, DEFAULT_MAX_SUBSCRIPTIONS_PER_CALLER, 'must be a number of subscriptions, 1-10000'),
  GRAPHIQL: boolean,
  CORS_ORIGINS: originList,
  ALLOWED_HOSTS: hostList,
  LOG_LEVEL: optionalText.pipe(z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')),
  RESPONSE_CACHE_TTL_MS: integer(0, 3_600_000, 0, 'must be a number of milliseconds, 0-3600000 (0 = no cache)'),
  MAX_QUERY_COST: integer(1, 100_000_000, undefined, 'must be a number of fields, 1-100000000'),
  TENANT_CALLS_PER_MINUTE: integer(1, 10_000_000, undefined, 'must be a number of calls, 1-10000000'),
  TENANT_MAX_CONCURRENT_CALLS: integer(1, 10_000, undefined, 'must be a number of calls, 1-10000'),
});
type Env = z.infer<typeof Env>;

/** Reads the configuration from `env` (default `process.env`); throws `ConfigError` listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env, files: CloudsYamlOptions = {}): Config {
  const problems: string[] = [];
  const { variables, sources, cloud } = effectiveVariables(env, files, problems);
  const named = (variable: string) => (sources[variable] ? `${variable} (${sources[variable]})` : variable);
  const parsed = Env.safeParse(variables);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${named(String(issue.path[0] ?? '(environment)'))}: ${issue.message}`);
    throw configError(problems);
  }
  const e = parsed.data;
  let region: RegionEndpoints | undefined;
  if (e.OS_REGION_NAME !== undefined) {
    region = REGIONS.get(e.OS_REGION_NAME);
    if (!region) problems.push(`${named('OS_REGION_NAME')}: unknown region "${e.OS_REGION_NAME}"; known regions: ${[...REGIONS.keys()].join(', ')}`);
  }
  const credentials = credentialsFromEnv(e, region, problems);
  let trustedDocuments: TrustedDocuments | undefined;
  if (e.TRUSTED_DOCUMENTS !== undefined) {
    try {
      trustedDocuments = readTrustedDocuments(e.TRUSTED_DOCUMENTS, files.cwd);
    } catch (error) {
      problems.push(`TRUSTED_DOCUMENTS: ${(error as Error).message}`);
    }
  }
  const operations = operationsFromEnv(variables, problems);
  if (problems.length > 0) throw configError(problems);
  const cbrEndpoint = e.CBR_ENDPOINT ?? region?.cbr;
  const proxy = e.HTTPS_PROXY ?? e.HTTP_PROXY ? { httpsProxy: e.HTTPS_PROXY, httpProxy: e.HTTP_PROXY, noProxy: e.NO_PROXY } : undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    cbrEndpoint,
    vbsEndpoint: e.VBS_ENDPOINT ?? (e.CBR_ENDPOINT === undefined ? region?.vbs : defaultVbsEndpoint(e.CBR_ENDPOINT)),
    credentials,
    defaultProjectId: e.OS_PROJECT_ID,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    maxUpstreamCallsPerRequest: e.MAX_UPSTREAM_CALLS_PER_REQUEST,
    maxSubscriptionsPerCaller: e.MAX_SUBSCRIPTIONS_PER_CALLER,
    // Only the operations of the manifest run in trusted-documents mode: GraphiQL could run none of its own.
    graphiql: trustedDocuments ? false : (e.GRAPHIQL ?? cbrEndpoint === undefined),
    corsOrigins: e.CORS_ORIGINS,
    allowedHosts: e.ALLOWED_HOSTS,
    logLevel: e.LOG_LEVEL,
    region: e.OS_REGION_NAME,
    cloud,
    proxy,
    trustedDocuments,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    responseCacheTtlMs: e.RESPONSE_CACHE_TTL_MS,
    maxQueryCost: e.MAX_QUERY_COST,
    tenantCallsPerMinute: e.TENANT_CALLS_PER_MINUTE,
    tenantMaxConcurrentCalls: e.TENANT_MAX_CONCURRENT_CALLS,
    operations,
  };
}

function configError(problems: string[]): ConfigError {
  return new ConfigError(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/**
 * The variables in force: the environment over the OS_CLOUD cloud's. Empty values count as unset (a shell's `FOO=`),
 * and curl's lower-case proxy variables win over the upper-case ones, as in curl.
 */
function effectiveVariables(env: Record<string, string | undefined>, files: CloudsYamlOptions, problems: string[]) {
  const explicit: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value.trim() !== '') explicit[name] = value;
  for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY']) {
    const lower = explicit[name.toLowerCase()];
    if (lower !== undefined) explicit[name] = lower;
  }
  const cloudName = explicit.OS_CLOUD?.trim();
  if (cloudName === undefined) return { variables: explicit, sources: {} as Record<string, string>, cloud: undefined };
  try {
    const cloud = readCloud(cloudName, files, explicit.OS_CLIENT_CONFIG_FILE);
    const sources = Object.fromEntries(Object.entries(cloud.sources).filter(([name]) => explicit[name] === undefined));
    return { variables: { ...cloud.variables, ...explicit }, sources, cloud: { name: cloudName, file: cloud.file } };
  } catch (error) {
    problems.push(`OS_CLOUD: ${(error as Error).message}`);
    return { variables: explicit, sources: {} as Record<string, string>, cloud: undefined };
  }
}

/**
 * VBS v2 lives next to CBR: on Open Telekom Cloud `https://cbr.eu-de.otc.t-systems.com` has its VBS twin at
 * `https://vbs.eu-de.otc.t-systems.com`; any other host (the emulator, a proxy) serves both APIs itself.
 */
export function defaultVbsEndpoint(cbrEndpoint: string): string {
  const url = new URL(cbrEndpoint);
  if (url.hostname.startsWith('cbr.')) url.hostname = `vbs.${url.hostname.slice('cbr.'.length)}`;
  return url.origin;
}

function credentialsFromEnv(e: Env, region: RegionEndpoints | undefined, problems: string[]): CredentialsConfig | undefined {
  const modes = [
    (e.OS_USERNAME ?? e.OS_PASSWORD) !== undefined && 'the password variables (OS_USERNAME, OS_PASSWORD)',
    e.OS_AUTH_TOKEN !== undefined && 'OS_AUTH_TOKEN',
    (e.OS_ACCESS_KEY ?? e.OS_SECRET_KEY) !== undefined && 'the AK/SK variables (OS_ACCESS_KEY, OS_SECRET_KEY)',
  ].filter((mode): mode is string => mode !== false);
  if (modes.length > 1) {
    problems.push(`set one kind of credentials, not ${modes.join(' and ')}`);
    return undefined;
  }
  const userDomainName = e.OS_USER_DOMAIN_NAME ?? e.OS_DOMAIN_NAME;
  // OS_AUTH_URL or a user domain alone also mean the password flow: say what else it needs rather than ignore them.
  if (modes[0]?.startsWith('the password') || (modes.length === 0 && (e.OS_AUTH_URL ?? e.OS_USER_DOMAIN_NAME) !== undefined)) {
    const authUrl = e.OS_AUTH_URL ?? region?.iam;
    const missing = [
      e.OS_USERNAME === undefined && 'OS_USERNAME',
      e.OS_PASSWORD === undefined && 'OS_PASSWORD',
      userDomainName === undefined && 'OS_USER_DOMAIN_NAME (or OS_DOMAIN_NAME)',
      authUrl === undefined && 'OS_AUTH_URL (or OS_REGION_NAME)',
    ].filter((name): name is string => name !== false);
    if (missing.length > 0) problems.push(`the password flow also needs ${missing.join(', ')}`);
    if (e.OS_PROJECT_ID !== undefined && e.OS_PROJECT_NAME !== undefined) problems.push('set one of OS_PROJECT_ID or OS_PROJECT_NAME, not both');
    // OTC and Huawei Cloud name a region's main project after the region.
    const projectName = e.OS_PROJECT_NAME ?? (e.OS_PROJECT_ID === undefined ? e.OS_REGION_NAME : undefined);
    if (e.OS_PROJECT_ID === undefined && projectName === undefined) problems.push('the password flow needs OS_PROJECT_ID or OS_PROJECT_NAME (or OS_REGION_NAME)');
    if (problems.length > 0) return undefined;
    const projectDomainName = e.OS_PROJECT_DOMAIN_NAME ?? e.OS_DOMAIN_NAME;
    return {
      kind: 'password',
      authUrl: authUrl!,
      username: e.OS_USERNAME!,
      password: e.OS_PASSWORD!,
      userDomainName: userDomainName!,
      ...(e.OS_PROJECT_ID !== undefined ? { projectId: e.OS_PROJECT_ID } : { projectName: projectName!, ...(projectDomainName ? { projectDomainName } : {}) }),
    };
  }
  if (e.OS_AUTH_TOKEN !== undefined) {
    if (e.OS_PROJECT_ID === undefined) problems.push("OS_AUTH_TOKEN needs OS_PROJECT_ID (the token's project)");
    if (problems.length > 0) return undefined;
    return { kind: 'token', token: e.OS_AUTH_TOKEN, projectId: e.OS_PROJECT_ID! };
  }
  if (modes.length > 0) {
    const missing = (['OS_ACCESS_KEY', 'OS_SECRET_KEY'] as const).filter((name) => e[name] === undefined);
    if (missing.length > 0) problems.push(`AK/SK signing also needs ${missing.join(', ')}`);
    if (e.OS_PROJECT_ID === undefined) problems.push('AK/SK signing needs OS_PROJECT_ID');
    if (e.OS_PROJECT_NAME !== undefined) problems.push('OS_PROJECT_NAME is only used by the password flow; AK/SK signing needs OS_PROJECT_ID');
    if (problems.length > 0) return undefined;
    return { kind: 'aksk', accessKey: e.OS_ACCESS_KEY!, secretKey: e.OS_SECRET_KEY!, projectId: e.OS_PROJECT_ID! };
  }
  if (e.OS_PROJECT_NAME !== undefined) problems.push('OS_PROJECT_NAME is only used by the password flow (set OS_USERNAME, OS_PASSWORD, OS_USER_DOMAIN_NAME too)');
  return undefined;
}

// ---- operations: circuit breaker, readiness, metrics, tracing ------------------------------------------------------

export type OperationsConfig = Pick<GatewayConfig, 'circuitBreaker' | 'readinessCacheMs' | 'metrics' | 'tracing'>;

const OperationsEnv = z.object({
  CIRCUIT_BREAKER: boolean,
  CIRCUIT_BREAKER_FAILURE_PERCENT: integer(1, 100, undefined, 'must be a percentage, 1-100'),
  CIRCUIT_BREAKER_MIN_CALLS: integer(1, 10_000, undefined, 'must be a number of calls, 1-10000'),
  CIRCUIT_BREAKER_OPEN_MS: integer(100, 3_600_000, undefined, 'must be a number of milliseconds, 100-3600000'),
  READINESS_CACHE_MS: integer(0, 600_000, undefined, 'must be a number of milliseconds, 0-600000'),
  METRICS: boolean,
  TRACING: boolean,
});

/**
 * `CIRCUIT_BREAKER` (true/false), `CIRCUIT_BREAKER_FAILURE_PERCENT`, `CIRCUIT_BREAKER_MIN_CALLS`,
 * `CIRCUIT_BREAKER_OPEN_MS`, `READINESS_CACHE_MS`, `METRICS`, `TRACING` (true/false). Only what is set is returned: the
 * defaults live in yoga.ts (`GatewayConfig`) and circuit-breaker.ts, once. Bad values are added to `problems`.
 */
export function operationsFromEnv(env: Record<string, string | undefined>, problems: string[]): OperationsConfig {
  const parsed = OperationsEnv.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${String(issue.path[0])}: ${issue.message}`);
    return {};
  }
  const e = parsed.data;
  const breaker = {
    ...optional('failureRatio', e.CIRCUIT_BREAKER_FAILURE_PERCENT === undefined ? undefined : e.CIRCUIT_BREAKER_FAILURE_PERCENT / 100),
    ...optional('minimumCalls', e.CIRCUIT_BREAKER_MIN_CALLS),
    ...optional('openMs', e.CIRCUIT_BREAKER_OPEN_MS),
  };
  return {
    ...(e.CIRCUIT_BREAKER === false ? { circuitBreaker: false as const } : Object.keys(breaker).length > 0 ? { circuitBreaker: breaker } : {}),
    ...optional('readinessCacheMs', e.READINESS_CACHE_MS),
    ...optional('metrics', e.METRICS),
    ...optional('tracing', e.TRACING),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

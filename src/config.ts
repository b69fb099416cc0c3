/**
 * The gateway's configuration: the only reader of environment variables. zod turns the environment into a typed
 * `Config` and fails fast with one readable message listing every problem.
 *
 * Upstream credentials, three modes:
 * - password: OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_USER_DOMAIN_NAME and OS_PROJECT_ID or OS_PROJECT_NAME
 *   (IAM token flow; the token is cached and refreshed);
 * - AK/SK: OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_ID (every request signed);
 * - none: callers must send X-Auth-Token (and X-Project-Id, unless OS_PROJECT_ID names the default project).
 * A caller's X-Auth-Token always wins over the configured credentials. With CBR_ENDPOINT unset the embedded emulator
 * runs and, when no credentials are configured, its demo account is used (main.ts fills that in).
 */
import { z } from 'zod';
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
  /** Circuit breaker, readiness cache, metrics and tracing (see `operationsFromEnv`); unset values keep yoga.ts's defaults. */
  operations: OperationsConfig;
}

/** Thrown by `loadConfig`; `message` lists every problem, one per line, naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

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

const Env = z.object({
  PORT: integer(0, 65535, 4000, 'must be a port number 0-65535'),
  HOST: optionalText.pipe(z.string().default('127.0.0.1')),
  CBR_ENDPOINT: origin('https://cbr.eu-de.otc.t-systems.com'),
  VBS_ENDPOINT: origin('https://vbs.eu-de.otc.t-systems.com'),
  OS_AUTH_URL: optionalText.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. https://iam.eu-de.otc.t-systems.com/v3' }).optional()),
  OS_USERNAME: optionalText,
  OS_PASSWORD: optionalText,
  OS_USER_DOMAIN_NAME: optionalText,
  OS_PROJECT_ID: optionalText.pipe(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"').optional()),
  OS_PROJECT_NAME: optionalText,
  OS_ACCESS_KEY: optionalText,
  OS_SECRET_KEY: optionalText,
  UPSTREAM_TIMEOUT_MS: integer(100, 300_000, 10_000, 'must be a number of milliseconds, 100-300000'),
  MAX_UPSTREAM_CALLS_PER_REQUEST: integer(1, 100_000, 500, 'must be a number of calls, 1-100000'),
  GRAPHIQL: boolean,
  CORS_ORIGINS: originList,
  ALLOWED_HOSTS: hostList,
  LOG_LEVEL: optionalText.pipe(z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')),
});
type Env = z.infer<typeof Env>;

const PASSWORD_VARS = ['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_USER_DOMAIN_NAME'] as const;
const AKSK_VARS = ['OS_ACCESS_KEY', 'OS_SECRET_KEY'] as const;

/** Reads the configuration from `env` (default `process.env`); throws `ConfigError` listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '(environment)');
      return `  - ${variable}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const problems: string[] = [];
  const credentials = credentialsFromEnv(e, problems);
  const operations = operationsFromEnv(env, problems);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return {
    port: e.PORT,
    host: e.HOST,
    cbrEndpoint: e.CBR_ENDPOINT,
    vbsEndpoint: e.VBS_ENDPOINT ?? (e.CBR_ENDPOINT === undefined ? undefined : defaultVbsEndpoint(e.CBR_ENDPOINT)),
    credentials,
    defaultProjectId: e.OS_PROJECT_ID,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    maxUpstreamCallsPerRequest: e.MAX_UPSTREAM_CALLS_PER_REQUEST,
    graphiql: e.GRAPHIQL ?? e.CBR_ENDPOINT === undefined,
    corsOrigins: e.CORS_ORIGINS,
    allowedHosts: e.ALLOWED_HOSTS,
    logLevel: e.LOG_LEVEL,
    operations,
  };
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

function credentialsFromEnv(e: Env, problems: string[]): CredentialsConfig | undefined {
  const passwordSet = PASSWORD_VARS.filter((name) => e[name] !== undefined);
  const akskSet = AKSK_VARS.filter((name) => e[name] !== undefined);
  if (passwordSet.length > 0 && akskSet.length > 0) {
    problems.push(`set either the password variables (${PASSWORD_VARS.join(', ')}) or the AK/SK variables (${AKSK_VARS.join(', ')}), not both`);
    return undefined;
  }
  if (passwordSet.length > 0) {
    const missing = PASSWORD_VARS.filter((name) => e[name] === undefined);
    if (missing.length > 0) problems.push(`the password flow also needs ${missing.join(', ')}`);
    if ((e.OS_PROJECT_ID === undefined) === (e.OS_PROJECT_NAME === undefined)) {
      problems.push('the password flow needs exactly one of OS_PROJECT_ID or OS_PROJECT_NAME');
    }
    if (problems.length > 0) return undefined;
    return {
      kind: 'password',
      authUrl: e.OS_AUTH_URL!,
      username: e.OS_USERNAME!,
      password: e.OS_PASSWORD!,
      userDomainName: e.OS_USER_DOMAIN_NAME!,
      ...(e.OS_PROJECT_ID !== undefined ? { projectId: e.OS_PROJECT_ID } : { projectName: e.OS_PROJECT_NAME! }),
    };
  }
  if (akskSet.length > 0) {
    const missing = AKSK_VARS.filter((name) => e[name] === undefined);
    if (missing.length > 0) problems.push(`AK/SK signing also needs ${missing.join(', ')}`);
    if (e.OS_PROJECT_ID === undefined) problems.push('AK/SK signing needs OS_PROJECT_ID');
    if (e.OS_PROJECT_NAME !== undefined) problems.push('OS_PROJECT_NAME is only used by the password flow; AK/SK signing needs OS_PROJECT_ID');
    if (problems.length > 0) return undefined;
    return { kind: 'aksk', accessKey: e.OS_ACCESS_KEY!, secretKey: e.OS_SECRET_KEY!, projectId: e.OS_PROJECT_ID! };
  }
  if (e.OS_PROJECT_NAME !== undefined) problems.push('OS_PROJECT_NAME is only used by the password flow (set OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_USER_DOMAIN_NAME too)');
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

/**
 * `createGateway`: the yoga server over CBR, built but never listening (main.ts listens; tests call `gateway.fetch`).
 * Long-lived parts are created here once: the schema, the connection pool and the gateway's own credentials.
 */
import type { TracerProvider } from '@opentelemetry/api';
import { createYoga, type Plugin, type YogaLogger } from 'graphql-yoga';
import type { Dispatcher } from 'undici';
import { createBreakers, DEFAULT_BREAKER, type BreakerOptions } from '../upstream/circuit-breaker';
import { createCredentials, type Credentials, type CredentialsConfig } from '../upstream/credentials';
import { useRequestBodyLimit } from './body-limit';
import { compiledExecutionPlugins } from './compiled-execution';
import { useCors } from './cors';
import { createContextFactory, type GraphQLContext } from './context';
import { DEFAULT_MAX_SUBSCRIPTIONS_PER_CALLER, DEFAULT_UPSTREAM_TIMEOUT_MS } from './defaults';
import { logLevelOf, maskGatewayError } from './errors';
import { createJsonLogger } from './json-logger';
import { DEFAULT_LIMITS, useQueryLimits, type QueryLimits } from './limits';
import { createGatewayMetrics } from './metrics';
import { createReadiness, useHealthEndpoints } from './readiness';
import { useAllowedHosts, useCsrfPrevention, useUnsupportedMediaType } from './request-guards';
import { createResponseCache } from './response-cache';
import { createGatewaySchema } from './schema';
import { useTrustedDocuments, type TrustedDocuments } from './trusted-documents';
import { createUpstreamDispatcher, type UpstreamProxy } from './upstream-dispatcher';
import { useEventStreamSubscriptions } from './subscription-transport';
import { createWatches, type WatchOptions } from './watches';
import { useGraphiQLPage } from './graphiql/page';
import { runAsCaller } from './graphiql/run-as-caller';
import { useTextHygiene } from './inputs/text-hygiene';
import { DEFAULT_MAX_QUERY_COST, useQueryCost } from './query-cost';
import { createTenantLimits, DEFAULT_TENANT_LIMITS, useTenantLimits } from './tenant-limits';
import { useRequestTelemetry } from './request-telemetry';
import { createTracing } from './tracing';

export interface GatewayConfig {
  /** CBR origin, e.g. `https://cbr.eu-de.otc.t-systems.com` or the emulator's URL. */
  cbrEndpoint: string;
  /** VBS v2 origin. Default: `cbrEndpoint`. */
  vbsEndpoint?: string;
  /** The gateway's own credentials, used when a caller sends no X-Auth-Token. Default: none (callers must send one). */
  credentials?: CredentialsConfig;
  /** Project for callers that send X-Auth-Token without X-Project-Id. */
  defaultProjectId?: string;
  /** Deadline of each upstream attempt. Default `DEFAULT_UPSTREAM_TIMEOUT_MS` (10 s). */
  upstreamTimeoutMs?: number;
  /** Upstream calls one GraphQL request may make (call-budget.ts). Default `DEFAULT_MAX_UPSTREAM_CALLS` (500). */
  maxUpstreamCallsPerRequest?: number;
  /** Subscriptions one caller identity may hold at once (watches.ts). Default `DEFAULT_MAX_SUBSCRIPTIONS_PER_CALLER`. */
  maxSubscriptionsPerCaller?: number;
  /** Delays of a subscription's poll loop: `minMs` after a change, doubling up to `maxMs` while nothing changes. Default 1 000 / 10 000 ms. */
  subscriptionPolling?: { minMs: number; maxMs: number };
  /** Serve GraphiQL to browsers at /graphql. Default false. */
  graphiql?: boolean;
  /** Project GraphiQL's share example shares with (the embedded emulator's second demo project). Default: a placeholder. */
  graphiqlShareProjectId?: string;
  /**
   * Web origins (e.g. `https://app.example.com`) whose pages may call the gateway cross-origin (CORS), matched exactly.
   * Default none: no CORS headers at all.
   */
  corsOrigins?: readonly string[];
  /**
   * Host names (without port) besides localhost and IP addresses under which callers without X-Auth-Token may use
   * `credentials` (DNS rebinding protection, request-guards.ts). Default none: only localhost, *.localhost and IP addresses.
   */
  allowedHosts?: readonly string[];
  /** yoga's log level, or `false` for none. Default `info`. */
  logging?: 'debug' | 'info' | 'warn' | 'error' | false;
  /** Limits on an operation's shape (tokens, depth, aliases, directives). Default `DEFAULT_LIMITS`. */
  limits?: Partial<QueryLimits>;
  /** Interpreted runs of a document before it runs compiled (compiled-execution.ts). Default 1; 0 compiles at once. */
  compileAfterRuns?: number;
  /** Proxies for upstream calls (upstream-dispatcher.ts). Default none: direct connections. */
  proxy?: UpstreamProxy;
  /** Run only these documents, by id; GraphiQL and introspection off (trusted-documents.ts). Default: any document. */
  trustedDocuments?: TrustedDocuments;
  /** Lifetime of cached query results per caller identity (response-cache.ts). Default 0: no cache. */
  responseCacheTtlMs?: number;
  /** Most work one operation may ask for: fields × page sizes (query-cost.ts). Default `DEFAULT_MAX_QUERY_COST`. */
  maxQueryCost?: number;
  /** Upstream calls one caller identity may make per minute, shared by its requests (tenant-limits.ts). Default 6000. */
  tenantCallsPerMinute?: number;
  /** Upstream calls of one caller identity in flight at once; more wait their turn. Default 32. */
  tenantMaxConcurrentCalls?: number;
  /**
   * Circuit breaker per upstream endpoint (upstream/circuit-breaker.ts), or `false` for none. Default
   * `DEFAULT_BREAKER`: open at ≥ 50 % failed attempts among the last 20 (at least 10) within 60 s, probe after 30 s.
   */
  circuitBreaker?: Omit<BreakerOptions, 'onStateChange'> | false;
  /** How long a `/readyz` verdict is reused (readiness.ts), ms. Default 5 000. */
  readinessCacheMs?: number;
  /** Serve Prometheus metrics on `/metrics` (metrics.ts). Default true. */
  metrics?: boolean;
  /** OpenTelemetry spans per request, phase and upstream attempt (tracing.ts), to the registered SDK. Default false. */
  tracing?: boolean;
}

export interface GatewayDeps {
  /** Connection pool for upstream calls. Default: a new undici Agent, closed by `gateway.close()`. */
  dispatcher?: Dispatcher;
  /** Replaces the credentials built from `config.credentials` (e.g. to share one token cache). */
  credentials?: Credentials;
  /** Where spans go when `config.tracing` is on. Default: the globally registered OpenTelemetry provider. */
  tracerProvider?: TracerProvider;
  /** Receives the log lines (masked errors, one line per request). Default: JSON lines on stdout at `config.logging` (json-logger.ts). */
  logger?: YogaLogger;
  /** How a subscription's poll loop waits between reads (watches.ts). Default: a timer. Tests decide when polls happen. */
  sleep?: WatchOptions['sleep'];
}

/**
 * CSRF: a request a browser may send cross-origin without a preflight (a GET, or a POST of a form or text/plain body)
 * is refused with 403 unless it carries one of these headers, which a page can set only after a preflight that CORS
 * (cors.ts) refuses to other origins. `x-graphql-yoga-csrf` is the plugin's own; a caller's X-Auth-Token or
 * X-Project-Id proves the same and is what curl users send anyway. JSON POSTs (curl, GraphiQL) are preflighted by
 * browsers and pass without any of them.
 */
const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'x-auth-token', 'x-project-id'];

/** Largest GraphQL request body accepted: generous for any query, far below yoga's 25 MB default. */
const MAX_REQUEST_BODY_BYTES = 256 * 1024;

/** Builds the gateway. `gateway.fetch(request)` serves one request; `gateway.close()` releases the pool it created. */
export function createGateway(config: GatewayConfig, deps: GatewayDeps = {}) {
  const ownDispatcher = deps.dispatcher ? undefined : createUpstreamDispatcher(config.proxy);
  const dispatcher = deps.dispatcher ?? ownDispatcher!;
  const timeoutMs = config.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  const credentials =
    deps.credentials ?? (config.credentials ? createCredentials(config.credentials, { dispatcher, timeoutMs }) : undefined);
  const responseCache = config.responseCacheTtlMs ? createResponseCache(config.responseCacheTtlMs) : undefined;
  const watches = createWatches({
    maxPerCaller: config.maxSubscriptionsPerCaller ?? DEFAULT_MAX_SUBSCRIPTIONS_PER_CALLER,
    minIntervalMs: config.subscriptionPolling?.minMs ?? 1_000,
    maxIntervalMs: config.subscriptionPolling?.maxMs ?? 10_000,
    sleep: deps.sleep,
  });
  // Shared by every request of the gateway: the point is to count one caller's requests together.
  const tenantLimits = createTenantLimits({
    ...DEFAULT_TENANT_LIMITS,
    callsPerWindow: config.tenantCallsPerMinute ?? DEFAULT_TENANT_LIMITS.callsPerWindow,
    maxConcurrentCalls: config.tenantMaxConcurrentCalls ?? DEFAULT_TENANT_LIMITS.maxConcurrentCalls,
  });
  const logger = deps.logger ?? createJsonLogger(config.logging === false ? 'silent' : (config.logging ?? 'info'));
  const vbsEndpoint = config.vbsEndpoint ?? config.cbrEndpoint;
  // Logs and metrics name the service, not its host.
  const upstreamNames = new Map([[new URL(vbsEndpoint).origin, 'vbs'], [new URL(config.cbrEndpoint).origin, 'cbr']]);
  const breakers =
    config.circuitBreaker === false
      ? undefined
      : createBreakers({
          ...DEFAULT_BREAKER,
          ...config.circuitBreaker,
          // One line per change of state; the fields failing fast while it is open are logged at debug (errors.ts).
          onStateChange: (endpoint, state) => logger.warn({ msg: 'circuit breaker', upstream: upstreamNames.get(endpoint) ?? 'other', state }),
        });
  const metrics = config.metrics === false ? undefined : createGatewayMetrics({ breakers, endpointNames: upstreamNames, responseCache: responseCache?.stats });
  const tracing = config.tracing ? createTracing(deps.tracerProvider) : undefined;
  const readiness = createReadiness({
    cbrEndpoint: config.cbrEndpoint,
    vbsEndpoint,
    dispatcher,
    timeoutMs,
    credentials,
    breakers,
    cacheMs: config.readinessCacheMs ?? 5_000,
  });

  const yoga = createYoga<object, GraphQLContext>({
    schema: createGatewaySchema(),
    graphqlEndpoint: '/graphql',
    context: createContextFactory({
      cbrEndpoint: config.cbrEndpoint,
      vbsEndpoint: config.vbsEndpoint ?? config.cbrEndpoint,
      dispatcher,
      timeoutMs,
      credentials,
      defaultProjectId: config.defaultProjectId,
      maxUpstreamCalls: config.maxUpstreamCallsPerRequest,
      watches,
      tenantLimits,
      breakers,
    }),
    maskedErrors: { maskError: maskGatewayError },
    logging: byErrorKind(logger),
    // graphiql/page.ts serves it (offline, with CSP and examples), or a note saying how to turn it on.
    graphiql: false,
    landingPage: false,
    // yoga's default CORS reflects any origin, with credentials; cors.ts grants exactly the configured ones.
    cors: false,
    // Neither is part of this API; off means less surface (hardening.md 1.6).
    multipart: false,
    batching: false,
    // body-limit.ts enforces it more cheaply.
    maxRequestBodySize: false,
    // The persisted-documents form of a request names its document by id (trusted-documents.ts).
    extraParamNames: config.trustedDocuments ? ['documentId'] : [],
    plugins: [
      // First: probes need no credentials and pass no guard (their onRequest answers before the guards' onRequestParse).
      useHealthEndpoints(readiness),
      ...(metrics ? [metrics.plugin()] : []),
      useRequestTelemetry({
        graphqlEndpoint: '/graphql',
        logger,
        sinks: [...(metrics ? [metrics.sink] : []), ...(tracing ? [tracing.sink] : [])],
      }),
      ...(tracing ? [tracing.plugin] : []),
      useGraphiQLPage({
        // Only the manifest's operations run in trusted-documents mode: GraphiQL could run none of its own.
        enabled: !config.trustedDocuments && (config.graphiql ?? false),
        endpoint: '/graphql',
        shareProjectId: config.graphiqlShareProjectId,
        // Typed, as yoga is still being built here; called only once requests arrive.
        runAsCaller: (request) => runAsCaller({ fetch: (input: string, init: RequestInit): Promise<Response> => Promise.resolve(yoga.fetch(input, init)) }, request),
      }),
      // Installed without CORS_ORIGINS too: it answers other origins' preflights with the reason.
      useCors(config.corsOrigins ?? []),
      // Before CSRF: a refused Host is the more useful answer (a CSRF header would not help). Only the gateway's own
      // credentials need it; without them a token-less caller is asked for a token anyway (context.ts).
      ...(credentials ? [useAllowedHosts(config.allowedHosts ?? [])] : []),
      useCsrfPrevention(CSRF_HEADERS),
      useUnsupportedMediaType(),
      useRequestBodyLimit(MAX_REQUEST_BODY_BYTES),
      ...(config.trustedDocuments ? useTrustedDocuments(config.trustedDocuments) : []),
      useTenantLimits(tenantLimits),
      useQueryLimits({ ...DEFAULT_LIMITS, ...config.limits }),
      // Before the execution plugins: a refused operation is never compiled nor run.
      useQueryCost(config.maxQueryCost ?? DEFAULT_MAX_QUERY_COST),
      useTextHygiene(),
      ...compiledExecutionPlugins(config.compileAfterRuns ?? 1),
      // After the execution plugins: it wraps the execute function they set.
      ...(responseCache?.plugins ?? []),
      // After them: the last plugin to set the subscribe function wins.
      useEventStreamSubscriptions(),
      noStore(),
    ],
  });

  return Object.assign(yoga, {
    /** Hit and miss counts of the response cache (for metrics); undefined when it is off. */
    responseCacheStats: responseCache?.stats,
    /** The poll loops of subscriptions (tests count them). */
    watches,
    /** Ends every subscription and closes the connection pool the gateway created (not one passed in `deps`). */
    async close(): Promise<void> {
      watches.close();
      await ownDispatcher?.close();
    },
  });
}

export type Gateway = ReturnType<typeof createGateway>;

/**
 * yoga logs every error it masks at `error`, including a caller's 404 or bad input. This logger re-levels those
 * lines by what the error is (see `logLevelOf`), so `error` stays for bugs.
 */
function byErrorKind(logger: YogaLogger): YogaLogger {
  return {
    ...logger,
    error(...args: unknown[]) {
      const level = args.length === 1 ? logLevelOf(args[0]) : 'error';
      logger[level](...args);
    },
  };
}

/** Answers are per caller and change with every mutation: no shared cache may keep them. */
function noStore(): Plugin {
  return {
    onResponse({ response }) {
      response.headers.set('cache-control', 'no-store');
    },
  };
}

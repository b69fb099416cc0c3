/**
 * Prometheus metrics on `/metrics`: yoga's maintained plugin (`@graphql-yoga/plugin-prometheus`) for the GraphQL
 * phases (parse, validate, execute, errors), plus the gateway's own: requests by operation and outcome, their
 * latency, requests in flight, upstream calls by route and status, DataLoader batch sizes and circuit breaker states.
 * One registry per gateway, so two gateways in one process (tests) do not share counters.
 */
import { createCounter, createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Breakers, BreakerState } from '../upstream/circuit-breaker';
import type { AttemptEvent } from '../upstream/http';
import type { RequestSummary, RequestTelemetry, TelemetrySink } from './request-telemetry';
import type { ResponseCacheStats } from './response-cache';

/** Operation names come from callers: only this many distinct ones get their own label value, the rest are `other`. */
const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BREAKER_STATES: readonly BreakerState[] = ['closed', 'half-open', 'open'];

export interface GatewayMetricsOptions {
  breakers?: Breakers;
  /** Label of each upstream origin (`cbr`, `vbs`): metrics name services, not hosts. */
  endpointNames: ReadonlyMap<string, string>;
  /** The response cache's counts, when it is on (response-cache.ts). */
  responseCache?: ResponseCacheStats;
}

export function createGatewayMetrics(options: GatewayMetricsOptions) {
  const registry = new Registry();
  const operations = new Set<string>();
  const operationLabel = (name: string) => {
    if (name === 'anonymous') return name;
    if (!OPERATION_NAME.test(name)) return 'other';
    if (operations.has(name)) return name;
    if (operations.size >= MAX_OPERATION_LABELS) return 'other';
    operations.add(name);
    return name;
  };

  const requests = new Counter({
    name: 'cbr_gateway_requests_total',
    help: 'GraphQL requests by operation name and outcome (ok, partial, error, refused, aborted).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'cbr_gateway_request_duration_seconds',
    help: 'Time from receiving a GraphQL request to its response, by operation name.',
    labelNames: ['operation'] as const,
    buckets: SECONDS,
    registers: [registry],
  });
  const inFlight = new Gauge({ name: 'cbr_gateway_requests_in_flight', help: 'GraphQL requests being served.', registers: [registry] });
  const upstreamCalls = new Counter({
    name: 'cbr_gateway_upstream_calls_total',
    help: 'Upstream attempts (retries included) by method, route and HTTP status, or timeout/network/aborted/error.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const upstreamDuration = new Histogram({
    name: 'cbr_gateway_upstream_call_duration_seconds',
    help: 'Duration of upstream attempts by method and route.',
    labelNames: ['method', 'route'] as const,
    buckets: SECONDS,
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'cbr_gateway_loader_batch_size',
    help: 'Keys per DataLoader batch, by loader.',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [registry],
  });
  new Gauge({
    name: 'cbr_gateway_circuit_breaker_state',
    help: 'Circuit breaker of each upstream: 1 for its current state (closed, half-open, open), 0 for the others.',
    labelNames: ['upstream', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { endpoint, state } of options.breakers?.states() ?? []) {
        const upstream = options.endpointNames.get(endpoint) ?? 'other';
        for (const candidate of BREAKER_STATES) this.set({ upstream, state: candidate }, candidate === state ? 1 : 0);
      }
    },
  });

  const responseCache = options.responseCache;
  if (responseCache) {
    new Counter({
      name: 'cbr_gateway_response_cache_total',
      help: 'Query answers served from the response cache (hit) or computed (miss), while RESPONSE_CACHE_TTL_MS is on.',
      labelNames: ['result'] as const,
      registers: [registry],
      collect() {
        this.reset();
        this.inc({ result: 'hit' }, responseCache.hits);
        this.inc({ result: 'miss' }, responseCache.misses);
      },
    });
  }

  const sink: TelemetrySink = {
    requestStarted() {
      inFlight.inc();
    },
    upstreamAttempt(_telemetry: RequestTelemetry, event: AttemptEvent) {
      const route = routeOf(event.path);
      const status = event.outcome === 'response' ? String(event.status) : event.outcome;
      upstreamCalls.inc({ method: event.method, route, status });
      upstreamDuration.observe({ method: event.method, route }, event.durationMs / 1000);
    },
    loaderBatch(_telemetry: RequestTelemetry, loader: string, size: number) {
      batchSize.observe({ loader }, size);
    },
    requestEnded(telemetry: RequestTelemetry, summary: RequestSummary) {
      inFlight.dec();
      const operation = operationLabel(telemetry.operationName);
      requests.inc({ operation, outcome: summary.outcome });
      requestDuration.observe({ operation }, summary.durationMs / 1000);
    },
  };

  return {
    registry,
    sink,
    /** yoga's prometheus plugin on this registry, serving `/metrics`. */
    plugin(): Plugin {
      return usePrometheus({
        registry,
        endpoint: '/metrics',
        // The plugin's own metrics, names, help and labels, each given its labels by a direct function: the plugin's
        // default copies every candidate label and then filters out the ones turned off below, on every phase of every
        // request (measured: ~4 % of the gateway's CPU on a single vault).
        metrics: {
          graphql_envelop_request: createCounter({
            registry,
            counter: { name: 'graphql_envelop_request', help: 'Counts the amount of GraphQL requests executed through Envelop', labelNames: ['operationType'] },
            fillLabelsFn: operationTypeLabel,
          }),
          graphql_envelop_request_duration: phaseHistogram(registry, 'graphql_envelop_request_duration', 'Time spent on running the GraphQL operation from parse to execute'),
          graphql_envelop_request_time_summary: false,
          graphql_envelop_phase_parse: phaseHistogram(registry, 'graphql_envelop_phase_parse', 'Time spent on running GraphQL "parse" function'),
          graphql_envelop_phase_validate: phaseHistogram(registry, 'graphql_envelop_phase_validate', 'Time spent on running GraphQL "validate" function'),
          graphql_envelop_phase_context: phaseHistogram(registry, 'graphql_envelop_phase_context', 'Time spent on building the GraphQL context'),
          graphql_envelop_phase_execute: phaseHistogram(registry, 'graphql_envelop_phase_execute', 'Time spent on running the GraphQL "execute" function'),
          graphql_envelop_error_result: true,
          graphql_envelop_deprecated_field: false,
          graphql_envelop_phase_subscribe: false,
          graphql_envelop_schema_change: false,
          graphql_yoga_http_duration: createHistogram({
            registry,
            histogram: { name: 'graphql_yoga_http_duration', help: 'Time spent on HTTP connection', labelNames: ['operationType', 'method', 'statusCode'] },
            fillLabelsFn: (params, { request, response }) => ({ method: request.method, statusCode: response.status, operationType: params.operationType || 'unknown' }),
          }),
        },
        // Caller-chosen operation names and URLs (a GET carries the whole query) would make label values unbounded;
        // the gateway's own request metrics above carry a capped operation label instead.
        labels: { operationName: false, url: false },
      });
    },
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/** A histogram of one GraphQL phase as the prometheus plugin defines it (default buckets), labelled by operation type only. */
function phaseHistogram<Phase>(registry: Registry, name: string, help: string) {
  return createHistogram<Phase, 'operationType'>({ registry, histogram: { name, help, labelNames: ['operationType'] }, fillLabelsFn: operationTypeLabel });
}

/** As the plugin's default: the operation's type, undefined before it is known (a document that did not parse). */
const operationTypeLabel = (params: { operationType?: string }) => ({ operationType: params.operationType as string });

/** `/v3/0a1b…/vaults/4c2e…` → `/v3/{project_id}/vaults/{id}`: the route, for a label with few values. */
export function routeOf(path: string): string {
  const segments = path.split('/');
  return segments
    .map((segment, i) => {
      if (i === 2 && /^v\d$/.test(segments[1] ?? '') && segments[2] !== 'auth') return segment === '' ? segment : '{project_id}';
      return /\d/.test(segment) && !/^v\d$/.test(segment) ? '{id}' : segment;
    })
    .join('/');
}

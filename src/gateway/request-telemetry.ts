/**
 * What the gateway records about each GraphQL request: its request id (the caller's `X-Request-Id` when usable, else
 * a new UUID; sent upstream on every call and returned in the response header), its operation, its upstream calls,
 * its outcome and duration, and one structured log line when it ends. Metrics and traces (metrics.ts, tracing.ts)
 * plug in as sinks of the same events, so the request is observed in one place.
 */
import { randomUUID } from 'node:crypto';
import { getOperationAST } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import type { AttemptEvent } from '../upstream/http';

/** `ok`: no error; `partial`: data with errors; `error`: no data; `refused`: not executed (4xx); `aborted`: the client left. */
export type RequestOutcome = 'ok' | 'partial' | 'error' | 'refused' | 'aborted';

export interface RequestTelemetry {
  /** The HTTP request (its headers, e.g. a `traceparent` for tracing.ts). */
  request: Request;
  requestId: string;
  /** `performance.now()` and epoch ms at the start. */
  startedAt: number;
  startedAtEpoch: number;
  /** The operation's name; `anonymous` until known or when it has none. */
  operationName: string;
  /** `query`, `mutation`, or undefined before execution. */
  operationType: string | undefined;
  /** Upstream attempts made (retries included) and how many of them did not get a 2xx answer. */
  upstreamCalls: number;
  upstreamFailures: number;
  /** `extensions.code` of every error in the answer, each once. */
  errorCodes: Set<string>;
  /** Whether the answer carried data (false for an answer of errors only). */
  answeredData: boolean;
  /** Hands an upstream attempt to the counters and the sinks; given to the request's HTTP pipelines (context.ts). */
  observe(event: AttemptEvent): void;
  /** Whether a sink wants DataLoader batches (they are wrapped only then). */
  countsBatches: boolean;
  /** Hands a DataLoader batch of `size` keys to the sinks (loader-batches.ts); the returned function ends it. */
  observeBatch(loader: string, size: number): ((error?: unknown) => void) | undefined;
  /** Per-sink state (e.g. the request's span), keyed by the sink. */
  readonly sinkState: Map<TelemetrySink, unknown>;
}

export interface RequestSummary {
  outcome: RequestOutcome;
  durationMs: number;
  status: number;
}

/** Receives the events of every GraphQL request. Must not throw. */
export interface TelemetrySink {
  requestStarted?(telemetry: RequestTelemetry): void;
  operationKnown?(telemetry: RequestTelemetry): void;
  upstreamAttempt?(telemetry: RequestTelemetry, event: AttemptEvent): void;
  /** A DataLoader batch started; a returned function is called when it ended. */
  loaderBatch?(telemetry: RequestTelemetry, loader: string, size: number): ((error?: unknown) => void) | void;
  requestEnded?(telemetry: RequestTelemetry, summary: RequestSummary): void;
}

/** A caller's id is taken as it is when it is short and plain (it ends up in logs and upstream headers). */
const USABLE_REQUEST_ID = /^[A-Za-z0-9._:/+=-]{1,128}$/;

const byRequest = new WeakMap<Request, RequestTelemetry>();

/** The telemetry of a GraphQL request (undefined for requests the gateway answers before yoga, e.g. /healthz). */
export function telemetryOf(request: Request): RequestTelemetry | undefined {
  return byRequest.get(request);
}

export interface RequestTelemetryOptions {
  graphqlEndpoint: string;
  /** Where the per-request line goes (at `info`). */
  logger: YogaLogger;
  sinks?: readonly TelemetrySink[];
}

export function useRequestTelemetry(options: RequestTelemetryOptions): Plugin {
  const sinks = options.sinks ?? [];
  const countsBatches = sinks.some((sink) => sink.loaderBatch !== undefined);
  const each = (fn: (sink: TelemetrySink) => void) => {
    for (const sink of sinks) fn(sink);
  };

  return {
    onRequest({ request, url }) {
      if (url.pathname !== options.graphqlEndpoint) return;
      const given = request.headers.get('x-request-id');
      const telemetry: RequestTelemetry = {
        request,
        requestId: given !== null && USABLE_REQUEST_ID.test(given) ? given : randomUUID(),
        startedAt: performance.now(),
        startedAtEpoch: Date.now(),
        operationName: 'anonymous',
        operationType: undefined,
        upstreamCalls: 0,
        upstreamFailures: 0,
        errorCodes: new Set(),
        answeredData: false,
        countsBatches,
        observe(event) {
          telemetry.upstreamCalls++;
          if (event.status === undefined || event.status >= 300) telemetry.upstreamFailures++;
          each((sink) => sink.upstreamAttempt?.(telemetry, event));
        },
        observeBatch(loader, size) {
          const ends: Array<(error?: unknown) => void> = [];
          each((sink) => {
            const end = sink.loaderBatch?.(telemetry, loader, size);
            if (end) ends.push(end);
          });
          if (ends.length === 0) return undefined;
          return (error) => {
            for (const end of ends) end(error);
          };
        },
        sinkState: new Map(),
      };
      byRequest.set(request, telemetry);
      each((sink) => sink.requestStarted?.(telemetry));
    },
    onParams({ params, request }) {
      const telemetry = byRequest.get(request);
      if (telemetry && typeof params.operationName === 'string') telemetry.operationName = params.operationName;
    },
    onExecute({ args }) {
      const telemetry = byRequest.get((args.contextValue as { request: Request }).request);
      if (!telemetry) return;
      const operation = getOperationAST(args.document, args.operationName);
      telemetry.operationType = operation?.operation;
      if (operation?.name) telemetry.operationName = operation.name.value;
      each((sink) => sink.operationKnown?.(telemetry));
    },
    onResultProcess({ request, result }) {
      const telemetry = byRequest.get(request);
      if (!telemetry) return;
      for (const one of Array.isArray(result) ? result : [result]) {
        for (const error of (one as { errors?: ReadonlyArray<{ extensions?: { code?: unknown } }> }).errors ?? []) {
          const code = error.extensions?.code;
          telemetry.errorCodes.add(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
        }
        const data = (one as { data?: unknown }).data;
        if (data !== null && data !== undefined) telemetry.answeredData = true;
      }
    },
    onResponse({ request, response }) {
      const telemetry = byRequest.get(request);
      if (!telemetry) return;
      byRequest.delete(request);
      response.headers.set('x-request-id', telemetry.requestId);
      const summary: RequestSummary = {
        outcome: outcomeOf(telemetry, request, response.status),
        durationMs: Math.round((performance.now() - telemetry.startedAt) * 10) / 10,
        status: response.status,
      };
      options.logger.info({
        msg: 'request',
        requestId: telemetry.requestId,
        operation: telemetry.operationName,
        ...(telemetry.operationType ? { operationType: telemetry.operationType } : {}),
        outcome: summary.outcome,
        status: summary.status,
        durationMs: summary.durationMs,
        upstreamCalls: telemetry.upstreamCalls,
        ...(telemetry.upstreamFailures > 0 ? { upstreamFailures: telemetry.upstreamFailures } : {}),
        ...(telemetry.errorCodes.size > 0 ? { errorCodes: [...telemetry.errorCodes] } : {}),
      });
      each((sink) => sink.requestEnded?.(telemetry, summary));
    },
  };
}

function outcomeOf(telemetry: RequestTelemetry, request: Request, status: number): RequestOutcome {
  if (request.signal.aborted) return 'aborted';
  if (telemetry.operationType === undefined) return status >= 400 || telemetry.errorCodes.size > 0 ? 'refused' : 'ok';
  if (telemetry.errorCodes.size === 0) return 'ok';
  return telemetry.answeredData ? 'partial' : 'error';
}

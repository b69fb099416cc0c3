/**
 * OpenTelemetry traces, off unless configured (`GatewayConfig.tracing`): a server span per GraphQL request (joined to
 * the caller's trace through the registered propagator, e.g. W3C `traceparent`), a child span per GraphQL phase
 * (parse, validate, execute), one per DataLoader batch (the group of resolvers one round of calls answers) and a
 * client span per upstream attempt, the last two under the execute span. Written against the
 * OpenTelemetry API only: the operator registers an SDK and exporter (e.g. `node --import
 * @opentelemetry/auto-instrumentations-node/register`); without one every span is a no-op.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type TracerProvider } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import type { AttemptEvent } from '../upstream/http';
import { routeOf } from './metrics';
import { telemetryOf, type RequestSummary, type RequestTelemetry, type TelemetrySink } from './request-telemetry';

interface RequestSpans {
  request: Span;
  /** Open while the operation executes: the parent of the upstream spans. */
  execute?: Span;
}

const headerGetter = {
  keys: (carrier: Headers) => [...carrier.keys()],
  get: (carrier: Headers, key: string) => carrier.get(key) ?? undefined,
};

export function createTracing(provider: TracerProvider = trace.getTracerProvider()) {
  const tracer = provider.getTracer('cbr-graphql');
  const spansOf = (telemetry: RequestTelemetry) => telemetry.sinkState.get(sink) as RequestSpans | undefined;
  const under = (parent: Span) => trace.setSpan(context.active(), parent);

  /** A child span of the request for one GraphQL phase; ends when the returned function is called. */
  function phase(request: Request, name: string): ((error?: unknown) => void) | undefined {
    const telemetry = telemetryOf(request);
    const spans = telemetry && spansOf(telemetry);
    if (!spans) return undefined;
    const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL }, under(spans.request));
    if (name === 'graphql.execute') spans.execute = span;
    return (error) => {
      if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
      if (spans.execute === span) spans.execute = undefined;
    };
  }

  const sink: TelemetrySink = {
    requestStarted(telemetry: RequestTelemetry) {
      // The caller's trace (a `traceparent` header) when the registered propagator finds one.
      const parent = propagation.extract(context.active(), telemetry.request.headers, headerGetter);
      const span = tracer.startSpan(
        'graphql.request',
        { kind: SpanKind.SERVER, startTime: telemetry.startedAtEpoch, attributes: { 'cbr.request_id': telemetry.requestId } },
        parent,
      );
      telemetry.sinkState.set(sink, { request: span } satisfies RequestSpans);
    },
    operationKnown(telemetry: RequestTelemetry) {
      const spans = spansOf(telemetry);
      if (!spans) return;
      spans.request.updateName(`graphql.${telemetry.operationType ?? 'request'} ${telemetry.operationName}`);
      spans.request.setAttribute('graphql.operation.name', telemetry.operationName);
      if (telemetry.operationType) spans.request.setAttribute('graphql.operation.type', telemetry.operationType);
    },
    loaderBatch(telemetry: RequestTelemetry, loader: string, size: number) {
      const spans = spansOf(telemetry);
      if (!spans) return undefined;
      const span = tracer.startSpan(`graphql.loader ${loader}`, { kind: SpanKind.INTERNAL, attributes: { 'cbr.loader': loader, 'cbr.batch_size': size } }, under(spans.execute ?? spans.request));
      return (error?: unknown) => {
        if (error) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      };
    },
    upstreamAttempt(telemetry: RequestTelemetry, event: AttemptEvent) {
      const spans = spansOf(telemetry);
      if (!spans) return;
      const route = routeOf(event.path);
      const span = tracer.startSpan(
        `${event.method} ${route}`,
        {
          kind: SpanKind.CLIENT,
          startTime: event.startedAt,
          attributes: { 'http.request.method': event.method, 'url.template': route, 'cbr.attempt': event.attempt, 'cbr.outcome': event.outcome },
        },
        under(spans.execute ?? spans.request),
      );
      if (event.status !== undefined) span.setAttribute('http.response.status_code', event.status);
      if (event.outcome !== 'response' || (event.status ?? 0) >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: event.outcome });
      span.end(event.startedAt + event.durationMs);
    },
    requestEnded(telemetry: RequestTelemetry, summary: RequestSummary) {
      const spans = spansOf(telemetry);
      if (!spans) return;
      spans.request.setAttributes({
        'cbr.outcome': summary.outcome,
        'cbr.upstream_calls': telemetry.upstreamCalls,
        'http.response.status_code': summary.status,
      });
      if (summary.outcome === 'error') spans.request.setStatus({ code: SpanStatusCode.ERROR });
      spans.request.end();
    },
  };

  /** The phase spans, as envelop hooks. */
  const plugin: Plugin = {
    onParse({ context: ctx }) {
      const end = phase((ctx as { request: Request }).request, 'graphql.parse');
      return end && (({ result }) => end(result instanceof Error ? result : undefined));
    },
    onValidate({ context: ctx }) {
      const end = phase((ctx as { request: Request }).request, 'graphql.validate');
      return end && (({ valid }) => end(valid ? undefined : 'invalid'));
    },
    onExecute({ args }) {
      const end = phase((args.contextValue as { request: Request }).request, 'graphql.execute');
      return end && { onExecuteDone: () => end() };
    },
  };

  return { sink, plugin };
}

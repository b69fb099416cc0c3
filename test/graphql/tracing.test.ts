/**
 * OpenTelemetry spans (tracing.ts) collected with the SDK's in-memory exporter: a dashboard query traces one client
 * span per upstream call, under the execute span of its request span; nothing is traced unless configured.
 */
import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src/gateway/yoga';
import { addServer, addVault } from '../helpers/builders';
import { PROJECT_A, startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { useStack } from '../helpers/stack';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
afterAll(() => provider.shutdown());

const DASHBOARD = `query Dashboard {
  vaults(first: 20) { totalCount edges { node { name policy { name } resources { name backups(first: 3) { edges { node { name } } } }
    tasks(first: 1) { edges { node { status } } } } } }
}`;

function seed(emu: TestEmulator): void {
  for (let i = 0; i < 3; i++) {
    const servers = [addServer(emu.emulator, PROJECT_A, { name: `s${i}a` }), addServer(emu.emulator, PROJECT_A, { name: `s${i}b` })];
    addVault(emu.emulator, PROJECT_A, { name: `v${i}`, resources: servers });
  }
}

describe('tracing', () => {
  // The emulator and its call log; the gateways under test are made per test, with the in-memory provider.
  const stack = useStack();

  it('traces a dashboard query: one client span per upstream call, under the execute span of the request span', async () => {
    const gateway = createGateway({ cbrEndpoint: stack.emu.url, tracing: true, circuitBreaker: false }, { tracerProvider: provider, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    try {
      seed(stack.emu);
      exporter.reset();
      const res = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-auth-token': stack.emu.project.token,
          'x-project-id': PROJECT_A,
          'x-request-id': 'dash-trace',
        },
        body: JSON.stringify({ query: DASHBOARD }),
      });
      expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
      const calls = stack.calls();
      expect(calls).toHaveLength(1 + 1 + 6 + 3);

      const spans = exporter.getFinishedSpans();
      const request = spans.filter((span) => span.kind === SpanKind.SERVER);
      expect(request.map((span) => [span.name, span.attributes['cbr.request_id'], span.attributes['cbr.upstream_calls']])).toEqual([
        ['graphql.query Dashboard', 'dash-trace', calls.length],
      ]);
      const requestSpan = request[0]!;
      const internal = spans.filter((span) => span.kind === SpanKind.INTERNAL);
      const phases = internal.filter((span) => !span.name.startsWith('graphql.loader'));
      expect(phases.map((span) => span.name).sort()).toEqual(['graphql.execute', 'graphql.parse', 'graphql.validate']);
      for (const span of phases) expect(span.parentSpanContext?.spanId).toBe(requestSpan.spanContext().spanId);
      const execute = phases.find((span) => span.name === 'graphql.execute')!;

      // One span per DataLoader batch, under execute: the six servers' backup lists are asked for in one batch.
      const batches = internal.filter((span) => span.name.startsWith('graphql.loader'));
      expect(batches.find((span) => span.name === 'graphql.loader backupList')?.attributes['cbr.batch_size']).toBe(6);
      for (const span of batches) expect(span.parentSpanContext?.spanId).toBe(execute.spanContext().spanId);

      const upstream = spans.filter((span) => span.kind === SpanKind.CLIENT);
      expect(upstream).toHaveLength(calls.length);
      for (const span of upstream) {
        expect(span.spanContext().traceId).toBe(requestSpan.spanContext().traceId);
        expect(span.parentSpanContext?.spanId).toBe(execute.spanContext().spanId);
        expect(span.attributes['http.response.status_code']).toBe(200);
      }
      expect(upstream.map((span) => span.name).sort()).toEqual(
        [
          'GET /v3/{project_id}/vaults',
          'GET /v3/{project_id}/policies',
          ...Array(6).fill('GET /v3/{project_id}/backups'),
          ...Array(3).fill('GET /v3/{project_id}/operation-logs'),
        ].sort(),
      );
    } finally {
      await gateway.close();
    }
  });

  it('records nothing when tracing is off', async () => {
    const gateway = createGateway({ cbrEndpoint: stack.emu.url, circuitBreaker: false }, { tracerProvider: provider, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    try {
      exporter.reset();
      const res = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-token': stack.emu.project.token, 'x-project-id': PROJECT_A },
        body: JSON.stringify({ query: '{ vaults { totalCount } }' }),
      });
      expect(res.status).toBe(200);
      expect(exporter.getFinishedSpans()).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});

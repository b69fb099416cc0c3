/**
 * Request ids and the per-request log line (request-telemetry.ts), and client aborts logged at debug instead of one
 * error per aborted field. Upstream headers are read by an undici interceptor in front of the real Agent (loopback).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeListener } from '../../src/gateway/node-listener';
import { createGateway } from '../../src/gateway/yoga';
import { addServer, addVault } from '../helpers/builders';
import { PROJECT_A, startTestEmulator } from '../helpers/emulator';
import { useStack } from '../helpers/stack';

const sentRequestIds: Array<string | undefined> = [];
const agent = new Agent();
const recording = agent.compose((dispatch) => (opts: Dispatcher.DispatchOptions, handler) => {
  const headers = opts.headers as Record<string, string> | undefined;
  sentRequestIds.push(headers?.['x-request-id']);
  return dispatch(opts, handler);
});
afterAll(() => agent.close());

const stack = useStack();
const requestLines = () => stack.logged.filter((line) => (line.args[0] as { msg?: string })?.msg === 'request').map((line) => ({ level: line.level, ...(line.args[0] as object) }));

describe('request ids', () => {
  const withRecorder = useStack();
  it('takes the caller\'s X-Request-Id, sends it upstream on every call and returns it', async () => {
    const gateway = createGateway({ cbrEndpoint: withRecorder.emu.url, circuitBreaker: false }, { dispatcher: recording, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    sentRequestIds.length = 0;
    const res = await gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': withRecorder.emu.project.token, 'x-project-id': PROJECT_A, 'x-request-id': 'trace-abc.123' },
      body: JSON.stringify({ query: '{ vaults { totalCount } policies { totalCount } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trace-abc.123');
    expect(sentRequestIds).toEqual(['trace-abc.123', 'trace-abc.123']);
    await gateway.close();
  });

  it('generates an id when the caller sends none or an unusable one', async () => {
    const plain = await stack.executeRaw('{ vaults { totalCount } }');
    expect(plain.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await stack.executeRaw('{ vaults { totalCount } }', undefined, { headers: { 'x-request-id': 'has spaces; and "quotes"' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(bad.headers.get('x-request-id')).not.toBe(plain.headers.get('x-request-id'));
  });
});

describe('the per-request log line', () => {
  it('names the operation, its outcome, duration and upstream calls', async () => {
    const server = addServer(stack.emu.emulator, PROJECT_A, { name: 'web' });
    addVault(stack.emu.emulator, PROJECT_A, { name: 'v1', resources: [server] });
    const query = `query Dash { vaults { edges { node { name policy { name } resources { name backups(first: 1) { totalCount } } } } } }`;
    const res = await stack.executeRaw(query, undefined, { headers: { 'x-request-id': 'dash-1' } });
    expect(res.status).toBe(200);
    expect(requestLines()).toEqual([
      {
        level: 'info',
        msg: 'request',
        requestId: 'dash-1',
        operation: 'Dash',
        operationType: 'query',
        outcome: 'ok',
        status: 200,
        durationMs: expect.any(Number),
        upstreamCalls: stack.calls().length,
      },
    ]);
    expect(stack.calls().length).toBeGreaterThan(1);
  });

  it('records a failed field as a partial outcome with the error codes and the failed upstream attempts', async () => {
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/policies', errorRate: 1, status: 500 }] });
    await stack.execute(`query Both { vaults { totalCount } policies { totalCount } }`);
    expect(requestLines()).toEqual([
      expect.objectContaining({ operation: 'Both', outcome: 'partial', upstreamCalls: 2, upstreamFailures: 1, errorCodes: ['UPSTREAM_ERROR'] }),
    ]);
  });

  it('records a request refused before execution', async () => {
    await stack.execute(`{ vaults { nope } }`);
    expect(requestLines()).toEqual([expect.objectContaining({ operation: 'anonymous', outcome: 'refused', upstreamCalls: 0, errorCodes: ['GRAPHQL_VALIDATION_FAILED'] })]);
  });
});

describe('client aborts', () => {
  it('logs a dashboard the client abandons at debug only: no error line per aborted field', async () => {
    const emu = await startTestEmulator();
    const logged: Array<{ level: string; args: unknown[] }> = [];
    const record = (level: string) => (...args: unknown[]) => void logged.push({ level, args });
    const gateway = createGateway(
      { cbrEndpoint: emu.url, circuitBreaker: false },
      { logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') } },
    );
    const http = createServer(nodeListener(gateway));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      for (let i = 0; i < 5; i++) {
        const server = addServer(emu.emulator, PROJECT_A, { name: `s${i}` });
        addVault(emu.emulator, PROJECT_A, { name: `v${i}`, resources: [server] });
      }
      // Every upstream call after the vault list hangs for 5 s: the client leaves while they are in flight.
      emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/backups', latency: { minMs: 5_000 } }] });
      const controller = new AbortController();
      const { port } = http.address() as AddressInfo;
      const pending = fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-token': emu.project.token, 'x-project-id': PROJECT_A },
        body: JSON.stringify({ query: '{ vaults { edges { node { resources { backups(first: 3) { totalCount } } } } } }' }),
        signal: controller.signal,
      });
      // Abort once the backup lists are on their way.
      for (let i = 0; i < 200 && !emu.emulator.faults.get().rules.some((rule) => (rule as { hits: number }).hits >= 5); i++) await new Promise((r) => setTimeout(r, 10));
      controller.abort();
      await expect(pending).rejects.toThrow();
      for (let i = 0; i < 300 && !logged.some((line) => (line.args[0] as { msg?: string })?.msg === 'request'); i++) await new Promise((r) => setTimeout(r, 10));
      expect(logged.filter((line) => line.level === 'error' || line.level === 'warn')).toEqual([]);
      expect(logged.filter((line) => line.level === 'debug' && String(line.args[0]).includes('aborted')).length).toBeGreaterThanOrEqual(5);
      expect(logged.find((line) => (line.args[0] as { msg?: string })?.msg === 'request')?.args[0]).toEqual(expect.objectContaining({ outcome: 'aborted' }));
    } finally {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await gateway.close();
      await emu.close();
    }
  });
});

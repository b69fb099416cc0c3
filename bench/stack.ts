/**
 * The system under test, all in this process on 127.0.0.1: the emulator with the demo dataset and a fixed latency on
 * every CBR/VBS call (the fault knobs), and the gateway served by node:http on port 0, pointed at the emulator, with a
 * call recorder on its upstream pool. Also the two load-side connection pools (to the gateway, to the emulator).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import type { YogaLogger } from 'graphql-yoga';
import { DEMO_PROJECT } from '../src/emulator/demo-identity';
import { startEmulator, type RunningEmulator } from '../src/emulator/server';
import { createGateway } from '../src/gateway/yoga';
import { createCallRecorder, type CallRecorder } from './recorder';

/**
 * Upstream connections per origin, the same for the gateway's pool and the REST baseline's pool (and the gateway's
 * own default), so that at high concurrency both queue for connections alike.
 */
export const UPSTREAM_CONNECTIONS = 64;

export interface BenchStack {
  emulator: RunningEmulator;
  /** `http://127.0.0.1:PORT` of the gateway (GraphQL at /graphql). */
  gatewayUrl: string;
  projectId: string;
  /** A token of the demo project, sent by the load generator to the gateway and by the REST baseline to the emulator. */
  token: string;
  /** Records the gateway's upstream calls while started. */
  recorder: CallRecorder;
  /** Load generator → gateway. */
  gatewayClientPool: Dispatcher;
  /** REST baseline → emulator. */
  restPool: Dispatcher;
  /** Masked errors the gateway logged (its logger would otherwise print them under load). */
  gatewayErrors: unknown[][];
  close(): Promise<void>;
}

export async function startBenchStack({ latencyMs, clients }: { latencyMs: number; clients: number }): Promise<BenchStack> {
  const emulator = await startEmulator({ port: 0, demo: true, lifecycle: 'immediate' });
  const projectId = DEMO_PROJECT.id;
  emulator.emulator.faults.set({ latency: { minMs: latencyMs } });
  const token = emulator.emulator.identity.issueToken(projectId).token;

  const recorder = createCallRecorder();
  const upstreamAgent = new Agent({ keepAliveTimeout: 30_000, connections: UPSTREAM_CONNECTIONS });
  const gatewayErrors: unknown[][] = [];
  const keep = (...args: unknown[]) => void (gatewayErrors.length < 20 && gatewayErrors.push(args));
  const logger: YogaLogger = { debug: () => {}, info: () => {}, warn: keep, error: keep };
  const gateway = createGateway(
    // One caller at full speed: the per-tenant budget and concurrency cap (tenant-limits.ts) would measure themselves.
    { cbrEndpoint: emulator.url, vbsEndpoint: emulator.url, upstreamTimeoutMs: 10_000, tenantCallsPerMinute: 10_000_000, tenantMaxConcurrentCalls: 10_000 },
    { dispatcher: upstreamAgent.compose(recorder.interceptor), logger },
  );
  const server = createServer({ keepAliveTimeout: 60_000 }, gateway);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Generous timeouts: a stuck call fails its operation (and the cell's watchdog), it never hangs the run.
  const poolOptions = { keepAliveTimeout: 30_000, headersTimeout: 15_000, bodyTimeout: 15_000 };
  const gatewayClientPool = new Agent({ ...poolOptions, connections: clients * 2 });
  const restPool = new Agent({ ...poolOptions, connections: UPSTREAM_CONNECTIONS });

  return {
    emulator,
    gatewayUrl,
    projectId,
    token,
    recorder,
    gatewayClientPool,
    restPool,
    gatewayErrors,
    async close() {
      await Promise.all([gatewayClientPool.close(), restPool.close()]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      await upstreamAgent.close();
      await emulator.close();
    },
  };
}

/** The load generator's GraphQL client: POST /graphql, read the whole answer, fail on non-200 or `errors`. */
export function graphqlCaller(stack: BenchStack) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    'x-auth-token': stack.token,
    'x-project-id': stack.projectId,
  };
  return async (query: string, variables?: Record<string, unknown>): Promise<string> => {
    const res = await stack.gatewayClientPool.request({
      origin: stack.gatewayUrl,
      path: '/graphql',
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200 || text.includes('"errors":')) throw new Error(`gateway answered ${res.statusCode}: ${text.slice(0, 300)}`);
    return text;
  };
}

/**
 * The fixed cost of any GraphQL request: `{ __typename }` (no resolver, no upstream call) through the gateway, against
 * the same POST answered with the same JSON by a bare node:http server, both sent by the load generator's client.
 * Each request follows an idle pause as long as the emulator's latency, because the operations' requests do too and
 * an idle process pays more for the same work than a hot loop does. The difference is what HTTP handling, yoga,
 * parsing, validation and execution cost before the gateway does anything of its own: the part of every Δp50 that no
 * resolver, loader or client change can remove. Then the same two without pauses at the bench's highest client count:
 * the CPU per request yoga costs when the process is busy, the least any operation through the gateway pays there.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { runLoad } from './load';
import type { GraphQLCaller } from './operations';

export const FLOOR_QUERY = '{ __typename }';
const FLOOR_ANSWER = '{"data":{"__typename":"Query"}}';

export interface FloorOptions {
  /** The load generator's GraphQL client (bench/stack.ts `graphqlCaller`). */
  gql: GraphQLCaller;
  /** The pool that client sends through, used for the bare server too. */
  pool: Dispatcher;
  idleMs: number;
  /** Clients of the busy measurement (CPU per request without pauses). */
  busyClients: number;
  durationMs: number;
  warmupMs: number;
}

export interface Floor {
  /** p50 of the idle pause + `{ __typename }` through the gateway, ms. */
  gatewayP50: number;
  /** p50 of the idle pause + the same request answered by a bare node:http server, ms. */
  bareP50: number;
  /** Clients of the busy measurement below (the bench's highest count). */
  busyClients: number;
  /** CPU ms per `{ __typename }` through the gateway with `busyClients` clients and no pause. */
  gatewayCpuMs: number;
  /** CPU ms per request answered by the bare server, likewise. */
  bareCpuMs: number;
}

export async function measureFloor({ gql, pool, idleMs, busyClients, durationMs, warmupMs }: FloorOptions): Promise<Floor> {
  const bare = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(FLOOR_ANSWER) });
      res.end(FLOOR_ANSWER);
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  const body = JSON.stringify({ query: FLOOR_QUERY });
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  try {
    const viaGateway = () => gql(FLOOR_QUERY).then(() => undefined);
    const viaBare = async () => void (await (await pool.request({ origin, path: '/graphql', method: 'POST', headers, body })).body.text());
    const idle = (operation: () => Promise<void>) => async () => {
      await sleep(idleMs);
      await operation();
    };
    const single = { clients: 1, durationMs, warmupMs };
    const gatewayIdle = await runLoad({ ...single, operation: idle(viaGateway) });
    const bareIdle = await runLoad({ ...single, operation: idle(viaBare) });
    // The CPU per request yoga costs when the process is busy: the least any operation through it pays.
    const busy = { clients: busyClients, durationMs, warmupMs };
    const gatewayBusy = await runLoad({ ...busy, operation: viaGateway });
    const bareBusy = await runLoad({ ...busy, operation: viaBare });
    return {
      gatewayP50: gatewayIdle.p50,
      bareP50: bareIdle.p50,
      busyClients,
      gatewayCpuMs: gatewayBusy.cpuMsPerOp,
      bareCpuMs: bareBusy.cpuMsPerOp,
    };
  } finally {
    bare.closeAllConnections();
    await new Promise<void>((resolve) => bare.close(() => resolve()));
  }
}

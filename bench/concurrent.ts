/**
 * "20 concurrent identical dashboards": what in-flight coalescing (src/upstream/coalesce.ts) saves when many clients
 * of one identity (a team's browser tabs) open the same page at once. A burst of `clients` simultaneous dashboards
 * against one alone (upstream calls from the emulator's request log), then `clients` closed-loop clients for a window
 * through the gateway and directly (throughput, upstream calls per gateway request).
 */
import type { GraphQLCaller } from './operations';
import { DASHBOARD } from './operations';
import { runLoad, type LoadStats } from './load';
import type { BenchStack } from './stack';

export interface ConcurrentDashboards {
  clients: number;
  /** Upstream calls of one dashboard alone. */
  oneCalls: number;
  /** Upstream calls of `clients` dashboards sent at the same moment. */
  burstCalls: number;
  /** Upstream calls per gateway request over the whole closed-loop run (warm-up included). */
  loadCallsPerRequest: number;
  gateway: LoadStats;
  rest: LoadStats;
}

export async function measureConcurrentDashboards(options: {
  stack: BenchStack;
  gql: GraphQLCaller;
  /** The dashboard's REST replay (the recorded calls of one run, wave by wave). */
  rest: () => Promise<void>;
  clients: number;
  durationMs: number;
  warmupMs: number;
}): Promise<ConcurrentDashboards> {
  const { stack, gql, clients } = options;
  const log = stack.emulator.emulator.requestLog;
  log.clear();
  await gql(DASHBOARD);
  const oneCalls = log.calls().length;
  log.clear();
  await Promise.all(Array.from({ length: clients }, () => gql(DASHBOARD)));
  const burstCalls = log.calls().length;

  log.clear();
  let requests = 0;
  const gateway = await runLoad({
    clients,
    durationMs: options.durationMs,
    warmupMs: options.warmupMs,
    operation: async () => {
      requests++;
      await gql(DASHBOARD);
    },
  });
  const loadCallsPerRequest = log.total() / requests;
  const rest = await runLoad({ clients, durationMs: options.durationMs, warmupMs: options.warmupMs, operation: options.rest });
  return { clients, oneCalls, burstCalls, loadCallsPerRequest, gateway, rest };
}

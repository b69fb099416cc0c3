/**
 * The issue-11 targets, each printed with met / MISSED. Every target is a ratio of figures measured side by side in
 * the same run (this shared VM cannot hold an absolute sub-millisecond figure). Pure: figures in, lines out.
 */
import type { ConcurrentDashboards } from './concurrent';
import type { LoadStats } from './load';
import type { OperationReport } from './report';

/** Total upstream calls of the concurrent dashboards, at most this many times one dashboard's. */
export const CONCURRENT_CALLS_FACTOR = 2;
/** The gateway's own CPU per operation, at most this many times the parsing hop's own. */
export const OWN_CPU_FACTOR = 1.5;
/** At the highest client count, gateway throughput at least this share of the direct REST calls'. */
export const THROUGHPUT_SHARE = 0.5;
/** RSS after the last of `RSS_RUNS` consecutive runs at most this many times the RSS after the second (the first grows the heap). */
export const RSS_GROWTH_FACTOR = 1.1;
export const RSS_RUNS = 5;

/** At 1 client, gateway p50 at most this many times REST p50. */
export const P50_FACTOR = 1.05;

const verdict = (ok: boolean) => (ok ? 'met   ' : 'MISSED');
const f = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
/** CPU of one operation above the direct REST calls' (the REST path's own CPU is in both). */
const ownCpu = (side: LoadStats | undefined, rest: LoadStats) => (side ? side.cpuMsPerOp - rest.cpuMsPerOp : Number.NaN);

export function formatTargets(
  operations: readonly OperationReport[],
  concurrent: ConcurrentDashboards | undefined,
  rssMbs: readonly number[],
  roundTripCpuMs: number,
): string[] {
  const out = ['', 'Targets (ratios of figures measured in this run)'];
  if (concurrent) {
    const { clients, oneCalls, burstCalls } = concurrent;
    const limit = CONCURRENT_CALLS_FACTOR * oneCalls;
    out.push(
      `  ${clients} concurrent identical dashboards: ${verdict(burstCalls <= limit)} ${burstCalls} upstream calls vs ≤ ${limit} ` +
        `(${CONCURRENT_CALLS_FACTOR}× one dashboard's ${oneCalls}; without sharing ${clients * oneCalls}); ` +
        `${f(concurrent.loadCallsPerRequest, 1)} calls per request with ${clients} clients in a loop, ` +
        `${f(concurrent.gateway.throughput, 0)} vs ${f(concurrent.rest.throughput, 0)} ops/s direct ` +
        `(${f(concurrent.gateway.throughput / concurrent.rest.throughput)}×)`,
    );
  }
  for (const op of operations) {
    const single = op.cells.find((c) => c.clients === 1);
    const loaded = op.cells.reduce<(typeof op.cells)[number] | undefined>((top, c) => (!top || c.clients > top.clients ? c : top), undefined);
    const parts: string[] = [];
    parts.push(`calls ${verdict(op.calls.calls <= op.calls.minimum)} ${op.calls.calls} vs ${op.calls.minimum}`);
    if (single) {
      const gatewayCpu = ownCpu(single.gateway, single.rest);
      const hopCpu = ownCpu(single.hop, single.rest);
      // A hop at or below the REST path's CPU (noise) would make any gateway miss: compared with at least 0.01 ms.
      const cpuLimit = OWN_CPU_FACTOR * Math.max(hopCpu, 0.01);
      parts.push(`own CPU ${verdict(gatewayCpu <= cpuLimit)} ${f(gatewayCpu)} vs ≤ ${f(cpuLimit)} ms/op (${OWN_CPU_FACTOR}× the hop's ${f(hopCpu)}; ≈ ${f(gatewayCpu / roundTripCpuMs, 0)} trivial HTTP round trips)`);
      const p50Ratio = single.gateway.p50 / single.rest.p50;
      parts.push(`p50 at 1 client ${verdict(p50Ratio <= P50_FACTOR)} ${f(p50Ratio, 3)}× vs ≤ ${P50_FACTOR}×`);
    }
    if (loaded && loaded !== single) {
      const share = loaded.gateway.throughput / loaded.rest.throughput;
      parts.push(`ops/s at ${loaded.clients} clients ${verdict(share >= THROUGHPUT_SHARE)} ${f(share)}× vs ≥ ${THROUGHPUT_SHARE}×`);
    }
    out.push(`  ${op.name.padEnd(20)} ${parts.join('; ')}`);
  }
  out.push(
    rssMbs.length >= RSS_RUNS
      ? `  RSS flat over ${rssMbs.length} consecutive runs: ${verdict(rssMbs.at(-1)! <= RSS_GROWTH_FACTOR * rssMbs[1]!)} ` +
          `${rssMbs.map((mb) => f(mb, 0)).join(' → ')} MB (last ≤ ${RSS_GROWTH_FACTOR}× the second)`
      : `  RSS flat over ${RSS_RUNS} consecutive runs: n/a (${rssMbs.length} run; --runs ${RSS_RUNS}); RSS after it ${rssMbs.map((mb) => f(mb, 0)).join(' → ')} MB`,
    '  At many clients the gateway shares identical GETs of one identity (all bench clients use one token), which the',
    '  direct REST calls do not: the read operations\' throughput ratio there includes that saving.',
  );
  return out;
}

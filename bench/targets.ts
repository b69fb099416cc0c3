/**
 * The issue-11 targets, each printed with met / MISSED. Every target is a ratio of figures measured side by side in
 * the same run (this shared VM cannot hold an absolute sub-millisecond figure). Pure: figures in, lines out.
 */
import type { ConcurrentDashboards } from './concurrent';
import type { Floor } from './floor';
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
const ownCpu = (side: LoadStats, rest: LoadStats) => side.cpuMsPerOp - rest.cpuMsPerOp;

export function formatTargets(
  operations: readonly OperationReport[],
  concurrent: ConcurrentDashboards | undefined,
  rssMbs: readonly number[],
  roundTripCpuMs: number,
  floor?: Floor,
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
      const p50Ratio = single.gateway.p50 / single.rest.p50;
      // The hop's own ratio is what parse-and-re-send alone reaches here: a target below it is below any HTTP gateway.
      // yoga's floor above a bare server's answer, against the time the target leaves: what no resolver work can go under.
      const yoga = floor ? `; yoga's { __typename } alone +${f(floor.gatewayP50 - floor.bareP50)} ms vs the +${f((P50_FACTOR - 1) * single.rest.p50)} ms allowed` : '';
      parts.push(`p50 at 1 client ${verdict(p50Ratio <= P50_FACTOR)} ${f(p50Ratio, 3)}× vs ≤ ${P50_FACTOR}× (the hop: ${f(single.hop.p50 / single.rest.p50, 3)}×${yoga})`);
    }
    if (loaded) {
      // Judged where the process is busy: at 1 client the CPU per operation is mostly waking up from the idle wait
      // on the upstream (cold caches), which grows with how much code a request touches, not with its work.
      const gatewayCpu = ownCpu(loaded.gateway, loaded.rest);
      const hopCpu = ownCpu(loaded.hop, loaded.rest);
      // A hop at or below the REST path's CPU (noise) would make any gateway miss: compared with at least 0.01 ms.
      const cpuLimit = OWN_CPU_FACTOR * Math.max(hopCpu, 0.01);
      const idle = single && single !== loaded ? `; at 1 client ${f(ownCpu(single.gateway, single.rest))} vs the hop's ${f(ownCpu(single.hop, single.rest))}` : '';
      parts.push(
        `own CPU at ${loaded.clients} clients ${verdict(gatewayCpu <= cpuLimit)} ${f(gatewayCpu)} vs ≤ ${f(cpuLimit)} ms/op ` +
          `(${OWN_CPU_FACTOR}× the hop's ${f(hopCpu)}; ≈ ${f(gatewayCpu / roundTripCpuMs, 0)} trivial HTTP round trips${idle}` +
          `${floor ? `; yoga's { __typename } alone ${f(floor.gatewayCpuMs - floor.bareCpuMs)} over a bare server` : ''})`,
      );
    }
    if (loaded && loaded !== single) {
      const share = loaded.gateway.throughput / loaded.rest.throughput;
      parts.push(`ops/s at ${loaded.clients} clients ${verdict(share >= THROUGHPUT_SHARE)} ${f(share)}× vs ≥ ${THROUGHPUT_SHARE}×`);
    }
    out.push(`  ${op.name}`, ...parts.map((part) => `    ${part}`));
  }
  out.push(
    rssMbs.length >= RSS_RUNS
      ? `  RSS flat over ${rssMbs.length} consecutive runs: ${verdict(rssMbs.at(-1)! <= RSS_GROWTH_FACTOR * rssMbs[1]!)} ` +
          `${rssMbs.map((mb) => f(mb, 0)).join(' → ')} MB (last ≤ ${RSS_GROWTH_FACTOR}× the second)`
      : `  RSS flat over ${RSS_RUNS} consecutive runs: n/a (${rssMbs.length} run; --runs ${RSS_RUNS}); RSS after it ${rssMbs.map((mb) => f(mb, 0)).join(' → ')} MB`,
    '  Every gateway client sends its own token, so no two share an upstream call: the cells compare the same work.',
    '  What sharing saves for one identity\'s many tabs is the "concurrent identical dashboards" line.',
  );
  return out;
}

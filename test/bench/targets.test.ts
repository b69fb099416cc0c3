/** bench/targets.ts: the RSS verdict over consecutive runs (the other verdicts are read off a real bench run). */
import { describe, expect, it } from 'vitest';
import { formatTargets } from '../../bench/targets';

const rssLine = (rssMbs: number[]) => formatTargets([], undefined, rssMbs, 0.1).find((line) => line.includes('RSS'))!;

describe('RSS flat over consecutive runs', () => {
  it('is met when the last run ends within 10 % of the second, missed when memory keeps growing', () => {
    expect(rssLine([250, 300, 305, 310, 320])).toContain('met');
    expect(rssLine([250, 300, 330, 360, 400])).toContain('MISSED');
    expect(rssLine([250, 300, 330, 360, 400])).toContain('250 → 300 → 330 → 360 → 400 MB');
  });

  it('gives no verdict for fewer than five runs', () => {
    expect(rssLine([300])).toContain('n/a (1 run; --runs 5)');
  });
});

describe('per-operation verdicts', () => {
  const stats = (p50: number, throughput: number, cpuMsPerOp: number) => ({
    count: 100, errors: 0, seconds: 3, throughput, p50, p99: p50, mean: p50, cpuMsPerOp, firstError: undefined,
  });
  const report = (loadedGatewayCpu: number) => ({
    name: 'single vault',
    summary: '',
    calls: { calls: 2, minimum: 2, minimumWhy: '', minimumWaves: 1, waves: [] },
    cells: [
      // At 1 client the CPU per operation is mostly waking up: not the cell the own-CPU verdict reads.
      { clients: 1, gateway: stats(22.4, 44, 4), rest: stats(21.3, 46, 1.3), hop: stats(22.2, 45, 1.6) },
      { clients: 50, gateway: stats(40, 1200, loadedGatewayCpu), rest: stats(45, 1250, 0.3), hop: stats(44, 1230, 0.5) },
    ],
  });
  const lines = (loadedGatewayCpu: number) => formatTargets([report(loadedGatewayCpu)], undefined, [300], 0.03).join('\n');

  it('judges the own CPU at the highest client count against 1.5× the hop\'s, and shows the 1-client figures beside it', () => {
    expect(lines(0.6)).toContain('own CPU at 50 clients met    0.30 vs ≤ 0.30 ms/op (1.5× the hop\'s 0.20; ≈ 10 trivial HTTP round trips; at 1 client 2.70 vs the hop\'s 0.30)');
    expect(lines(0.61)).toContain('own CPU at 50 clients MISSED 0.31 vs ≤ 0.30 ms/op');
  });

  it('puts the hop\'s own 1-client p50 ratio beside the gateway\'s, and judges throughput at the highest count', () => {
    const text = lines(0.6);
    expect(text).toContain('p50 at 1 client MISSED 1.052× vs ≤ 1.05× (the hop: 1.042×)');
    expect(text).toContain('ops/s at 50 clients met    0.96× vs ≥ 0.5×');
  });
});

describe('yoga\'s floor beside the verdicts', () => {
  it('shows what `{ __typename }` alone costs against the p50 allowance and in CPU', () => {
    const stats = (p50: number, cpuMsPerOp: number) => ({
      count: 10, errors: 0, seconds: 3, throughput: 10, p50, p99: p50, mean: p50, cpuMsPerOp, firstError: undefined,
    });
    const op = {
      name: 'single vault',
      summary: '',
      calls: { calls: 2, minimum: 2, minimumWhy: '', minimumWaves: 1, waves: [] },
      cells: [{ clients: 1, gateway: stats(22.6, 4), rest: stats(21.2, 1.3), hop: stats(21.5, 1.5) }],
    };
    const floor = { gatewayP50: 22.3, bareP50: 21.1, busyClients: 50, gatewayCpuMs: 0.3, bareCpuMs: 0.1 };
    const text = formatTargets([op], undefined, [300], 0.03, floor).join('\n');
    expect(text).toContain("(the hop: 1.014×; yoga's { __typename } alone +1.20 ms vs the +1.06 ms allowed)");
    expect(text).toContain("yoga's { __typename } alone 0.20 over a bare server)");
  });
});

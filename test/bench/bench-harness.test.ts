import { describe, expect, it } from 'vitest';
import { describeWave } from '../../bench/report';
import { pairIds, substituteIds } from '../../bench/replay';
import { statsOf } from '../../bench/load';
import { percentile, summarize } from '../../bench/stats';
import { groupWaves, wavesPerRequest } from '../../bench/waves';

describe('percentile (nearest rank)', () => {
  it('picks the smallest value with at least q of the values at or below it', () => {
    const sorted = [1, 2, 3, 4];
    expect([0, 0.25, 0.5, 0.51, 0.75, 0.99, 1].map((q) => percentile(sorted, q))).toEqual([1, 1, 2, 3, 3, 4, 4]);
  });

  it('p99 of 1..100 is 99 and of 1..1000 is 990; no values gives 0', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    const thousand = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(thousand, 0.99)).toBe(990);
    expect(percentile([], 0.5)).toBe(0);
  });
});

describe('summarize', () => {
  it('sorts the latencies and derives throughput from the window', () => {
    expect(summarize([30, 10, 20, 40], 2, 1)).toEqual({ count: 4, errors: 1, seconds: 2, throughput: 2, p50: 20, p99: 40, mean: 25 });
  });

  it('an empty window has no throughput and zero percentiles', () => {
    expect(summarize([], 0)).toEqual({ count: 0, errors: 0, seconds: 0, throughput: 0, p50: 0, p99: 0, mean: 0 });
  });
});

describe('groupWaves', () => {
  const call = (name: string, startMs: number, endMs: number) => ({ name, startMs, endMs });
  const names = (waves: Array<Array<{ name: string }>>) => waves.map((w) => w.map((c) => c.name));

  it('calls started before the first answer of their wave run together; a call after it opens the next wave', () => {
    const calls = [
      call('policies', 21.5, 41.8),
      call('vaults', 0, 21),
      call('backups-a', 21.2, 41.5),
      call('tasks-a', 21.3, 41.9),
      call('delete', 42, 62),
    ];
    expect(names(groupWaves(calls))).toEqual([['vaults'], ['backups-a', 'tasks-a', 'policies'], ['delete']]);
  });

  it('a call starting exactly when an answer arrives may depend on it: new wave', () => {
    expect(names(groupWaves([call('a', 0, 20), call('b', 5, 30), call('c', 20, 40)]))).toEqual([['a', 'b'], ['c']]);
  });

  it('no calls, no waves', () => {
    expect(groupWaves([])).toEqual([]);
  });
});

describe('replay id substitution', () => {
  it('pairs differing ids at the same places, arrays by index, and leaves equal ids out', () => {
    const recorded = { vault: { id: 'v-old', project_id: 'p', resources: [{ id: 'r-old', extra_info: { backup_id: 'b-old' } }] } };
    const replayed = { vault: { id: 'v-new', project_id: 'p', resources: [{ id: 'r-new', extra_info: { backup_id: 'b-new' } }] } };
    expect([...pairIds(recorded, replayed)]).toEqual([
      ['v-old', 'v-new'],
      ['r-old', 'r-new'],
      ['b-old', 'b-new'],
    ]);
  });

  it('substitutes every occurrence in paths and bodies', () => {
    const ids = new Map([['v-old', 'v-new']]);
    expect(substituteIds('/v3/p/vaults/v-old', ids)).toBe('/v3/p/vaults/v-new');
    expect(substituteIds('{"vault_id":"v-old","ids":["v-old"]}', ids)).toBe('{"vault_id":"v-new","ids":["v-new"]}');
  });
});

describe('describeWave', () => {
  it('collapses calls to one path that differ in their query, keeps single calls whole', () => {
    expect(
      describeWave(['GET /v3/{p}/backups?vault_id=a', 'GET /v3/{p}/backups?vault_id=b', 'GET /v3/{p}/policies', 'GET /v3/{p}/vaults?limit=5']),
    ).toBe('2× GET /v3/{p}/backups?… | GET /v3/{p}/policies | GET /v3/{p}/vaults?limit=5');
  });
});

describe('wavesPerRequest', () => {
  const wave = (startMs: number) => [{ startMs, endMs: startMs + 20 }];

  it('gives each wave to the last request started at or before its first call', () => {
    // createVault, then deleteVault of it: one wave each.
    expect(wavesPerRequest([wave(1), wave(25)], [0, 24])).toEqual([[0], [1]]);
    // A dashboard: one request, two waves.
    expect(wavesPerRequest([wave(1), wave(22)], [0])).toEqual([[0, 1]]);
  });

  it('leaves out a request that issued no call', () => {
    expect(wavesPerRequest([wave(30)], [0, 10, 29])).toEqual([[0]]);
  });
});

describe('statsOf (the rounds of one cell as one figure)', () => {
  it('pools the latencies and sums time, errors and CPU', () => {
    const merged = statsOf([
      { latencies: [30, 10], errors: 1, firstError: undefined, cpuMs: 4, seconds: 1 },
      { latencies: [20, 40], errors: 0, firstError: 'boom', cpuMs: 6, seconds: 1 },
    ]);
    expect(merged).toEqual({ count: 4, errors: 1, seconds: 2, throughput: 2, p50: 20, p99: 40, mean: 25, cpuMsPerOp: 2.5, firstError: 'boom' });
  });

  it('has no CPU per operation when nothing completed', () => {
    expect(statsOf([{ latencies: [], errors: 2, firstError: 'down', cpuMs: 3, seconds: 1 }]).cpuMsPerOp).toBeNaN();
  });
});

/** Turns the measured figures into the printed tables and the `--json` document. Pure: strings in, strings out. */
import type { ConcurrentDashboards } from './concurrent';
import type { Floor } from './floor';
import type { LoadStats } from './load';
import { formatTargets } from './targets';

export interface CallSummary {
  /** Calls the emulator logged for one run of the operation. */
  calls: number;
  minimum: number;
  minimumWhy: string;
  /** Fewest sequential rounds of calls the data needs (operations.ts). */
  minimumWaves: number;
  /** Per wave, the calls as `METHOD /path?query` with the project id shown as `{p}`. */
  waves: string[][];
}

export interface CellPair {
  clients: number;
  gateway: LoadStats;
  rest: LoadStats;
  /** The parsing hop (hop.ts). */
  hop: LoadStats;
}

export interface OperationReport {
  name: string;
  summary: string;
  calls: CallSummary;
  cells: CellPair[];
}

export interface BenchSettings {
  latencyMs: number;
  durationS: number;
  warmupS: number;
  clients: number[];
  /** Rounds each cell's window is split into, alternating the sides (side-by-side.ts). */
  rounds: number;
}

/** A figure, or `-` when there is none (no operation completed in the window, so no latency to show). */
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '-');
const rate = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '-');
const ratio = (a: number, b: number, digits: number) => (Number.isFinite(a / b) && b > 0 && a > 0 ? `${(a / b).toFixed(digits)}×` : '-');
const signed = (value: number) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(2)}` : '-');
/** p50 of a cell, NaN when it has no completed operations. */
const p50 = (cell: LoadStats) => (cell.count > 0 ? cell.p50 : Number.NaN);

function table(header: string[], rows: string[][], rightAligned: (i: number) => boolean): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (rightAligned(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** Collapses equal routes of a wave: `6× GET /v3/{p}/backups?…` instead of six lines. */
export function describeWave(calls: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const call of calls) {
    const key = call.includes('?') && calls.filter((c) => c.split('?')[0] === call.split('?')[0]).length > 1 ? `${call.split('?')[0]}?…` : call;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([call, n]) => (n > 1 ? `${n}× ${call}` : call)).join(' | ');
}

/**
 * The whole printed report. `roundTripCpuMs` (CPU ms of one trivial HTTP round trip on this machine, calibrate.ts)
 * turns the gateway's CPU cost into a machine-independent count of round trips.
 */
export function formatReport(
  settings: BenchSettings,
  context: string[],
  operations: readonly OperationReport[],
  roundTripCpuMs: number,
  concurrent?: ConcurrentDashboards,
  rssMbs: readonly number[] = [process.memoryUsage.rss() / 2 ** 20],
  floor?: Floor,
): string {
  const out: string[] = [];
  out.push(
    `cbr-graphql benchmark: emulator latency ${settings.latencyMs} ms per upstream call, ${settings.durationS} s per cell ` +
      `after ${settings.warmupS} s warm-up, clients ${settings.clients.join(' and ')}, ` +
      `in ${settings.rounds} rounds alternating gateway, REST and parsing hop`,
    ...context,
    '',
    'Upstream calls per operation (emulator request log of one gateway run; waves = calls issued together)',
  );
  out.push(
    ...table(
      ['operation', 'calls', 'minimum', 'at min', 'waves', 'min waves'],
      operations.map((op) => [
        op.name,
        String(op.calls.calls),
        String(op.calls.minimum),
        op.calls.calls <= op.calls.minimum ? 'yes' : 'NO',
        String(op.calls.waves.length),
        String(op.calls.minimumWaves),
      ]),
      (i) => i > 0,
    ).map((l) => `  ${l}`),
  );
  for (const op of operations) {
    out.push(`  ${op.name}: ${op.summary}`);
    out.push(`    minimum: ${op.calls.minimumWhy}`);
    op.calls.waves.forEach((wave, i) => out.push(`    wave ${i + 1}: ${describeWave(wave)}`));
  }
  out.push('', 'Latency (ms) and throughput (operations/s): the gateway vs. the same REST calls sent directly, wave by wave');
  const rows = operations.flatMap((op) =>
    op.cells.map((c) => [
      op.name,
      String(c.clients),
      ms(p50(c.gateway)),
      ms(c.gateway.count > 0 ? c.gateway.p99 : Number.NaN),
      rate(c.gateway.throughput),
      ms(p50(c.rest)),
      ms(c.rest.count > 0 ? c.rest.p99 : Number.NaN),
      rate(c.rest.throughput),
      signed(p50(c.gateway) - p50(c.rest)),
      ratio(p50(c.gateway), p50(c.rest), 3),
      ratio(c.gateway.throughput, c.rest.throughput, 2),
      ms(p50(c.hop)),
      ratio(c.hop.throughput, c.rest.throughput, 2),
      ms(c.gateway.cpuMsPerOp),
      ms(c.rest.cpuMsPerOp),
      ms(c.hop.cpuMsPerOp),
      `${c.gateway.count}/${c.rest.count}`,
      `${c.gateway.errors}/${c.rest.errors}/${c.hop.errors}`,
    ]),
  );
  out.push(
    ...table(
      ['operation', 'clients', 'gw p50', 'gw p99', 'gw ops/s', 'REST p50', 'REST p99', 'REST ops/s', 'Δp50', 'p50 ratio', 'ops/s ratio', 'hop p50', 'hop ops/s ratio', 'gw CPU/op', 'REST CPU/op', 'hop CPU/op', 'ops gw/REST', 'errors gw/REST/hop'],
      rows,
      (i) => i > 0,
    ).map((l) => `  ${l}`),
  );
  out.push(
    '  Δp50 = gateway p50 − REST p50. hop = the parsing hop (parse and re-send, no GraphQL). CPU/op = CPU ms of this',
    '  process (emulator + gateway or hop + load generator) per operation; the difference to REST is what the gateway or',
    '  the hop itself costs, whatever else the machine runs. Each gateway client sends its own token (no sharing).',
  );
  out.push(...formatTargets(operations, concurrent, rssMbs, roundTripCpuMs, floor));
  return out.join('\n');
}

/** Turns the measured figures into the printed tables and the `--json` document. Pure: strings in, strings out. */
import type { CellStats } from './stats';

export interface CallSummary {
  /** Calls the emulator logged for one run of the operation. */
  calls: number;
  minimum: number;
  minimumWhy: string;
  /** Per wave, the calls as `METHOD /path?query` with the project id shown as `{p}`. */
  waves: string[][];
}

export interface CellPair {
  clients: number;
  gateway: CellStats;
  rest: CellStats;
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
  overheadTargetMs: number;
}

const ms = (value: number) => value.toFixed(2);
const rate = (value: number) => value.toFixed(0);

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

export function formatReport(settings: BenchSettings, context: string[], operations: readonly OperationReport[]): string {
  const out: string[] = [];
  out.push(
    `cbr-graphql benchmark: emulator latency ${settings.latencyMs} ms per upstream call, ${settings.durationS} s per cell ` +
      `after ${settings.warmupS} s warm-up, clients ${settings.clients.join(' and ')}`,
    ...context,
    '',
    'Upstream calls per operation (emulator request log of one gateway run; waves = calls issued together)',
  );
  out.push(
    ...table(
      ['operation', 'calls', 'minimum', 'at min', 'waves'],
      operations.map((op) => [op.name, String(op.calls.calls), String(op.calls.minimum), op.calls.calls <= op.calls.minimum ? 'yes' : 'NO', String(op.calls.waves.length)]),
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
      ms(c.gateway.p50),
      ms(c.gateway.p99),
      rate(c.gateway.throughput),
      ms(c.rest.p50),
      ms(c.rest.p99),
      rate(c.rest.throughput),
      `${c.gateway.p50 - c.rest.p50 >= 0 ? '+' : ''}${ms(c.gateway.p50 - c.rest.p50)}`,
      `${(c.gateway.p50 / c.rest.p50).toFixed(3)}×`,
      `${(c.gateway.throughput / c.rest.throughput).toFixed(2)}×`,
      `${c.gateway.count}/${c.rest.count}`,
      `${c.gateway.errors}/${c.rest.errors}`,
    ]),
  );
  out.push(
    ...table(
      ['operation', 'clients', 'gw p50', 'gw p99', 'gw ops/s', 'REST p50', 'REST p99', 'REST ops/s', 'Δp50', 'p50 ratio', 'ops/s ratio', 'ops gw/REST', 'errors'],
      rows,
      (i) => i > 0,
    ).map((l) => `  ${l}`),
  );
  out.push('', `Targets (overhead at 1 client: gateway p50 − REST p50 ≤ ${settings.overheadTargetMs} ms; calls at the API's minimum)`);
  for (const op of operations) {
    const single = op.cells.find((c) => c.clients === 1);
    const overhead = single ? single.gateway.p50 - single.rest.p50 : Number.NaN;
    const overheadOk = overhead <= settings.overheadTargetMs;
    const callsOk = op.calls.calls <= op.calls.minimum;
    out.push(
      `  ${op.name.padEnd(20)} calls ${callsOk ? 'met   ' : 'MISSED'} (${op.calls.calls} vs ${op.calls.minimum})   ` +
        `overhead ${Number.isNaN(overhead) ? 'n/a' : `${overheadOk ? 'met   ' : 'MISSED'} (${overhead >= 0 ? '+' : ''}${ms(overhead)} ms p50)`}`,
    );
  }
  return out.join('\n');
}

/** Latency statistics of one benchmark cell: nearest-rank percentiles and a summary. Pure: no I/O, no clock. */

/**
 * The nearest-rank percentile of ascending `sorted` values (q in [0, 1]): the smallest value with at least q of the
 * values at or below it, so p50 of [1, 2, 3, 4] is 2 and p99 of 100 values is the 99th. 0 for no values.
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface CellStats {
  /** Operations completed inside the measuring window. */
  count: number;
  /** Operations that failed (transport error, non-2xx, GraphQL `errors`); not in the latencies. */
  errors: number;
  /** Length of the measuring window, s. */
  seconds: number;
  /** Completed operations per second. */
  throughput: number;
  p50: number;
  p99: number;
  mean: number;
}

/** Summarises the latencies (ms, any order) of a window of `seconds`. */
export function summarize(latencies: readonly number[], seconds: number, errors = 0): CellStats {
  const sorted = Float64Array.from(latencies).sort();
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    errors,
    seconds,
    throughput: seconds > 0 ? sorted.length / seconds : 0,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: sorted.length > 0 ? total / sorted.length : 0,
  };
}

/**
 * The closed-loop load generator: `clients` workers each run one operation after another for a fixed time; only the
 * operations that complete inside the measuring window (after the warm-up) are counted. Loops stop by
 * themselves: each worker checks the clock before starting its next operation, and a worker still busy long after
 * the window (a hung call) fails the cell instead of hanging the benchmark.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { summarize, type CellStats } from './stats';

export interface LoadOptions {
  /** Concurrent clients, each with at most one operation in flight. */
  clients: number;
  /** Measuring window, ms. */
  durationMs: number;
  /** Unmeasured time before the window (connections, JIT), ms. */
  warmupMs: number;
  /** Extra time the workers get to finish their last operation before the cell fails, ms. Default 15 000. */
  drainMs?: number;
  /** One operation of client `worker` (0 … clients − 1); rejects when it failed. */
  operation: (worker: number) => Promise<void>;
}

export interface LoadStats extends CellStats {
  /** CPU time of this process per completed operation, ms (NaN when nothing completed). */
  cpuMsPerOp: number;
  firstError: string | undefined;
}

/** What one window measured, before summarising: windows of the same cell are merged by `statsOf`. */
export interface LoadSamples {
  /** Latencies of the operations completed in the window, ms. */
  latencies: number[];
  errors: number;
  firstError: string | undefined;
  /** CPU ms of this process over the window (NaN when it could not be read). */
  cpuMs: number;
  seconds: number;
}

/** One window of load, summarised. */
export async function runLoad(options: LoadOptions): Promise<LoadStats> {
  return statsOf([await sampleLoad(options)]);
}

/** Several windows of one cell as one: latencies pooled, time, errors and CPU summed. Pure. */
export function statsOf(windows: readonly LoadSamples[]): LoadStats {
  const latencies = windows.flatMap((w) => w.latencies);
  const seconds = windows.reduce((sum, w) => sum + w.seconds, 0);
  const errors = windows.reduce((sum, w) => sum + w.errors, 0);
  const cpuMs = windows.reduce((sum, w) => sum + w.cpuMs, 0);
  const stats = summarize(latencies, seconds, errors);
  return { ...stats, cpuMsPerOp: stats.count > 0 ? cpuMs / stats.count : Number.NaN, firstError: windows.find((w) => w.firstError)?.firstError };
}

/** Runs one window of load and returns what it measured. */
export async function sampleLoad(options: LoadOptions): Promise<LoadSamples> {
  const { clients, durationMs, warmupMs, operation } = options;
  const begin = performance.now();
  const windowStart = begin + warmupMs;
  const windowEnd = windowStart + durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;

  async function worker(index: number): Promise<void> {
    while (performance.now() < windowEnd) {
      const started = performance.now();
      let failed = false;
      try {
        await operation(index);
      } catch (error) {
        failed = true;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
      const ended = performance.now();
      // Counted by completion time: completions per window length is the throughput, without edge bias.
      if (ended >= windowStart && ended <= windowEnd) {
        if (failed) errors++;
        else latencies.push(ended - started);
      }
    }
  }

  // CPU time of this whole process (emulator, gateway, load generator) over the window: per completed operation it
  // says what one operation costs, independent of what else the machine runs (wall-clock figures are not).
  let cpuStart: NodeJS.CpuUsage | undefined;
  let cpuWindow: NodeJS.CpuUsage | undefined;
  const startTimer = setTimeout(() => (cpuStart = process.cpuUsage()), warmupMs);
  const endTimer = setTimeout(() => (cpuWindow = process.cpuUsage(cpuStart)), warmupMs + durationMs);

  const drainMs = options.drainMs ?? 15_000;
  const done = Promise.all(Array.from({ length: clients }, (_, index) => worker(index)));
  const watchdog = new AbortController();
  const hung = sleep(warmupMs + durationMs + drainMs, undefined, { signal: watchdog.signal }).then(
    () => Promise.reject(new Error(`load: a worker was still busy ${drainMs} ms after the window`)),
    () => undefined,
  );
  try {
    await Promise.race([done, hung]);
  } finally {
    watchdog.abort();
    clearTimeout(startTimer);
    clearTimeout(endTimer);
  }
  // The last operations can end a hair before the end timer fires: then the window ends now.
  if (cpuStart && !cpuWindow) cpuWindow = process.cpuUsage(cpuStart);
  const cpuMs = cpuWindow ? (cpuWindow.user + cpuWindow.system) / 1000 : Number.NaN;
  return { latencies, errors, firstError, cpuMs, seconds: durationMs / 1000 };
}

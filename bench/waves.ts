/**
 * Groups the upstream calls of one gateway run into the sequential "waves" it issued them in, so the REST baseline can
 * replay them with the same dependency order: the calls of a wave in parallel, the waves one after another.
 *
 * A call opens a new wave when it started at or after the first answer of the current wave arrived: only then can it
 * depend on a result of that wave. Calls started before any answer of their wave came back cannot depend on it and
 * run alongside. With a fixed upstream latency the answers of a wave arrive together and this is exact; with uneven
 * latencies a wave waits for its slowest call, which can only make the REST baseline slower, never faster.
 */

export interface TimedCall {
  /** When the request was handed to the connection pool, ms (any monotonic origin). */
  startMs: number;
  /** When the response (or error) was complete, ms. */
  endMs: number;
}

/** The calls in waves, each wave in start order. Input order does not matter. */
export function groupWaves<T extends TimedCall>(calls: readonly T[]): T[][] {
  const byStart = [...calls].sort((a, b) => a.startMs - b.startMs);
  const waves: T[][] = [];
  let current: T[] = [];
  let firstAnswer = Infinity;
  for (const call of byStart) {
    if (current.length > 0 && call.startMs >= firstAnswer) {
      waves.push(current);
      current = [];
      firstAnswer = Infinity;
    }
    current.push(call);
    firstAnswer = Math.min(firstAnswer, call.endMs);
  }
  if (current.length > 0) waves.push(current);
  return waves;
}

/**
 * Which waves each request of an operation issued: wave `w` belongs to the last request that started at or before its
 * first call. `requestStarts` are the requests' start times (same clock as the calls), in order. Pure.
 */
export function wavesPerRequest(waves: readonly (readonly TimedCall[])[], requestStarts: readonly number[]): number[][] {
  const groups: number[][] = requestStarts.map(() => []);
  waves.forEach((wave, w) => {
    const first = Math.min(...wave.map((call) => call.startMs));
    let request = 0;
    while (request + 1 < requestStarts.length && requestStarts[request + 1]! <= first) request++;
    groups[request]?.push(w);
  });
  return groups.filter((group) => group.length > 0);
}

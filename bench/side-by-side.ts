/**
 * Measures several sides of one cell (the gateway, the direct REST calls, the parsing hop) side by side: the window is
 * split into rounds, and each round runs every side in turn, so other work on this shared machine (a burst of a few
 * seconds) falls on all sides alike instead of on whichever one ran at that moment. Each side's rounds are merged
 * into one figure (latencies pooled, time and CPU summed).
 */
import { sampleLoad, statsOf, type LoadSamples, type LoadStats } from './load';

/** Warm-up of every round after the first: the clients ramp up again, the code and connections are warm already. */
const ROUND_WARMUP_MS = 200;

export interface SideBySideOptions {
  clients: number;
  /** Measured time per side, over all rounds, ms. */
  durationMs: number;
  /** Warm-up before a side's first round, ms. */
  warmupMs: number;
  rounds: number;
}

type Side = (worker: number) => Promise<void>;

/** One figure per side, in the order of `sides`. */
export async function sideBySide<const Sides extends readonly Side[]>(
  sides: Sides,
  { clients, durationMs, warmupMs, rounds }: SideBySideOptions,
): Promise<{ [K in keyof Sides]: LoadStats }> {
  const windows: LoadSamples[][] = sides.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, operation] of sides.entries()) {
      windows[i]!.push(await sampleLoad({ clients, operation, durationMs: durationMs / rounds, warmupMs: round === 0 ? warmupMs : ROUND_WARMUP_MS }));
    }
  }
  return windows.map(statsOf) as { [K in keyof Sides]: LoadStats };
}

/**
 * Runs the steps of asynchronous work (backup, restore, delete) according to the emulator's lifecycle mode:
 * `immediate` runs them now, in order; `timed` spaces them 1–3 s apart on the clock's timers;
 * `manual` spaces them the same way on a clock that only moves when a test advances it.
 */
import type { Emulator } from './context';

/** Delay of one step in `timed`/`manual` modes. Deterministic (no randomness) so manual tests can advance exactly. */
export const STEP_DELAY_MS = 1_000;

/**
 * Schedules `steps` one after the other, each `STEP_DELAY_MS` after the previous one (2 steps ≈ 2 s).
 * In `immediate` mode every step runs before this returns.
 */
export function runSteps(emulator: Emulator, steps: Array<() => void>): void {
  if (emulator.options.lifecycle === 'immediate') {
    for (const step of steps) step();
    return;
  }
  const [first, ...rest] = steps;
  if (!first) return;
  emulator.clock.schedule(STEP_DELAY_MS, () => {
    first();
    runSteps(emulator, rest);
  });
}

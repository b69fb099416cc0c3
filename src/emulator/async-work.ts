/**
 * Runs the steps of asynchronous work (backup, restore, delete) according to the emulator's lifecycle mode:
 * `immediate` runs them now, in order; `timed` spaces them 1 s apart on the clock's timers;
 * `manual` spaces them the same way on a clock that only moves when a test advances it.
 */
import type { Emulator } from './context';

/** Delay of one step in `timed`/`manual` modes. Deterministic (no randomness) so manual tests can advance exactly. */
export const STEP_DELAY_MS = 1_000;

/**
 * Schedules `steps` one after the other, step i due `(i + 1) × STEP_DELAY_MS` from now (2 steps ≈ 2 s).
 * All due times are fixed up front, so one large `clock.advance` runs every step that fell due, in order
 * (the clock runs jobs by due time, then by scheduling order).
 * In `immediate` mode every step runs before this returns.
 */
export function runSteps(emulator: Emulator, steps: Array<() => void>): void {
  if (emulator.options.lifecycle === 'immediate') {
    for (const step of steps) step();
    return;
  }
  steps.forEach((step, i) => emulator.clock.schedule((i + 1) * STEP_DELAY_MS, step));
}

/**
 * Asynchronous work (backup, restore, delete, …) as data: each future step is a `PendingStep` `{kind, dueAt, args}`
 * kept in its project's state (`pendingSteps`), so it is saved with the state and, after a restart, replayed by
 * the function registered for its kind, instead of being inferred from the records it would change.
 *
 * Adding a kind: `const finishThing = stepKind('thing.finish', (emulator, projectId, args: { thingId: string }) => …)`
 * next to the store function it calls (once, at module level), then `scheduleSteps(emulator, projectId,
 * [finishThing({ thingId })])`. Args must be JSON data (they are persisted); the function must tolerate the world
 * having moved on meanwhile (the record deleted, a reset), as every completion in store/ does.
 *
 * Modes: `immediate` runs the steps now, in order; `timed` spaces them 1 s apart on the clock's timers; `manual`
 * spaces them the same way on a clock that only moves when a test advances it.
 */
import type { Emulator } from './context';
import type { PendingStep } from './state';

export type { PendingStep };

/** Delay of one step in `timed`/`manual` modes. Deterministic (no randomness) so manual tests can advance exactly. */
export const STEP_DELAY_MS = 1_000;

/** A step to schedule: what `stepKind`'s constructor returns. */
export interface Step {
  kind: string;
  args: unknown;
}

type StepRunner = (emulator: Emulator, projectId: string, args: never) => void;

const KINDS = new Map<string, StepRunner>();

/**
 * Registers the function that performs steps of `kind` and returns a constructor of such steps. A kind is registered
 * once per process (module level); registering it twice is a programming error.
 */
export function stepKind<A>(kind: string, run: (emulator: Emulator, projectId: string, args: A) => void): (args: A) => Step {
  if (KINDS.has(kind)) throw new Error(`step kind ${kind} is registered twice`);
  KINDS.set(kind, run as StepRunner);
  return (args) => ({ kind, args });
}

/** The registered kinds (for tests and diagnostics). */
export function stepKinds(): string[] {
  return [...KINDS.keys()];
}

/** Performs one step now. A kind no code registers (a file from another version) is dropped with a warning. */
function perform(emulator: Emulator, projectId: string, step: Step): void {
  const run = KINDS.get(step.kind);
  if (!run) {
    emulator.log.warn(`dropping a pending step of unknown kind ${step.kind} in project ${projectId}`);
    return;
  }
  (run as (emulator: Emulator, projectId: string, args: unknown) => void)(emulator, projectId, step.args);
}

/** Arms the clock for a stored step: when due it leaves `pendingSteps` and runs (unless a reset removed it). */
function arm(emulator: Emulator, projectId: string, pending: PendingStep, delayMs: number): void {
  emulator.clock.schedule(delayMs, () => {
    const project = emulator.state.projects.get(projectId);
    const index = project?.pendingSteps.indexOf(pending) ?? -1;
    if (index < 0) return; // the state was reset or replaced meanwhile
    project!.pendingSteps.splice(index, 1);
    perform(emulator, projectId, pending);
  });
}

/**
 * Schedules `steps` one after the other, step i due `(i + 1) × STEP_DELAY_MS` from now (2 steps ≈ 2 s), stored in
 * the project's `pendingSteps`. All due times are fixed up front, so one large `clock.advance` runs every step that
 * fell due, in order. In `immediate` mode every step runs before this returns (nothing is stored).
 */
export function scheduleSteps(emulator: Emulator, projectId: string, steps: readonly Step[]): void {
  if (emulator.options.lifecycle === 'immediate') {
    for (const step of steps) perform(emulator, projectId, step);
    return;
  }
  steps.forEach((step, i) => scheduleStep(emulator, projectId, step, (i + 1) * STEP_DELAY_MS));
}

/** Schedules one step `delayMs` from now in every lifecycle mode (the demo data's work in flight uses it). */
export function scheduleStep(emulator: Emulator, projectId: string, step: Step, delayMs: number): void {
  const pending: PendingStep = { kind: step.kind, dueAt: emulator.clock.now() + delayMs, args: step.args };
  emulator.state.project(projectId).pendingSteps.push(pending);
  arm(emulator, projectId, pending, delayMs);
}

/**
 * Schedules `steps` all due one step (`STEP_DELAY_MS`) from now, run in the order given; in `immediate` mode they run
 * now. For work that ends at once rather than step by step (recovery.ts ends the work inferred from a version 1 file).
 */
export function scheduleStepsTogether(emulator: Emulator, projectId: string, steps: readonly Step[]): void {
  if (emulator.options.lifecycle === 'immediate') {
    for (const step of steps) perform(emulator, projectId, step);
    return;
  }
  for (const step of steps) scheduleStep(emulator, projectId, step, STEP_DELAY_MS);
}

/**
 * After a state file was loaded: re-arms every stored step with the wait it had left when the file was saved
 * (`savedAt`, on the emulator clock of the process that saved it), in due order; a step already overdue runs at the
 * next clock tick. In `immediate` mode they all run now, in due order. Returns how many steps there were.
 */
export function resumePendingSteps(emulator: Emulator, savedAt: number): number {
  let count = 0;
  const now = emulator.clock.now();
  for (const project of emulator.state.projects.values()) {
    const steps = [...project.pendingSteps].sort((a, b) => a.dueAt - b.dueAt);
    count += steps.length;
    if (emulator.options.lifecycle === 'immediate') {
      project.pendingSteps.length = 0;
      for (const step of steps) perform(emulator, project.id, step);
      continue;
    }
    // Re-based on this clock: the stored times belong to the clock of the process that saved them.
    project.pendingSteps.length = 0;
    for (const step of steps) {
      const wait = Math.max(0, step.dueAt - savedAt);
      const pending: PendingStep = { ...step, dueAt: now + wait };
      project.pendingSteps.push(pending);
      arm(emulator, project.id, pending, wait);
    }
  }
  return count;
}

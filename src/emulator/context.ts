/** The emulator instance every handler and store function works on: state, clock, ids, identity, knobs. */
import type { Clock, ClockOptions } from './clock';
import type { Ids } from './ids';
import type { Identity } from './identity';
import type { RequestLog } from './request-log';
import type { State } from './state';

/**
 * How asynchronous work (backups, restores, deletes) progresses.
 * - `timed`: each step takes about 1–3 s of clock time (the default, like the real service).
 * - `immediate`: work completes before the response that started it is sent.
 * - `manual`: work waits until the clock is advanced (`clock.advance`) far enough.
 */
export type LifecycleMode = 'timed' | 'immediate' | 'manual';

export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** Default `timed`. */
  lifecycle?: LifecycleMode;
  /** Clock start and mode. `manual` lifecycle implies a frozen clock unless given. */
  clock?: ClockOptions;
  /** Load the demo dataset. Default true; tests usually pass false and build their own. */
  demo?: boolean;
  /** Keep state in this JSON file across restarts (atomic writes). Default: memory only. */
  stateFile?: string;
  /** Seed of the deterministic id generator. */
  seed?: string;
}

export interface Emulator {
  options: EmulatorOptions & { lifecycle: LifecycleMode };
  state: State;
  clock: Clock;
  ids: Ids;
  identity: Identity;
  requestLog: RequestLog;
  /** `http://127.0.0.1:PORT`, known once listening (used for the IAM catalog). */
  baseUrl: string;
}

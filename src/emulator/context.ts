/**
 * The emulator instance every handler and store function works on (state, clock, ids, identity, knobs), and how it
 * gets its initial dataset back (`loadInitialData`, `resetEmulator`).
 */
import type { Clock, ClockOptions } from './clock';
import { loadDemoData } from './demo-data';
import type { Faults } from './faults';
import type { Log, LogLevel } from './log';
import { installDemoIdentity, type Identity } from './identity';
import { createIds, type Ids } from './ids';
import type { Persistence } from './persistence';
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
  /** Threshold of the diagnostic log (client disconnects are `debug`, emulator bugs `error`). Default `info`. */
  logLevel?: LogLevel;
  /**
   * How `POST /backups/{id}/restore` answers: `job_id` (default, Huawei Cloud's newer answer, 202 `{"job_id"}`) or
   * `documented` (the API Reference's 202 with no body), so clients can be tested against both.
   */
  restoreAnswer?: RestoreAnswer;
}

export type RestoreAnswer = 'job_id' | 'documented';

export interface Emulator {
  options: EmulatorOptions & { lifecycle: LifecycleMode };
  state: State;
  clock: Clock;
  /** Replaced (never mutated in place) on reset and on loading a state file: always read it through the emulator. */
  ids: Ids;
  identity: Identity;
  requestLog: RequestLog;
  /** Latency, error and dropped-connection knobs (also at `/__admin/faults`). */
  faults: Faults;
  /** Saves state to `options.stateFile`; every method is a no-op without one. */
  persistence: Persistence;
  /** `http://127.0.0.1:PORT`, known once listening (used for the IAM catalog). */
  baseUrl: string;
  log: Log;
}

/**
 * Puts the initial dataset into an empty state: the demo identity always, the demo data (demo-data.ts) when
 * `options.demo` is on. The one place that decides what "initial" means, for a fresh start and for a reset.
 */
export function loadInitialData(emulator: Emulator): void {
  installDemoIdentity(emulator.state);
  if (emulator.options.demo ?? true) loadDemoData(emulator);
}

export interface ResetOptions {
  /** Also revoke every issued token. Default false: clients holding a token keep working across a reset. */
  tokens?: boolean;
}

/**
 * Returns the emulator to how it started: empty state plus the initial dataset, ids from the start of the sequence,
 * no pending async work, empty request log, no faults. The clock keeps its time (so token expiry stays meaningful)
 * and tokens stay valid unless `tokens: true`. A state file, if any, is overwritten with the reset state.
 */
export function resetEmulator(emulator: Emulator, options: ResetOptions = {}): void {
  emulator.clock.clear();
  const state = emulator.state as unknown as Record<string, unknown>;
  for (const value of Object.values(state)) {
    if (value instanceof Map || value instanceof Set) value.clear();
    else if (Array.isArray(value)) value.length = 0;
  }
  emulator.ids = createIds(emulator.options.seed);
  if (options.tokens) emulator.identity.clear();
  emulator.requestLog.clear();
  emulator.faults.clear();
  loadInitialData(emulator);
  emulator.persistence.markDirty();
}

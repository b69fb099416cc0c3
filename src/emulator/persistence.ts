/**
 * Persistence of the whole emulator state in one JSON file (`--state FILE`), written atomically (temp file + fsync +
 * rename, so a crash leaves the old or the new file, never half of one), loaded at start.
 *
 * Durability: a write request is answered only once the state that contains it is on disk (`commit`, awaited by the
 * server before it answers a successful write), so a write answered 2xx survives `kill -9`. Commits are grouped: every
 * write that finished before a save starts is in that save, and one save answers them all (a burst of 32 concurrent
 * writes costs about one file write, not 32). Changes nobody waits for (lifecycle steps on the clock, admin calls)
 * are saved shortly after (`markDirty`, debounced) and on close.
 *
 * Not persisted: pending clock jobs. Asynchronous work is, as data (`pendingSteps`, async-work.ts): after a load its
 * steps are replayed with the wait they had left (for a version 1 file without them, recovery.ts infers the work in
 * flight from the records), and policy schedules are re-armed from the policies (both in server.ts). Nor are the
 * request log and fault settings. Tokens are persisted so clients keep working.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Emulator } from './context';
import type { TokenRecord } from './identity';
import { createIds } from './ids';
import { createProjectState, type ProjectState } from './state';

const FORMAT = 'cbr-emulator-state';
/**
 * 2: asynchronous work is stored as data (`pendingSteps` per project) and replayed after a load. Files of version 1
 * (without it) still load; their work in flight is inferred from the records (recovery.ts).
 */
const VERSION = 2;
const READABLE_VERSIONS: readonly number[] = [1, 2];
/** Saves are batched: a burst of mutations costs one write. */
export const SAVE_DEBOUNCE_MS = 50;

export interface PersistedState {
  format: typeof FORMAT;
  version: number;
  savedAt: string;
  /** How many times this file was loaded; seeds the id generator so ids never repeat across restarts. */
  generation: number;
  /** Every data property of `emulator.state` (Maps and Sets tagged, see `encode`). */
  state: Record<string, unknown>;
  tokens: Array<[string, TokenRecord]>;
}

/** Depth down to which plain objects are searched for Maps and Sets: the state, a project, and its containers. */
const CONTAINER_DEPTH = 3;

/**
 * Maps and Sets as tagged objects (`{$map: entries}`, `{$set: values}`; wire-shaped records never have these keys).
 * Records (the values of a project's maps) are JSON data with no Map or Set inside, so the walk stops at them rather
 * than visiting every field: a JSON.stringify replacer called for every value made each save about 5× slower, and a
 * save now runs before every write is answered.
 */
function encode(value: unknown, depth = 0): unknown {
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [k, encode(v, depth + 1)]) };
  if (value instanceof Set) return { $set: [...value] };
  if (depth < CONTAINER_DEPTH && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v, depth + 1)]));
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$map') return new Map((value as { $map: Array<[unknown, unknown]> }).$map);
    if (keys.length === 1 && keys[0] === '$set') return new Set((value as { $set: unknown[] }).$set);
  }
  return value;
}

/** The data properties of the state object (its functions are left out), so new top-level maps persist too. */
function stateData(emulator: Emulator): Record<string, unknown> {
  return Object.fromEntries(Object.entries(emulator.state).filter(([, v]) => typeof v !== 'function'));
}

export function serializeState(emulator: Emulator, generation = 0): string {
  const data: PersistedState = {
    format: FORMAT,
    version: VERSION,
    savedAt: new Date(emulator.clock.now()).toISOString(),
    generation,
    state: encode(stateData(emulator)) as Record<string, unknown>,
    tokens: emulator.identity.exportTokens(),
  };
  return JSON.stringify(data);
}

/** Replaces the emulator's state with `text` (a serialised state) in place: handlers keep their references. */
export function restoreState(emulator: Emulator, text: string): PersistedState {
  const data = JSON.parse(text, reviver) as PersistedState;
  if (data?.format !== FORMAT || !READABLE_VERSIONS.includes(data.version)) {
    throw new Error(`not an emulator state file (format ${String(data?.format)}, version ${String(data?.version)})`);
  }
  const target = emulator.state as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(data.state)) {
    const current = target[key];
    if (key === 'projects' && current instanceof Map && value instanceof Map) {
      current.clear();
      // Defaults first: a file written before a new per-project map existed still gets that map.
      for (const [id, project] of value as Map<string, ProjectState>) {
        current.set(id, { ...createProjectState(id, project.name), ...project });
      }
    } else if (current instanceof Map && value instanceof Map) {
      current.clear();
      for (const [k, v] of value) current.set(k, v);
    } else if (current instanceof Set && value instanceof Set) {
      current.clear();
      for (const v of value) current.add(v);
    } else if (Array.isArray(current) && Array.isArray(value)) {
      current.splice(0, current.length, ...value);
    } else {
      target[key] = value;
    }
  }
  emulator.identity.clear();
  emulator.identity.importTokens(data.tokens ?? []);
  return data;
}

/** Writes `text` to `file` atomically. */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

export function createPersistence(emulator: Emulator, file: string | undefined, debounceMs = SAVE_DEBOUNCE_MS) {
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let generation = 0;
  /** Writes waiting for the next save, and whether that save is scheduled. */
  let waiting: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  let commitScheduled = false;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    if (!file || (!dirty && batch.length === 0)) return;
    dirty = false;
    try {
      writeFileAtomic(file, serializeState(emulator, generation));
    } catch (error) {
      for (const w of batch) w.reject(error);
      throw error;
    }
    for (const w of batch) w.resolve();
  }

  /** The grouped save: after the requests that are being handled now had their turn (setImmediate), one write. */
  function commitSoon(): void {
    if (commitScheduled) return;
    commitScheduled = true;
    setImmediate(() => {
      commitScheduled = false;
      try {
        flush();
      } catch (error) {
        emulator.log.error(`cannot save state to ${file}`, error);
      }
    });
  }

  return {
    file,
    /** Notes a change; the state is written `debounceMs` later. A no-op without a file. */
    markDirty(): void {
      if (!file) return;
      dirty = true;
      if (timer) return;
      timer = setTimeout(() => {
        try {
          flush();
        } catch (error) {
          emulator.log.error(`cannot save state to ${file}`, error);
        }
      }, debounceMs);
      timer.unref(); // a pending save must not keep a test process alive; close() flushes
    },
    /**
     * Resolves once the current state (with every change made so far) is on disk; rejects if it cannot be written.
     * Resolves at once without a file.
     */
    commit(): Promise<void> {
      if (!file) return Promise.resolve();
      dirty = true;
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        commitSoon();
      });
    },
    /** Writes now if anything changed. */
    flush,
    /**
     * Loads the file if it exists and returns what it held (its version and save time); `undefined` when there is
     * none. A file that cannot be read as emulator state throws: overwriting it with a fresh dataset would destroy
     * the user's data.
     */
    load(): Pick<PersistedState, 'version' | 'savedAt'> | undefined {
      if (!file || !existsSync(file)) return undefined;
      let data: PersistedState;
      try {
        data = restoreState(emulator, readFileSync(file, 'utf8'));
      } catch (error) {
        throw new Error(`cannot load emulator state from ${file}: ${(error as Error).message}`);
      }
      generation = (data.generation ?? 0) + 1;
      // Ids restart at counter 0 in a new process; a new seed per load keeps them from repeating persisted ones.
      emulator.ids = createIds(`${emulator.options.seed ?? 'cbr-emulator'}:generation-${generation}`);
      return { version: data.version, savedAt: data.savedAt };
    },
    /** Flushes and stops the timer. */
    close(): void {
      flush();
    },
  };
}

export type Persistence = ReturnType<typeof createPersistence>;

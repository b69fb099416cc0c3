/**
 * The declared state machines of the emulator's asynchronous records (backups, restore points, tasks, vault resources,
 * share members). Every status change goes through `transition()`, which refuses a move the table does not declare:
 * such a move is a bug in the emulator (answered as a 500), never a user error. User-facing rules ("cannot delete a
 * backup while it is protecting") are checked first with `canTransition()` and answered with the API's own codes.
 */

/** Allowed moves per machine: `from → [to, ...]`. Leaving a record is not a status: a deleted backup is removed. */
export const MACHINES = {
  /** Backups: protect, then restore or delete. `error → deleting` lets a failed backup be cleaned up. */
  backup: {
    field: 'status',
    transitions: {
      protecting: ['available', 'error'],
      available: ['restoring', 'deleting'],
      restoring: ['available'],
      error: ['deleting'],
      deleting: [],
    },
  },
  /** Restore points: only the protection run. */
  checkpoint: {
    field: 'status',
    transitions: {
      protecting: ['available', 'error'],
      available: [],
      error: [],
    },
  },
  /** Tasks (operation logs). */
  task: {
    field: 'status',
    transitions: {
      running: ['success', 'failed'],
      success: [],
      failed: [],
    },
  },
  /**
   * `protect_status` of a resource in `vault.resources`: protecting during a backup, restoring during a restore.
   * `removing` belongs to the vault's remove-resources work.
   */
  resource: {
    field: 'protect_status',
    transitions: {
      available: ['protecting', 'restoring', 'removing'],
      protecting: ['available', 'error'],
      restoring: ['available', 'error'],
      error: ['protecting', 'restoring', 'removing', 'available'],
      removing: [],
    },
  },
  /** Share members: the receiving project accepts or rejects, and may change its mind. */
  member: {
    field: 'status',
    transitions: {
      pending: ['accepted', 'rejected'],
      accepted: ['rejected'],
      rejected: ['accepted'],
    },
  },
} as const;

export type MachineName = keyof typeof MACHINES;
type Transitions<M extends MachineName> = (typeof MACHINES)[M]['transitions'];
/** The states of a machine. */
export type StateOf<M extends MachineName> = keyof Transitions<M> & string;

/** Thrown for an undeclared transition: a bug of the emulator, surfaced as a 500 by the server. */
export class LifecycleError extends Error {
  constructor(machine: MachineName, from: string | undefined, to: string) {
    super(`lifecycle: ${machine} cannot go from ${from ?? '(none)'} to ${to}`);
    this.name = 'LifecycleError';
  }
}

/** Whether `machine` declares `from → to`. */
export function canTransition<M extends MachineName>(machine: M, from: string | null | undefined, to: StateOf<M>): boolean {
  const transitions = MACHINES[machine].transitions as Record<string, readonly string[]>;
  return from != null && (transitions[from] ?? []).includes(to);
}

/**
 * Moves `record` to `to` on `machine` (writing the machine's field, `status` or `protect_status`), or throws
 * LifecycleError. A resource whose `protect_status` was never set counts as `available`.
 */
export function transition<M extends MachineName>(machine: M, record: object, to: StateOf<M>): void {
  const field = MACHINES[machine].field;
  const target = record as Record<string, unknown>;
  const raw = target[field];
  const from = typeof raw === 'string' ? raw : machine === 'resource' && raw == null ? 'available' : undefined;
  if (!canTransition(machine, from, to)) throw new LifecycleError(machine, from, to);
  target[field] = to;
}

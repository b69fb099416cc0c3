/** Deterministic id generation: UUID-shaped ids from a seeded counter, so runs are reproducible. */
import { createHash } from 'node:crypto';

export function createIds(seed = 'cbr-emulator') {
  let counter = 0;
  return {
    /** A new UUID-shaped id (8-4-4-4-12 hex), unique within this emulator. */
    uuid(): string {
      const hex = createHash('sha256').update(`${seed}:${counter++}`).digest('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
    /** A new 32-hex id (the format of project, user and domain ids). */
    hex32(): string {
      return createHash('sha256').update(`${seed}:${counter++}`).digest('hex').slice(0, 32);
    },
    reset(): void {
      counter = 0;
    },
  };
}

export type Ids = ReturnType<typeof createIds>;

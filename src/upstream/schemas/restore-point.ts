/** Wire shapes of the restore-point resource. PLACEHOLDER: the owning engineer replaces this with the full zod schemas. */
import { z } from 'zod';

export const Checkpoint = z.looseObject({ id: z.string() });
export type Checkpoint = z.infer<typeof Checkpoint>;

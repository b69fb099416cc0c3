/** Wire shapes of the backup resource. PLACEHOLDER: the owning engineer replaces this with the full zod schemas. */
import { z } from 'zod';

export const Backup = z.looseObject({ id: z.string() });
export type Backup = z.infer<typeof Backup>;

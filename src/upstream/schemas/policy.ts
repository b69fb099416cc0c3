/** Wire shapes of the policy resource. PLACEHOLDER: the owning engineer replaces this with the full zod schemas. */
import { z } from 'zod';

export const Policy = z.looseObject({ id: z.string() });
export type Policy = z.infer<typeof Policy>;

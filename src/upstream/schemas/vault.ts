/** Wire shapes of the vault resource. PLACEHOLDER: the owning engineer replaces this with the full zod schemas. */
import { z } from 'zod';

export const Vault = z.looseObject({ id: z.string() });
export type Vault = z.infer<typeof Vault>;

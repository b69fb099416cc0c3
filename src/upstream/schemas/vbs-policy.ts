/** Wire shapes of the vbs-policy resource. PLACEHOLDER: the owning engineer replaces this with the full zod schemas. */
import { z } from 'zod';

export const VbsPolicy = z.looseObject({ backup_policy_id: z.string() });
export type VbsPolicy = z.infer<typeof VbsPolicy>;

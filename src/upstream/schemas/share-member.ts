/** Wire shapes of the share-member resource. PLACEHOLDER: the owning engineer replaces this with the full zod schemas. */
import { z } from 'zod';

export const Member = z.looseObject({ id: z.string(), dest_project_id: z.string() });
export type Member = z.infer<typeof Member>;

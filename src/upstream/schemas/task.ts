/** Wire shapes of the task resource. PLACEHOLDER: the owning engineer replaces this with the full zod schemas. */
import { z } from 'zod';

export const OperationLog = z.looseObject({ id: z.string() });
export type OperationLog = z.infer<typeof OperationLog>;

/** Wire shapes shared by every CBR/VBS resource: error bodies and paging envelopes. */
import { z } from 'zod';

/** CBR v3 error body. */
export const CbrErrorBody = z.object({ error_code: z.string(), error_msg: z.string() });
/** VBS v2 error body. */
export const VbsErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** A key/value tag as vaults and VBS policies carry it. */
export const Tag = z.object({ key: z.string(), value: z.string().optional() });
export type Tag = z.infer<typeof Tag>;

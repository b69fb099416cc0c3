/**
 * Wire shape of the vault summary (`GET /v3/{project_id}/vaults/summary`, Huawei Cloud ShowSummary): the total capacity
 * and the total used capacity of every vault of the project, both in GB, unwrapped.
 */
import { z } from 'zod';

export const VaultSummary = z.looseObject({ size: z.number(), used_size: z.number() });
export type VaultSummary = z.infer<typeof VaultSummary>;

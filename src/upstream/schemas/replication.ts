/**
 * Wire shapes of backup replication (`POST /v3/{project_id}/backups/{backup_id}/replicate`, Huawei SDK CopyBackup,
 * API notes 1.1/1.3): the request `{"replicate": {…}}` and the answer `{"replication": {…}}` (200).
 */
import { z } from 'zod';

/** BackupReplicateReqBody: where to copy the backup to (a replication vault of the destination project and region). */
export const BackupReplicate = z.strictObject({
  destination_project_id: z.string().min(1).max(255),
  destination_region: z.string().min(1).max(255),
  destination_vault_id: z.string().min(1).max(255),
  enable_acceleration: z.boolean().optional(),
  name: z.string().min(1).max(64).optional(),
  description: z.string().max(255).optional(),
});
export type BackupReplicate = z.infer<typeof BackupReplicate>;

export const BackupReplicateRequest = z.strictObject({ replicate: BackupReplicate });
export type BackupReplicateRequest = z.infer<typeof BackupReplicateRequest>;

/** BackupReplicateRespBody: what was started, from where to where. */
export const BackupReplication = z.looseObject({
  backup_id: z.string(),
  destination_project_id: z.string().nullish(),
  destination_region: z.string().nullish(),
  project_id: z.string().nullish(),
  provider_id: z.string().nullish(),
  source_region: z.string().nullish(),
});
export type BackupReplication = z.infer<typeof BackupReplication>;

export const BackupReplicateResponse = z.looseObject({ replication: BackupReplication });
export type BackupReplicateResponse = z.infer<typeof BackupReplicateResponse>;

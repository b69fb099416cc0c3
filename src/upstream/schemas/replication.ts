/**
 * Wire shapes of replication (API notes 1.1/1.3): of one backup (`POST /v3/{project_id}/backups/{backup_id}/replicate`,
 * Huawei SDK CopyBackup) and of a vault's backups (`POST /v3/{project_id}/checkpoints/replicate`, CopyCheckpoint):
 * requests `{"replicate": {…}}`, answers `{"replication": {…}}` (200).
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

/** CheckpointReplicateParam: replicate the backups of `vault_id` not replicated yet. */
export const CheckpointReplicate = z.strictObject({
  vault_id: z.string().min(1).max(255),
  destination_project_id: z.string().min(1).max(255),
  destination_region: z.string().min(1).max(255),
  destination_vault_id: z.string().min(1).max(255),
  auto_trigger: z.boolean().optional(),
  enable_acceleration: z.boolean().optional(),
});
export type CheckpointReplicate = z.infer<typeof CheckpointReplicate>;

export const CheckpointReplicateRequest = z.strictObject({ replicate: CheckpointReplicate });
export type CheckpointReplicateRequest = z.infer<typeof CheckpointReplicateRequest>;

/** CheckpointReplicateRespBody: each backup started with its replication record. */
export const CheckpointReplication = z.looseObject({
  backups: z.array(z.looseObject({ backup_id: z.string(), replication_record_id: z.string().nullish() })),
  destination_project_id: z.string().nullish(),
  destination_region: z.string().nullish(),
  destination_vault_id: z.string().nullish(),
  project_id: z.string().nullish(),
  provider_id: z.string().nullish(),
  source_region: z.string().nullish(),
  vault_id: z.string().nullish(),
});
export type CheckpointReplication = z.infer<typeof CheckpointReplication>;

export const CheckpointReplicateResponse = z.looseObject({ replication: CheckpointReplication });
export type CheckpointReplicateResponse = z.infer<typeof CheckpointReplicateResponse>;

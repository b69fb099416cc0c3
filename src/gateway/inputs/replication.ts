/** The replicateBackup input → the validated `POST /backups/{id}/replicate` body `{"replicate": …}`. */
import { z } from 'zod';
import { BackupReplicateRequest } from '../../upstream/schemas/replication';
import type { ReplicateBackupInput } from '../__generated__/resolvers-types';
import { Id } from './common';
import { compact, validateInput, validateWire } from './validate';

const Rules = z.object({ backupId: Id, destinationProjectId: Id, destinationVaultId: Id });

export function replicateBody(input: ReplicateBackupInput): BackupReplicateRequest {
  validateInput(Rules, input, 'input');
  const replicate = compact({
    destination_project_id: input.destinationProjectId,
    destination_region: input.destinationRegion,
    destination_vault_id: input.destinationVaultId,
    enable_acceleration: input.enableAcceleration,
    name: input.name,
    description: input.description,
  });
  return validateWire(BackupReplicateRequest, { replicate }, [['replicate', 'input']]);
}

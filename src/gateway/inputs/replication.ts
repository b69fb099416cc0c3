/** The replicate inputs → the validated bodies `{"replicate": …}` of `backups/{id}/replicate` and `checkpoints/replicate`. */
import { z } from 'zod';
import { BackupReplicateRequest, CheckpointReplicateRequest } from '../../upstream/schemas/replication';
import type { ReplicateBackupInput, ReplicateRestorePointInput } from '../__generated__/resolvers-types';
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

const VaultRules = z.object({ vaultId: Id, destinationProjectId: Id, destinationVaultId: Id });

export function replicateRestorePointBody(input: ReplicateRestorePointInput): CheckpointReplicateRequest {
  validateInput(VaultRules, input, 'input');
  const replicate = compact({
    vault_id: input.vaultId,
    destination_project_id: input.destinationProjectId,
    destination_region: input.destinationRegion,
    destination_vault_id: input.destinationVaultId,
    enable_acceleration: input.enableAcceleration,
  });
  return validateWire(CheckpointReplicateRequest, { replicate }, [['replicate', 'input'], ['replicate.vault_id', 'input.vaultId']]);
}

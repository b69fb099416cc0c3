/**
 * HTTP handlers of replication: `POST /backups/{id}/replicate` and `POST /checkpoints/replicate` (200, `{"replication"}`).
 *
 * NOT emulated: `GET /replication-capabilities`.
 */
import type { Route } from '../router';
import { parseOrThrow } from '../validation';
import { BackupReplicateRequest, CheckpointReplicateRequest } from '../../upstream/schemas/replication';
import { replicateBackup, replicateVault } from '../store/replication';

export const routes: Route[] = [
  {
    method: 'POST',
    pattern: '/v3/:project_id/backups/:backup_id/replicate',
    api: 'cbr',
    handler: (ctx) => {
      const { replicate } = parseOrThrow(BackupReplicateRequest, ctx.body);
      const { replication_record_id: _, ...replication } = replicateBackup(ctx.emulator, ctx.params.project_id ?? '', ctx.params.backup_id ?? '', replicate);
      return { status: 200, body: { replication } };
    },
  },
  {
    method: 'POST',
    // A literal segment: matched before `/checkpoints/:checkpoint_id`.
    pattern: '/v3/:project_id/checkpoints/replicate',
    api: 'cbr',
    handler: (ctx) => {
      const { replicate } = parseOrThrow(CheckpointReplicateRequest, ctx.body);
      return { status: 200, body: { replication: replicateVault(ctx.emulator, ctx.params.project_id ?? '', replicate) } };
    },
  },
];

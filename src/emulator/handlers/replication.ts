/**
 * HTTP handler of backup replication: `POST /backups/{id}/replicate` (200, `{"replication"}`).
 *
 * NOT emulated: `POST /checkpoints/replicate`, `GET /replication-capabilities`, replication policies firing (see
 * store/replication.ts).
 */
import type { Route } from '../router';
import { parseOrThrow } from '../validation';
import { BackupReplicateRequest } from '../../upstream/schemas/replication';
import { replicateBackup } from '../store/replication';

export const routes: Route[] = [
  {
    method: 'POST',
    pattern: '/v3/:project_id/backups/:backup_id/replicate',
    api: 'cbr',
    handler: (ctx) => {
      const { replicate } = parseOrThrow(BackupReplicateRequest, ctx.body);
      const replication = replicateBackup(ctx.emulator, ctx.params.project_id ?? '', ctx.params.backup_id ?? '', replicate);
      return { status: 200, body: { replication } };
    },
  },
];

/**
 * HTTP handlers of restore points (API: checkpoints, 4.3): create (back up a vault now) and get.
 *
 * NOT emulated: `POST /checkpoints/replicate` (cross-region replication), `POST /checkpoints/sync` (hybrid cloud),
 * application-consistent backups (`consistent_level: app_consistent` backs up like crash-consistent), and listing
 * checkpoints (no such endpoint exists; clients list backups by `checkpoint_id`).
 */
import type { Route } from '../router';
import { parseOrThrow } from '../validation';
import { CreateCheckpointRequest } from '../../upstream/schemas/restore-point';
import { createRestorePoint, getRestorePoint } from '../store/restore-point';

export const routes: Route[] = [
  {
    method: 'POST',
    pattern: '/v3/:project_id/checkpoints',
    api: 'cbr',
    handler: (ctx) => {
      const { checkpoint } = parseOrThrow(CreateCheckpointRequest, ctx.body);
      return { status: 200, body: { checkpoint: createRestorePoint(ctx.emulator, ctx.params.project_id ?? '', checkpoint) } };
    },
  },
  {
    method: 'GET',
    pattern: '/v3/:project_id/checkpoints/:checkpoint_id',
    api: 'cbr',
    handler: (ctx) => ({
      status: 200,
      body: { checkpoint: getRestorePoint(ctx.emulator, ctx.params.project_id ?? '', ctx.params.checkpoint_id ?? '') },
    }),
  },
];

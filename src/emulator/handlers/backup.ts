/**
 * HTTP handlers of backups (4.5): get, list, delete, restore.
 *
 * NOT emulated: `PUT /backups/{id}` (UpdateBackup, HWC only), `GET /backups/{id}/metadata`, `POST /backups/{id}/replicate`
 * and replication records (always `[]`), `POST /backups/sync` (hybrid cloud), image creation from backups
 * (`os_images_data` stays null, so 6204/6207–6214 never occur), the dedicated-cloud `dec` switch, enterprise projects
 * other than the default "0", and the cloud side of a restore (the server/disk data is not touched; `power_on` is ignored).
 */
import type { RequestContext, Route } from '../router';
import { parseOrThrow } from '../validation';
import { BackupListQuery, BackupRestoreRequest } from '../../upstream/schemas/backup';
import { deleteBackup, getBackup, listBackups, restoreBackup } from '../store/backup';

/**
 * The query string as an object for a zod query schema: a parameter given once is a string, one given several times a
 * list (`status=available&status=error`).
 */
export function queryParams(query: URLSearchParams): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    params[key] = values.length === 1 ? values[0]! : values;
  }
  return params;
}

const param = (ctx: RequestContext, name: string): string => ctx.params[name] ?? '';

export const routes: Route[] = [
  {
    method: 'GET',
    pattern: '/v3/:project_id/backups',
    api: 'cbr',
    handler: (ctx) => {
      const query = parseOrThrow(BackupListQuery, queryParams(ctx.query));
      return { status: 200, body: listBackups(ctx.emulator, param(ctx, 'project_id'), query) };
    },
  },
  {
    method: 'GET',
    pattern: '/v3/:project_id/backups/:backup_id',
    api: 'cbr',
    handler: (ctx) => ({
      status: 200,
      body: { backup: getBackup(ctx.emulator, param(ctx, 'project_id'), param(ctx, 'backup_id')) },
    }),
  },
  {
    method: 'DELETE',
    pattern: '/v3/:project_id/backups/:backup_id',
    api: 'cbr',
    handler: (ctx) => {
      deleteBackup(ctx.emulator, param(ctx, 'project_id'), param(ctx, 'backup_id'));
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    pattern: '/v3/:project_id/backups/:backup_id/restore',
    api: 'cbr',
    handler: (ctx) => {
      const { restore } = parseOrThrow(BackupRestoreRequest, ctx.body);
      const jobId = restoreBackup(ctx.emulator, param(ctx, 'project_id'), param(ctx, 'backup_id'), restore);
      // 202 as documented (no body) when asked; by default the body carries the task to poll, as Huawei Cloud answers
      // it (TF-HWC reads job_id).
      if (ctx.emulator.options.restoreAnswer === 'documented') return { status: 202 };
      return { status: 202, body: { job_id: jobId } };
    },
  },
];

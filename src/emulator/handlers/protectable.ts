/**
 * HTTP handlers of protectable resources (Huawei SDK ListProtectable/ShowProtectable): list and get, for servers and
 * disks.
 *
 * NOT emulated: the other protectable types of the SDK (turbo, workspace, workspace_v2) answer 400; resource states
 * other than `active` (see store/protectable.ts).
 */
import type { Route } from '../router';
import { parseOrThrow } from '../validation';
import { ProtectableListQuery } from '../../upstream/schemas/protectable';
import { getProtectable, listProtectables } from '../store/protectable';
import { queryParams } from './backup';

export const routes: Route[] = [
  {
    method: 'GET',
    pattern: '/v3/:project_id/protectables/:protectable_type/instances',
    api: 'cbr',
    handler: (ctx) => {
      const query = parseOrThrow(ProtectableListQuery, queryParams(ctx.query));
      return { status: 200, body: listProtectables(ctx.emulator, ctx.params.project_id ?? '', ctx.params.protectable_type ?? '', query) };
    },
  },
  {
    method: 'GET',
    pattern: '/v3/:project_id/protectables/:protectable_type/instances/:instance_id',
    api: 'cbr',
    handler: (ctx) => ({
      status: 200,
      body: {
        instance: getProtectable(ctx.emulator, ctx.params.project_id ?? '', ctx.params.protectable_type ?? '', ctx.params.instance_id ?? ''),
      },
    }),
  },
];

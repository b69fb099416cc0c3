/** HTTP handler of the vault summary (Huawei Cloud ShowSummary): `GET /vaults/summary`, answered unwrapped. */
import type { Route } from '../router';
import { vaultSummary } from '../store/vault-summary';

export const routes: Route[] = [
  {
    method: 'GET',
    // A literal segment: matched before `/vaults/:vault_id`.
    pattern: '/v3/:project_id/vaults/summary',
    api: 'cbr',
    handler: (ctx) => ({ status: 200, body: vaultSummary(ctx.emulator, ctx.params.project_id ?? '') }),
  },
];

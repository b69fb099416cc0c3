/**
 * VBS v2 policy loaders. VBS has no get-by-id and no paging: ONE `GET /v2/{project}/backuppolicy` per request
 * answers every VBS policy lookup and list.
 */
import DataLoader from 'dataloader';
import type { CbrClient } from '../../upstream/client';
import type { VbsPolicy } from '../../upstream/schemas/vbs-policy';

export function createVbsPolicyLoaders(client: CbrClient) {
  /** The whole list; the key is always `'all'` (a loader rather than a memo, so `clearAll` works the same everywhere). */
  const vbsPolicyList = new DataLoader<'all', VbsPolicy[]>(async (keys) => {
    const { backup_policies } = await client.listVbsPolicies();
    return keys.map(() => backup_policies);
  });

  const vbsPolicy = new DataLoader<string, VbsPolicy | null>(async (ids) => {
    const all = await vbsPolicyList.load('all');
    return ids.map((id) => all.find((p) => p.backup_policy_id === id) ?? null);
  });

  return {
    vbsPolicyList,
    vbsPolicy,
    /** Forgets the list (after a VBS mutation). */
    forgetVbsPolicies(): void {
      vbsPolicyList.clearAll();
      vbsPolicy.clearAll();
    },
  };
}

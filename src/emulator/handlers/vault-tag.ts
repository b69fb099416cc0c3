/**
 * HTTP handlers of vault tags (under the singular `/vault/` prefix): the tags of a vault, create one, create or delete
 * several, delete one, the keys of the project, and the query of vaults by tags.
 *
 * NOT emulated: `sys_tags` (system tags, e.g. `_sys_enterprise_project_id`) in requests and answers.
 */
import type { Route } from '../router';
import { parseOrThrow } from '../validation';
import { CreateVaultTagRequest, VaultResourceInstancesRequest, VaultTagActionRequest } from '../../upstream/schemas/vault-tag';
import { createVaultTags, deleteVaultTag, deleteVaultTags, listProjectTags, listVaultTags, queryVaultsByTags } from '../store/vault-tag';

export const routes: Route[] = [
  {
    method: 'GET',
    pattern: '/v3/:project_id/vault/tags',
    api: 'cbr',
    handler: (ctx) => ({ status: 200, body: listProjectTags(ctx.emulator, ctx.params.project_id ?? '') }),
  },
  {
    method: 'POST',
    pattern: '/v3/:project_id/vault/resource_instances/action',
    api: 'cbr',
    handler: (ctx) => {
      const body = parseOrThrow(VaultResourceInstancesRequest, ctx.body);
      return { status: 200, body: queryVaultsByTags(ctx.emulator, ctx.params.project_id ?? '', body) };
    },
  },
  {
    method: 'GET',
    pattern: '/v3/:project_id/vault/:vault_id/tags',
    api: 'cbr',
    handler: (ctx) => ({ status: 200, body: listVaultTags(ctx.emulator, ctx.params.project_id ?? '', ctx.params.vault_id ?? '') }),
  },
  {
    method: 'POST',
    pattern: '/v3/:project_id/vault/:vault_id/tags',
    api: 'cbr',
    handler: (ctx) => {
      const { tag } = parseOrThrow(CreateVaultTagRequest, ctx.body);
      createVaultTags(ctx.emulator, ctx.params.project_id ?? '', ctx.params.vault_id ?? '', [tag]);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    pattern: '/v3/:project_id/vault/:vault_id/tags/action',
    api: 'cbr',
    handler: (ctx) => {
      const body = parseOrThrow(VaultTagActionRequest, ctx.body);
      const [projectId, vaultId] = [ctx.params.project_id ?? '', ctx.params.vault_id ?? ''];
      if (body.action === 'create') createVaultTags(ctx.emulator, projectId, vaultId, body.tags);
      else deleteVaultTags(ctx.emulator, projectId, vaultId, body.tags);
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    pattern: '/v3/:project_id/vault/:vault_id/tags/:key',
    api: 'cbr',
    handler: (ctx) => {
      deleteVaultTag(ctx.emulator, ctx.params.project_id ?? '', ctx.params.vault_id ?? '', ctx.params.key ?? '');
      return { status: 204 };
    },
  },
];

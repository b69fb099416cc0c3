/**
 * HTTP handlers of the vault API (seed 003 §4.4): create, get, list, update, delete, addresources,
 * removeresources, migrateresources, associatepolicy, dissociatepolicy. Parse with the wire schemas, call the
 * store, answer the documented status and envelope.
 *
 * Not emulated: vault tags APIs (`/vault/{id}/tags…`, `/vault/resource_instances/action`), pre-paid vaults and
 * orders (`/vaults/order`, `/orders/…`, `period_*`), automatic association by tags (`auto_bind`/`bind_rules` are
 * stored and echoed only), auto capacity expansion and SMN notifications (`auto_expand`, `smn_notify`,
 * `threshold` stored only), replication vault details (`/replication-capabilities`, cross-region copies),
 * hybrid-cloud vaults, `set-resources`, `batch-update`, `change-charge-mode`, `vaults/summary`,
 * `vaults/external`, enterprise-project permissions.
 */
import type { Route } from '../router';
import { parseOrThrow } from '../validation';
import {
  AssociatePolicyRequest,
  DissociatePolicyRequest,
  VaultCreateRequest,
  VaultListQuery,
  VaultUpdateRequest,
} from '../../upstream/schemas/vault';
import { AddResourcesRequest, MigrateResourcesRequest, RemoveResourcesRequest } from '../../upstream/schemas/resource';
import { createVault, deleteVault, getVault, listVaults, updateVault } from '../store/vault';
import { addResources, migrateResources, removeResources } from '../store/resource';
import { associatePolicy, dissociatePolicy } from '../store/policy';

const VAULTS = '/v3/:project_id/vaults';
const VAULT = `${VAULTS}/:vault_id`;

/** Query parameters as one object; a repeated parameter is joined with commas (`id=a&id=b` is `id=a,b`: any of them). */
function queryObject(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of new Set(query.keys())) out[key] = query.getAll(key).join(',');
  return out;
}

export const routes: Route[] = [
  {
    method: 'POST',
    pattern: VAULTS,
    api: 'cbr',
    handler: (ctx) => {
      const { vault } = parseOrThrow(VaultCreateRequest, ctx.body);
      return { status: 200, body: { vault: createVault(ctx.emulator, ctx.params.project_id!, vault, ctx.principal) } };
    },
  },
  {
    method: 'GET',
    pattern: VAULTS,
    api: 'cbr',
    handler: (ctx) => {
      const query = parseOrThrow(VaultListQuery, queryObject(ctx.query));
      return { status: 200, body: listVaults(ctx.emulator, ctx.params.project_id!, query) };
    },
  },
  {
    method: 'GET',
    pattern: VAULT,
    api: 'cbr',
    handler: (ctx) => ({ status: 200, body: { vault: getVault(ctx.emulator, ctx.params.project_id!, ctx.params.vault_id!) } }),
  },
  {
    method: 'PUT',
    pattern: VAULT,
    api: 'cbr',
    handler: (ctx) => {
      const { vault } = parseOrThrow(VaultUpdateRequest, ctx.body);
      return { status: 200, body: { vault: updateVault(ctx.emulator, ctx.params.project_id!, ctx.params.vault_id!, vault) } };
    },
  },
  {
    method: 'DELETE',
    pattern: VAULT,
    api: 'cbr',
    handler: (ctx) => {
      deleteVault(ctx.emulator, ctx.params.project_id!, ctx.params.vault_id!);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    pattern: `${VAULT}/addresources`,
    api: 'cbr',
    handler: (ctx) => {
      const { resources } = parseOrThrow(AddResourcesRequest, ctx.body);
      const ids = addResources(ctx.emulator, ctx.params.project_id!, ctx.params.vault_id!, resources);
      return { status: 200, body: { add_resource_ids: ids } };
    },
  },
  {
    method: 'POST',
    pattern: `${VAULT}/removeresources`,
    api: 'cbr',
    handler: (ctx) => {
      const { resource_ids } = parseOrThrow(RemoveResourcesRequest, ctx.body);
      const ids = removeResources(ctx.emulator, ctx.params.project_id!, ctx.params.vault_id!, resource_ids);
      return { status: 200, body: { remove_resource_ids: ids } };
    },
  },
  {
    method: 'POST',
    pattern: `${VAULT}/migrateresources`,
    api: 'cbr',
    handler: (ctx) => {
      const body = parseOrThrow(MigrateResourcesRequest, ctx.body);
      const ids = migrateResources(ctx.emulator, ctx.params.project_id!, ctx.params.vault_id!, body.destination_vault_id, body.resource_ids);
      return { status: 200, body: { migrated_resources: ids } };
    },
  },
  {
    method: 'POST',
    pattern: `${VAULT}/associatepolicy`,
    api: 'cbr',
    handler: (ctx) => {
      const body = parseOrThrow(AssociatePolicyRequest, ctx.body);
      return { status: 200, body: { associate_policy: associatePolicy(ctx.emulator, ctx.params.project_id!, ctx.params.vault_id!, body) } };
    },
  },
  {
    method: 'POST',
    pattern: `${VAULT}/dissociatepolicy`,
    api: 'cbr',
    handler: (ctx) => {
      const { policy_id } = parseOrThrow(DissociatePolicyRequest, ctx.body);
      return {
        status: 200,
        body: { dissociate_policy: dissociatePolicy(ctx.emulator, ctx.params.project_id!, ctx.params.vault_id!, policy_id) },
      };
    },
  },
];

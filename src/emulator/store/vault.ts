/**
 * Vaults: create, get, list with filters, update and the asynchronous delete (seed 003 §4.4.1–4.4.5).
 * Stored records keep the wire shape; the derived figures (`billing.allocated`, `billing.used`, each
 * resource's `backup_count`/`backup_size`) are computed on every read from the resources and backups.
 */
import type { Emulator } from '../context';
import { copyRecord } from '../copy';
import { apiError } from '../errors';
import type { Principal } from '../identity';
import type { ProjectState } from '../state';
import { OBJECT_TYPE_OF_RESOURCE, PROVIDER_IDS, RESOURCE_TYPES, type ObjectType } from '../../upstream/schemas/common';
import {
  SPEC_CODES,
  type Vault,
  type VaultCreate,
  type VaultList,
  type VaultListQuery,
  type VaultUpdate,
} from '../../upstream/schemas/vault';
import { scheduleSteps, stepKind } from '../async-work';
import { createTask, finishTask } from './task';
import { removeBackups, vaultUsedGb } from './backup';
import { prepareResources, vaultUsage, vaultUsages, type VaultUsage } from './resource';
import { associatePolicy, checkAssociation, dropVaultFromPolicies, isVaultInPolicy } from './policy';

/** `2020-02-05T10:38:34.209782`: the vault time format (UTC, microseconds, no zone; seed Table 4-99). */
export function vaultTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000`;
}

/** The stored record of a vault, or 404 BackupService.6105. Callers that answer it use `presentVault`. */
export function getVaultRecord(emulator: Emulator, projectId: string, vaultId: string): Vault {
  const vault = emulator.state.project(projectId).vaults.get(vaultId);
  if (!vault) throw apiError('BackupService.6105');
  return vault;
}

/** A vault being deleted takes no more changes: 400 BackupService.6112 "Invalid vault status." */
export function requireVaultUsable(vault: Vault): Vault {
  if (vault.billing.status === 'deleting') throw apiError('BackupService.6112');
  return vault;
}

/**
 * The vault as the API answers it: a copy with the derived figures filled in. `usage` is the vault's usage when the
 * caller computed it already (a list computes all of them in one pass).
 */
export function presentVault(project: ProjectState, vault: Vault, usage: VaultUsage = vaultUsage(project, vault.id)): Vault {
  const copy = copyRecord(vault);
  // The flags say what billing.status says, so they can never disagree with it.
  copy.frozen = vault.billing.status === 'frozen';
  copy.locked = vault.billing.status === 'lock';
  // A record stored without its resources is half-created (tests store one to stand for a vault a real cloud is still
  // creating): answered as stored, with no figures derived from resources it does not have.
  if (vault.resources == null) return copy;
  copy.billing.used = usage.usedMb;
  copy.billing.allocated = copy.resources.reduce((sum, r) => sum + (r.size ?? 0), 0);
  for (const resource of copy.resources) {
    const stats = usage.perResource.get(resource.id);
    resource.backup_count = stats?.count ?? 0;
    resource.backup_size = stats?.sizeGb ?? 0;
  }
  return copy;
}

function specCode(objectType: ObjectType, protectType: string): string {
  if (protectType === 'replication') return SPEC_CODES.replicationServer;
  return SPEC_CODES[objectType];
}

/**
 * `POST /vaults`. Resources given at create obey the addresources rules; `backup_policy_id` applies that
 * policy as associatepolicy would (6000 unknown, 6127 not a backup policy). A replication vault exists only
 * for servers (6116 otherwise; the only replication spec code is `vault.replication.server.normal`).
 * `user_id` is the caller's.
 */
export function createVault(emulator: Emulator, projectId: string, body: VaultCreate, principal?: Principal): Vault {
  const project = emulator.state.project(projectId);
  const { billing } = body;
  if (billing.protect_type === 'replication' && billing.object_type !== 'server') throw apiError('BackupService.6116');
  const now = emulator.clock.now();
  const vault: Vault = {
    id: emulator.ids.uuid(),
    name: body.name,
    description: body.description ?? null,
    resources: [],
    provider_id: PROVIDER_IDS[billing.object_type],
    created_at: vaultTime(now),
    updated_at: vaultTime(now),
    project_id: projectId,
    enterprise_project_id: body.enterprise_project_id ?? '0',
    auto_bind: body.auto_bind ?? false,
    bind_rules: body.bind_rules ? structuredClone(body.bind_rules) : {},
    auto_expand: false,
    smn_notify: true,
    threshold: 80,
    user_id: principal?.userId ?? null,
    // Pay-per-use (the only charging mode offered), and no vault was deleted by the billing centre (CBC).
    demand_billing: true,
    cbc_delete_count: 0,
    billing: {
      allocated: 0,
      cloud_type: billing.cloud_type ?? 'public',
      consistent_level: billing.consistent_level,
      frozen_scene: null,
      charging_mode: billing.charging_mode ?? 'post_paid',
      order_id: null,
      product_id: null,
      protect_type: billing.protect_type,
      object_type: billing.object_type,
      spec_code: specCode(billing.object_type, billing.protect_type),
      used: 0,
      storage_unit: null,
      status: 'available',
      size: billing.size,
      is_multi_az: billing.is_multi_az ?? false,
    },
    tags: body.tags ? body.tags.map((t) => ({ key: t.key, value: t.value })) : [],
  };
  if (body.backup_name_prefix !== undefined) vault.backup_name_prefix = body.backup_name_prefix;
  vault.resources = prepareResources(project, vault, body.resources);
  if (body.backup_policy_id) {
    // Checked before the vault is stored, so a refused policy leaves no vault behind.
    const policy = project.policies.get(body.backup_policy_id);
    if (!policy) throw apiError('BackupService.6000');
    if (policy.operation_type !== 'backup') throw apiError('BackupService.6127');
    checkAssociation(vault, policy, undefined);
  }
  project.vaults.set(vault.id, vault);
  if (body.backup_policy_id) associatePolicy(emulator, projectId, vault.id, { policy_id: body.backup_policy_id });
  return presentVault(project, vault);
}

/** `GET /vaults/{id}`. */
export function getVault(emulator: Emulator, projectId: string, vaultId: string): Vault {
  return presentVault(emulator.state.project(projectId), getVaultRecord(emulator, projectId, vaultId));
}

/**
 * `GET /vaults`: newest first; every given filter must hold. `name` matches a part of the name (as CBR's
 * other name filters do); `id` is a vault id, and a list of them (`id=a&id=b`, which the Huawei SDKs send for a list
 * parameter and the handler joins, or `id=a,b`) matches any of them, as `resource_ids` does;
 * `resource_ids` is a comma-separated list (documented as such: a vault matches if it holds any of them); `policy_id` reads the policies' `associated_vaults`, so both sides
 * always agree; `enterprise_project_id=all_granted_eps` matches every vault. `count` counts all matches;
 * `limit` (default 1000) and `offset` (default 0) cut the page.
 */
export function listVaults(emulator: Emulator, projectId: string, query: VaultListQuery): VaultList {
  const project = emulator.state.project(projectId);
  const resourceIds = splitList(query.resource_ids);
  const ids = splitList(query.id);
  const matching = [...project.vaults.values()].reverse().filter((vault) => {
    const { billing } = vault;
    if (query.name !== undefined && !vault.name.includes(query.name)) return false;
    if (query.cloud_type !== undefined && billing.cloud_type !== query.cloud_type) return false;
    if (query.protect_type !== undefined && billing.protect_type !== query.protect_type) return false;
    if (query.object_type !== undefined && billing.object_type !== query.object_type) return false;
    if (query.status !== undefined && billing.status !== query.status) return false;
    if (
      query.enterprise_project_id !== undefined &&
      query.enterprise_project_id !== 'all_granted_eps' &&
      vault.enterprise_project_id !== query.enterprise_project_id
    ) {
      return false;
    }
    if (ids && !ids.includes(vault.id)) return false;
    if (resourceIds && !vault.resources.some((r) => resourceIds.includes(r.id))) return false;
    if (query.policy_id !== undefined && !isVaultInPolicy(project, query.policy_id, vault.id)) return false;
    return true;
  });
  const limit = query.limit ?? 1000;
  const offset = query.offset ?? 0;
  const page = matching.slice(offset, offset + limit);
  const usages = vaultUsages(project, page.map((vault) => vault.id));
  return {
    vaults: page.map((vault) => presentVault(project, vault, usages.get(vault.id))),
    count: matching.length,
    limit,
    offset,
  };
}

function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * `PUT /vaults/{id}`. `billing.size` may grow or shrink: seed Table 4-140 BillingUpdate gives "size … Vault size, in
 * GB Minimum: 1 Maximum: 10485760" and nothing in the seed restricts a change to expansion. It may not shrink below
 * what the vault's backups occupy (`billing.used`, MB): such a size answers 400 BackupService.6101 "Invalid vault
 * capacity." ("Use valid values for vault parameters.") [inferred: the seed names no shrink error; a smaller size would
 * put the vault at once in the state of 6114 "The used capacity of the vault exceeds the maximum capacity."].
 * A refused size changes nothing. `bind_rules` replaces the rules.
 */
export function updateVault(emulator: Emulator, projectId: string, vaultId: string, body: VaultUpdate): Vault {
  const project = emulator.state.project(projectId);
  const vault = requireVaultUsable(getVaultRecord(emulator, projectId, vaultId));
  if (body.billing?.size !== undefined) {
    if (body.billing.size < vault.billing.size && body.billing.size < vaultUsedGb(project, vault.id)) {
      throw apiError('BackupService.6101');
    }
    vault.billing.size = body.billing.size;
  }
  if (body.name !== undefined) vault.name = body.name;
  if (body.auto_bind !== undefined) vault.auto_bind = body.auto_bind;
  if (body.bind_rules !== undefined) vault.bind_rules = structuredClone(body.bind_rules);
  if (body.auto_expand !== undefined) vault.auto_expand = body.auto_expand;
  if (body.smn_notify !== undefined) vault.smn_notify = body.smn_notify;
  if (body.threshold !== undefined) vault.threshold = body.threshold;
  vault.updated_at = vaultTime(emulator.clock.now());
  return presentVault(project, vault);
}

/**
 * `DELETE /vaults/{id}` (answered 204 at once): `billing.status` turns `deleting` and a `vault_delete` task
 * starts; one lifecycle step later every backup of the vault is deleted, the vault disappears (GET answers
 * 6105) and leaves its policies' `associated_vaults`, and the task succeeds.
 */
export function deleteVault(emulator: Emulator, projectId: string, vaultId: string): void {
  const project = emulator.state.project(projectId);
  const vault = requireVaultUsable(getVaultRecord(emulator, projectId, vaultId));
  const backups = [...project.backups.values()].filter((b) => b.vault_id === vaultId);
  vault.billing.status = 'deleting';
  const task = createTask(emulator, projectId, {
    operation_type: 'vault_delete',
    vault_id: vault.id,
    vault_name: vault.name,
    provider_id: vault.provider_id,
    extra_info: {
      resource: deletedVaultResource(vault),
      vault_delete: { fail_count: 0, total_count: backups.filter((b) => !b.parent_id).length },
    },
  });
  scheduleSteps(emulator, projectId, [vaultDeleteCompleteStep({ vaultId, taskId: task.id })]);
}

/**
 * `extra_info.resource` of a `vault_delete` task: the seed makes `resource` required in every operation log but does
 * not say what a vault deletion names [decision]: the vault's first resource, or the vault itself (typed by the
 * resources it holds) when it is empty.
 */
function deletedVaultResource(vault: Vault): { id: string; type: string; name: string } {
  const first = vault.resources[0];
  if (first) return { id: first.id, type: first.type, name: first.name ?? '' };
  const type = RESOURCE_TYPES.find((t) => OBJECT_TYPE_OF_RESOURCE[t] === vault.billing.object_type) ?? RESOURCE_TYPES[0];
  return { id: vault.id, type, name: vault.name };
}

/**
 * The end of a vault's deletion: every backup of the vault is deleted, the vault disappears and leaves its policies'
 * `associated_vaults`, the `vault_delete` task succeeds. Nothing happens to a vault that is already gone (reset).
 */
/** Step: the end of a vault's deletion (`completeVaultDelete`). */
export const vaultDeleteCompleteStep = stepKind('vault.delete.complete', (emulator, projectId, args: { vaultId: string; taskId?: string }) =>
  completeVaultDelete(emulator, projectId, args.vaultId, args.taskId),
);

export function completeVaultDelete(emulator: Emulator, projectId: string, vaultId: string, taskId: string | undefined): void {
  const current = emulator.state.projects.get(projectId);
  if (!current?.vaults.has(vaultId)) return;
  const remaining = [...current.backups.values()].filter((b) => b.vault_id === vaultId && !b.parent_id);
  removeBackups(emulator, projectId, remaining.map((b) => b.id));
  current.vaults.delete(vaultId);
  dropVaultFromPolicies(current, vaultId);
  finishTask(emulator, projectId, taskId, 'success');
}

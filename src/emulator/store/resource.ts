/**
 * Protected resources: the rules for associating servers, disks and SFS Turbo file systems with a vault
 * (addresources, and the `resources` of vault create), removing them (removeresources: async, deletes their
 * backups) and migrating them with their backups to another vault (migrateresources); plus the usage
 * figures derived from the backups.
 */
import type { Emulator } from '../context';
import { apiError, type ApiError } from '../errors';
import type { CloudResource, ProjectState } from '../state';
import { OBJECT_TYPE_OF_RESOURCE, type ResourceType } from '../../upstream/schemas/common';
import type { ResourceCreate, ResourceResp } from '../../upstream/schemas/resource';
import type { Vault } from '../../upstream/schemas/vault';
import type { Backup } from '../../upstream/schemas/backup';
import { scheduleSteps, stepKind } from '../async-work';
import { canTransition, transition } from './lifecycle';
import { createTask, finishTask } from './task';
import { occupiesCapacity, removeBackups, vaultUsedGb } from './backup';
import { getVaultRecord, requireVaultUsable } from './vault';

/**
 * Resources one vault can hold. The seed caps one request at 255 (create) / 256 (addresources) and
 * documents BackupService.6100 "The maximum number of vault resources has been reached" without a figure;
 * 256 is the inferred per-vault limit.
 */
export const MAX_VAULT_RESOURCES = 256;

/**
 * Not-found code per resource kind. The error table has a generic 6302 "The resource does not exist" and one
 * code per kind (7100 server, 7000 disk, 7500 SFS Turbo). The service looks an id up in the kind's own service
 * (ECS/EVS/SFS Turbo) named by `type`, so the emulator answers that kind's code; 6302 stays unused.
 */
const NOT_FOUND: Record<ResourceType, () => ApiError> = {
  'OS::Nova::Server': () => apiError('BackupService.7100'),
  'OS::Cinder::Volume': () => apiError('BackupService.7000'),
  'OS::Sfs::Turbo': () => apiError('BackupService.7500'),
};

/**
 * Checks resources about to join `vault` and returns their `vault.resources` entries. Order of checks:
 * duplicates in the request (6104), a replication vault takes no resources (6108), resource type vs the
 * vault's object type (6102), existence in the cloud (7100/7000/7500), already in a vault (6134 while being
 * removed, else 6103), capacity in resources (6100). Names and sizes come from the cloud, not the request.
 */
export function prepareResources(project: ProjectState, vault: Pick<Vault, 'billing' | 'resources'>, resources: ResourceCreate[]): ResourceResp[] {
  const ids = resources.map((r) => r.id);
  if (new Set(ids).size !== ids.length) throw apiError('BackupService.6104');
  if (resources.length > 0 && vault.billing.protect_type !== 'backup') throw apiError('BackupService.6108');
  const prepared = resources.map((request) => {
    if (OBJECT_TYPE_OF_RESOURCE[request.type] !== vault.billing.object_type) throw apiError('BackupService.6102');
    const cloud = project.cloudResources.get(request.id);
    if (!cloud || cloud.type !== request.type) throw NOT_FOUND[request.type]();
    const holder = findResource(project, request.id);
    if (holder) throw apiError(holder.resource.protect_status === 'removing' ? 'BackupService.6134' : 'BackupService.6103');
    return toVaultResource(cloud, request);
  });
  if (vault.resources.length + prepared.length > MAX_VAULT_RESOURCES) throw apiError('BackupService.6100');
  return prepared;
}

function toVaultResource(cloud: CloudResource, request: ResourceCreate): ResourceResp {
  const excluded = request.extra_info?.exclude_volumes;
  const entry: ResourceResp = {
    id: cloud.id,
    name: cloud.name,
    type: cloud.type,
    protect_status: 'available',
    size: resourceSize(cloud, excluded),
    backup_size: 0,
    backup_count: 0,
  };
  if (request.extra_info) entry.extra_info = { ...request.extra_info };
  return entry;
}

/** A server's protected size leaves out its excluded disks; other kinds are their own size. */
function resourceSize(cloud: CloudResource, excluded: string[] | undefined): number {
  if (!excluded || !cloud.disks) return cloud.sizeGb;
  const left = cloud.disks.filter((disk) => !excluded.includes(disk.id)).reduce((sum, disk) => sum + disk.sizeGb, 0);
  return cloud.disks.length > 0 ? left : cloud.sizeGb;
}

/** The vault holding `resourceId` in this project, if any (a resource belongs to at most one vault). */
export function findResource(project: ProjectState, resourceId: string): { vault: Vault; resource: ResourceResp } | undefined {
  for (const vault of project.vaults.values()) {
    const resource = vault.resources.find((r) => r.id === resourceId);
    if (resource) return { vault, resource };
  }
  return undefined;
}

/** `POST /vaults/{id}/addresources`: associates at once (synchronous) and answers the added ids. */
export function addResources(emulator: Emulator, projectId: string, vaultId: string, resources: ResourceCreate[]): string[] {
  const project = emulator.state.project(projectId);
  const vault = requireVaultUsable(getVaultRecord(emulator, projectId, vaultId));
  const prepared = prepareResources(project, vault, resources);
  vault.resources.push(...prepared);
  return prepared.map((r) => r.id);
}

/**
 * Resources of `vault` named by `ids`, for removal or migration: duplicates 6104, not in the vault 6135,
 * already being removed 6134, busy with a backup (6125) or a restore (2010).
 */
function resourcesToMove(vault: Vault, ids: string[]): ResourceResp[] {
  if (new Set(ids).size !== ids.length) throw apiError('BackupService.6104');
  return ids.map((id) => {
    const resource = vault.resources.find((r) => r.id === id);
    if (!resource) throw apiError('BackupService.6135');
    if (!canTransition('resource', resource.protect_status ?? 'available', 'removing')) {
      if (resource.protect_status === 'removing') throw apiError('BackupService.6134');
      if (resource.protect_status === 'restoring') throw apiError('BackupService.2010');
      throw apiError('BackupService.6125');
    }
    return resource;
  });
}

/**
 * `POST /vaults/{id}/removeresources`: "dissociating resources from a vault and deleting the backups of the
 * resources". The resources turn `removing` at once and a `remove_resource` task starts; one lifecycle step
 * later their backups (in this vault) are deleted, they leave the vault and the task succeeds.
 */
export function removeResources(emulator: Emulator, projectId: string, vaultId: string, ids: string[]): string[] {
  const vault = requireVaultUsable(getVaultRecord(emulator, projectId, vaultId));
  const resources = resourcesToMove(vault, ids);
  for (const resource of resources) transition('resource', resource, 'removing');
  const task = createTask(emulator, projectId, {
    operation_type: 'remove_resource',
    vault_id: vault.id,
    vault_name: vault.name,
    provider_id: vault.provider_id,
    extra_info: {
      // The seed makes `resource` required in every operation log: a removal names the first resource it removes.
      ...(resources[0] ? { resource: { id: resources[0].id, type: resources[0].type, name: resources[0].name ?? '' } } : {}),
      remove_resources: {
        fail_count: 0,
        total_count: resources.length,
        resources: resources.map((r) => ({ id: r.id, type: r.type as ResourceType, name: r.name ?? '' })),
      },
    },
  });
  scheduleSteps(emulator, projectId, [resourceRemovalCompleteStep({ vaultId, resourceIds: ids, taskId: task.id })]);
  return ids;
}

/**
 * The end of a removal: the resources' backups in the vault are deleted, the resources leave the vault, the
 * `remove_resource` task succeeds. If the vault went away meanwhile, its deletion took the backups and the resources:
 * the removal reached its goal all the same, so its task succeeds too (rather than running forever).
 */
/** Step: the end of a removal of resources from a vault (`completeResourceRemoval`). */
export const resourceRemovalCompleteStep = stepKind(
  'vault.remove-resources.complete',
  (emulator, projectId, args: { vaultId: string; resourceIds: string[]; taskId?: string }) =>
    completeResourceRemoval(emulator, projectId, args.vaultId, args.resourceIds, args.taskId),
);

export function completeResourceRemoval(
  emulator: Emulator,
  projectId: string,
  vaultId: string,
  ids: readonly string[],
  taskId: string | undefined,
): void {
  const project = emulator.state.projects.get(projectId);
  if (!project) return; // reset meanwhile
  const vault = project.vaults.get(vaultId);
  if (vault) {
    removeBackups(emulator, projectId, topLevelBackups(project, vaultId, ids).map((b) => b.id));
    vault.resources = vault.resources.filter((r) => !ids.includes(r.id));
  }
  finishTask(emulator, projectId, taskId, 'success');
}

/**
 * `POST /vaults/{id}/migrateresources`: moves resources and their backups (with their child disk backups)
 * to the destination vault at once. The destination must exist (6120), differ from the source (9900), be
 * usable (6112), hold the same object type (6102), have room for the resources (6100) and for their backups: what it
 * holds plus the capacity the moved backups occupy must stay within its `billing.size` (seed 003 §7.2: 400
 * BackupService.6129 "The maximum capacity of the destination vault has been reached.", handling "Expand the vault
 * capacity and then perform this operation."). Restore points keep naming the source vault (not rewritten).
 */
export function migrateResources(
  emulator: Emulator,
  projectId: string,
  vaultId: string,
  destinationVaultId: string,
  ids: string[],
): string[] {
  const project = emulator.state.project(projectId);
  const source = requireVaultUsable(getVaultRecord(emulator, projectId, vaultId));
  const destination = project.vaults.get(destinationVaultId);
  if (!destination) throw apiError('BackupService.6120');
  if (destination.id === source.id) throw apiError('BackupService.9900', 'destination_vault_id must differ from the source vault');
  requireVaultUsable(destination);
  if (destination.billing.object_type !== source.billing.object_type || destination.billing.protect_type !== 'backup') {
    throw apiError('BackupService.6102');
  }
  const resources = resourcesToMove(source, ids);
  if (destination.resources.length + resources.length > MAX_VAULT_RESOURCES) throw apiError('BackupService.6100');
  const movedBackups = topLevelBackups(project, vaultId, ids);
  // The same rule as billing.used and the backup capacity check (occupiesCapacity), so an accepted move never leaves
  // the destination over its size (where its next backup would fail with 6114).
  const movedGb = movedBackups.reduce((sum, b) => sum + (occupiesCapacity(b) ? (b.resource_size ?? 0) : 0), 0);
  if (movedGb > 0 && vaultUsedGb(project, destination.id) + movedGb > destination.billing.size) {
    throw apiError('BackupService.6129');
  }

  const moved = new Set(movedBackups.map((b) => b.id));
  for (const backup of project.backups.values()) {
    if (moved.has(backup.id) || (backup.parent_id && moved.has(backup.parent_id))) backup.vault_id = destination.id;
  }
  source.resources = source.resources.filter((r) => !ids.includes(r.id));
  destination.resources.push(...resources);
  return ids;
}

/** Top-level backups (no `parent_id`) of `resourceIds` in `vaultId`. */
function topLevelBackups(project: ProjectState, vaultId: string, resourceIds: readonly string[]): Backup[] {
  return [...project.backups.values()].filter(
    (b) => !b.parent_id && b.vault_id === vaultId && resourceIds.includes(b.resource_id),
  );
}

/** Usage of one vault: `usedMb` (billing.used is MB) and per resource `count` backups of `sizeGb` GB in total. */
export interface VaultUsage {
  usedMb: number;
  perResource: Map<string, { count: number; sizeGb: number }>;
}

/**
 * Usage of a vault derived from its backups, so it never drifts from them. Rule (`occupiesCapacity`, shared with
 * the backup store's capacity check): every completed top-level backup (no `parent_id`; a server backup's disk
 * backups are its children and are not counted again) occupies its `resource_size` GB until its deletion ends.
 * Every top-level backup counts as one of its resource's backups (ResourceResp backup_count / backup_size).
 */
export function vaultUsage(project: ProjectState, vaultId: string): VaultUsage {
  return vaultUsages(project, [vaultId]).get(vaultId)!;
}

/**
 * `vaultUsage` of several vaults in one pass over the project's backups: a vault list costs one scan of the backups,
 * not one per vault (a project holds hundreds of backups; this runs on every read of a vault).
 */
export function vaultUsages(project: ProjectState, vaultIds: readonly string[]): Map<string, VaultUsage> {
  const tallies = new Map<string, { usedGb: number; perResource: VaultUsage['perResource'] }>();
  for (const id of vaultIds) tallies.set(id, { usedGb: 0, perResource: new Map() });
  for (const backup of project.backups.values()) {
    if (backup.parent_id) continue;
    const tally = tallies.get(backup.vault_id);
    if (!tally) continue;
    // every top-level backup counts as one of the resource's backups; only completed ones occupy space
    const size = occupiesCapacity(backup) ? (backup.resource_size ?? 0) : 0;
    tally.usedGb += size;
    const entry = tally.perResource.get(backup.resource_id);
    if (entry) {
      entry.count += 1;
      entry.sizeGb += size;
    } else {
      tally.perResource.set(backup.resource_id, { count: 1, sizeGb: size });
    }
  }
  const usages = new Map<string, VaultUsage>();
  for (const [id, tally] of tallies) usages.set(id, { usedMb: tally.usedGb * 1024, perResource: tally.perResource });
  return usages;
}

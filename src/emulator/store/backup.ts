/**
 * Backups: the records a restore point produces (one per resource; a server backup has one child per disk), how they
 * are read (get, list with the filters of 4.5.2, the shared view of another project), deleted and restored.
 * Status changes go through the declared machines of ./lifecycle; timed progression through stored steps (scheduleSteps).
 */
import { scheduleSteps, stepKind } from '../async-work';
import type { Emulator } from '../context';
import { apiError, invalidParameter, type ApiError } from '../errors';
import type { CloudResource, ProjectState } from '../state';
import type {
  Backup,
  BackupExtendInfo,
  BackupListQuery,
  BackupRestore,
  BackupRestoreMapping,
  BackupStatus,
  ResourceType,
} from '../../upstream/schemas/backup';
import type { Member } from '../../upstream/schemas/share-member';
import { canTransition, transition } from './lifecycle';
import { createTask, finishTask, taskProgressStep } from './task';

/** `2020-02-05T10:38:34.209782` (UTC, no zone, microseconds): the time format of backups, checkpoints and members. */
export function backupTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000`;
}

/** Epoch ms of a backup-format time (which carries no zone but is UTC). */
export function parseBackupTime(value: string): number {
  return Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
}

/** Backup provider per resource type (GO-SDK field comment; the three OTC knows). */
export const PROVIDER_IDS: Record<string, string> = {
  'OS::Nova::Server': '0daac4c5-6707-4851-97ba-169e36266b66',
  'OS::Cinder::Volume': 'd1603440-187d-4516-af25-121250c7cc97',
  'OS::Sfs::Turbo': '3f3c3220-245c-4805-b811-758870015881',
};

/**
 * The fields of a stored vault (owned by the vault store, kept in wire shape) that backups depend on.
 * Read through this view so the backup logic does not depend on how the vault schema evolves.
 */
export interface VaultView {
  id: string;
  name: string;
  billing: { status: string; object_type: string; protect_type?: string | null; size: number };
  resources: VaultResourceView[];
}

export interface VaultResourceView {
  id: string;
  type: string;
  name?: string | null;
  size?: number | null;
  protect_status?: string | null;
  extra_info?: { exclude_volumes?: string[] | null } | null;
}

/** The vault `vaultId` of `project`, through the view backups need. */
export function vaultView(project: ProjectState, vaultId: string): VaultView | undefined {
  return project.vaults.get(vaultId) as unknown as VaultView | undefined;
}

/**
 * Used capacity of a vault in GB, as backups count it: the sizes of its completed top-level backups (a server backup's
 * size already covers its disks; protecting and failed backups occupy nothing yet).
 */
export function vaultUsedGb(project: ProjectState, vaultId: string): number {
  let used = 0;
  for (const backup of project.backups.values()) {
    if (backup.vault_id === vaultId && occupiesCapacity(backup)) used += backup.resource_size ?? 0;
  }
  return used;
}

// A set of strings: read schemas may type `status` as a plain string (values the real service adds must still parse).
const OCCUPYING = new Set<string>(['available', 'restoring', 'deleting'] satisfies BackupStatus[]);

/**
 * Whether a backup counts against its vault's capacity: a completed top-level backup (its size covers its disks)
 * until its deletion has finished. The one rule behind both the capacity check and the vault's `billing.used`.
 */
export function occupiesCapacity(backup: Backup): boolean {
  return backup.parent_id == null && OCCUPYING.has(backup.status);
}

/**
 * Moves the `protect_status` of a vault resource to `to` if the resource is still in the vault and in one of `from`
 * (if the vault store moved it meanwhile, e.g. to `removing`, that state wins). Unset counts as `available`.
 */
export function setResourceStatus(
  vault: VaultView | undefined,
  resourceId: string,
  from: readonly string[],
  to: 'available' | 'protecting' | 'restoring' | 'error',
): void {
  const resource = vault?.resources.find((r) => r.id === resourceId);
  if (!resource || !from.includes(resource.protect_status ?? 'available')) return;
  transition('resource', resource, to);
}

/** A resource may start a backup or restore from these protect states. */
const IDLE = ['available', 'error'] as const;

// ---- creation (called by the restore-point store) ----

export interface BeginBackupInput {
  vault: VaultView;
  resource: VaultResourceView;
  checkpointId: string;
  name: string;
  description: string | null;
  autoTrigger: boolean;
  /** `false` forces a full backup; otherwise incremental whenever the resource already has an available backup. */
  incremental: boolean | undefined;
  policyId: string | null;
  expiredAt: string | null;
}

/**
 * Creates the `protecting` backup of one vault resource (plus one child per backed-up disk of a server, honouring
 * `exclude_volumes`), marks the resource `protecting`, and starts its `backup` task. The caller completes it with
 * `completeBackup` once the work "ran".
 */
export function beginBackup(emulator: Emulator, project: ProjectState, input: BeginBackupInput): { backup: Backup; taskId: string } {
  const { vault, resource } = input;
  const now = backupTime(emulator.clock.now());
  const cloud = project.cloudResources.get(resource.id);
  const type = resource.type as ResourceType;
  const providerId = PROVIDER_IDS[type] ?? null;
  const incremental =
    input.incremental !== false &&
    [...project.backups.values()].some(
      (b) => b.resource_id === resource.id && b.vault_id === vault.id && b.parent_id == null && b.status === 'available',
    );
  const excluded = new Set(resource.extra_info?.exclude_volumes ?? []);
  const disks = type === 'OS::Nova::Server' ? (cloud?.disks ?? []).filter((disk) => !excluded.has(disk.id)) : [];
  const size =
    type === 'OS::Nova::Server' && cloud?.disks
      ? disks.reduce((sum, disk) => sum + disk.sizeGb, 0)
      : (cloud?.sizeGb ?? resource.size ?? 0);
  const id = emulator.ids.uuid();

  // One record shape for the server/disk/turbo backup and its disk backups, keys in the order of Table 4-180.
  const record = (fields: Pick<Backup, 'id' | 'name' | 'parent_id' | 'resource_id' | 'resource_type' | 'resource_name' | 'resource_size' | 'extend_info'>): Backup => ({
    id: fields.id,
    name: fields.name,
    description: input.description,
    status: 'protecting',
    checkpoint_id: input.checkpointId,
    project_id: project.id,
    vault_id: vault.id,
    parent_id: fields.parent_id,
    provider_id: providerId,
    image_type: 'backup',
    resource_id: fields.resource_id,
    resource_name: fields.resource_name,
    resource_type: fields.resource_type,
    resource_size: fields.resource_size,
    resource_az: cloud?.availabilityZone ?? null,
    created_at: now,
    updated_at: now,
    protected_at: null,
    expired_at: input.expiredAt,
    enterprise_project_id: '0',
    incremental,
    extend_info: fields.extend_info,
    replication_records: [],
    children: [],
  });
  const backup = record({
    id,
    name: input.name,
    parent_id: null,
    resource_id: resource.id,
    resource_type: type,
    resource_name: cloud?.name ?? resource.name ?? null,
    resource_size: size,
    extend_info: extendInfo(type, cloud, disks, resource.id, project, input.autoTrigger, incremental, emulator),
  });
  project.backups.set(id, backup);
  for (const disk of disks) {
    const child = record({
      id: emulator.ids.uuid(),
      name: `${input.name}_${disk.name}`,
      parent_id: id,
      resource_id: disk.id,
      resource_type: 'OS::Cinder::Volume',
      resource_name: disk.name,
      resource_size: disk.sizeGb,
      extend_info: backupExtendInfo('OS::Cinder::Volume', {
        autoTrigger: input.autoTrigger,
        incremental,
        bootable: disk.bootable,
        snapshotId: emulator.ids.uuid(),
        child: true,
      }),
    });
    project.backups.set(child.id, child);
  }
  setResourceStatus(vault, resource.id, IDLE, 'protecting');
  const task = createTask(emulator, project.id, {
    operation_type: 'backup',
    vault_id: vault.id,
    vault_name: vault.name,
    policy_id: input.policyId,
    checkpoint_id: input.checkpointId,
    provider_id: providerId,
    extra_info: {
      backup: { backup_id: id, backup_name: input.name, incremental: incremental ? 'true' : 'false' },
      resource: {
        id: resource.id,
        type,
        name: backup.resource_name ?? '',
        // The disks this backup leaves out, as the Resource of an operation log carries them (Table 4-12/4-13).
        ...(excluded.size > 0 ? { extra_info: { exclude_volumes: [...excluded] } } : {}),
      },
    },
  });
  return { backup, taskId: task.id };
}

function extendInfo(
  type: ResourceType,
  cloud: CloudResource | undefined,
  disks: NonNullable<CloudResource['disks']>,
  resourceId: string,
  project: ProjectState,
  autoTrigger: boolean,
  incremental: boolean,
  emulator: Emulator,
): BackupExtendInfo {
  return backupExtendInfo(type, {
    autoTrigger,
    incremental,
    containSystemDisk: cloud?.disks ? disks.some((disk) => disk.bootable) : true,
    bootable: type === 'OS::Cinder::Volume' && isBootableDisk(project, resourceId),
    snapshotId: type === 'OS::Cinder::Volume' ? emulator.ids.uuid() : null,
  });
}

/**
 * `extend_info` of a backup as the service writes it, per resource type: the one definition used by the store and
 * the demo dataset. A disk backup has a snapshot; a server backup says whether it holds the system disk; a disk
 * backup under a server backup (`child`) offers no restore mode of its own.
 */
export function backupExtendInfo(
  type: string,
  info: { autoTrigger: boolean; incremental: boolean; containSystemDisk?: boolean; bootable?: boolean; snapshotId?: string | null; child?: boolean },
): BackupExtendInfo {
  const common = { auto_trigger: info.autoTrigger, incremental: info.incremental, encrypted: false, is_multi_az: false, os_images_data: null };
  if (type === 'OS::Nova::Server') {
    return { ...common, supported_restore_mode: 'backup', contain_system_disk: info.containSystemDisk ?? true, support_lld: true, system_disk: false, bootable: null, snapshot_id: null };
  }
  if (type === 'OS::Cinder::Volume') {
    const bootable = info.bootable ?? false;
    return { ...common, supported_restore_mode: info.child ? null : 'backup', bootable, system_disk: bootable, snapshot_id: info.snapshotId ?? null, support_lld: true };
  }
  return { ...common, supported_restore_mode: 'backup', support_lld: false, bootable: null, snapshot_id: null };
}

/** Whether a disk is a system disk of some server of the project. */
function isBootableDisk(project: ProjectState, diskId: string): boolean {
  for (const resource of project.cloudResources.values()) {
    const disk = resource.disks?.find((d) => d.id === diskId);
    if (disk) return disk.bootable;
  }
  return false;
}

/**
 * Finishes the protection of a backup begun by `beginBackup`: `available` (children too), its task `success` and the
 * vault resource `available`; or `error` with a `failed` task when the vault would exceed its capacity
 * (BackupService.6114), or when the backup vanished meanwhile (vault deleted). Returns whether it succeeded.
 */
export function completeBackup(
  emulator: Emulator,
  projectId: string,
  backupId: string,
  taskId: string | undefined,
  resourceId: string,
  vaultId: string,
): boolean {
  const project = emulator.state.projects.get(projectId);
  if (!project) return false;
  const backup = project.backups.get(backupId);
  const vault = vaultView(project, vaultId);
  if (!backup || backup.status !== 'protecting') {
    const error = apiError('BackupService.6200');
    finishTask(emulator, projectId, taskId, 'failed', undefined, { code: error.code, message: error.message });
    setResourceStatus(vault, resourceId, ['protecting'], 'error');
    return false;
  }
  const now = backupTime(emulator.clock.now());
  const fits = !vault || vaultUsedGb(project, vaultId) + (backup.resource_size ?? 0) <= vault.billing.size;
  const to = fits ? 'available' : 'error';
  for (const record of [backup, ...childrenOf(project, backupId)]) {
    transition('backup', record, to);
    record.updated_at = now;
    if (fits) record.protected_at = now;
  }
  if (fits) {
    finishTask(emulator, projectId, taskId, 'success');
  } else {
    const error = apiError('BackupService.6114');
    finishTask(emulator, projectId, taskId, 'failed', undefined, { code: error.code, message: error.message });
  }
  setResourceStatus(vault, resourceId, ['protecting'], fits ? 'available' : 'error');
  return fits;
}

// ---- reads ----

/** The stored disk backups of a server backup, in creation order. */
export function childrenOf(project: ProjectState, backupId: string): Backup[] {
  return [...project.backups.values()].filter((backup) => backup.parent_id === backupId);
}

/**
 * A backup as a viewer sees it. GET answers it with its children expanded; lists answer `children: []` (both doc list
 * examples show server backups with empty `children`, while the GET example expands them). A receiving project that
 * accepted a share sees the vault it accepted into as `vault_id`, the source `project_id` unchanged (TF-HWC's share
 * accepter reads both back).
 */
function render(project: ProjectState, backup: Backup, expand: boolean, member?: Member): Backup {
  // Disk backups have no children of their own: rendering them unexpanded spares a scan of the backups each.
  const children = expand ? childrenOf(project, backup.id).map((child) => render(project, child, false, member)) : [];
  return { ...backup, vault_id: viewedVaultId(backup, member), children };
}

/** The `vault_id` a viewer sees: the vault it accepted a shared backup into, else the backup's own. */
function viewedVaultId(backup: Backup, member: Member | undefined): string {
  return member?.status === 'accepted' && member.vault_id ? member.vault_id : backup.vault_id;
}

/** A backup of another project that `viewerId` is a member of, with that membership. */
interface SharedEntry {
  owner: ProjectState;
  backup: Backup;
  member: Member;
}

/** Backups of other projects shared with `viewerId` (the shared backups and their disk backups). */
function sharedWith(emulator: Emulator, viewerId: string): SharedEntry[] {
  const entries: SharedEntry[] = [];
  for (const owner of emulator.state.projects.values()) {
    if (owner.id === viewerId) continue;
    for (const [backupId, members] of owner.shareMembers) {
      const member = members.get(viewerId);
      const backup = owner.backups.get(backupId);
      if (!member || !backup) continue;
      entries.push({ owner, backup, member });
      for (const child of childrenOf(owner, backupId)) entries.push({ owner, backup: child, member });
    }
  }
  return entries;
}

/** The share through which `viewerId` reads `backupId` (a server backup or one of its disk backups), unless rejected. */
function readableShare(emulator: Emulator, viewerId: string, backupId: string): SharedEntry | undefined {
  return sharedWith(emulator, viewerId).find((e) => e.backup.id === backupId && e.member.status !== 'rejected');
}

/** Whether `viewerId` can read `backupId` as a backup another project shares with it (pending or accepted). */
function isReadableShare(emulator: Emulator, viewerId: string, backupId: string): boolean {
  return readableShare(emulator, viewerId, backupId) !== undefined;
}

/**
 * A backup of the project itself; 404 BackupService.6200 otherwise. `whenShared` is the refusal for a backup the
 * project does not own but reads through a share: answering 6200 "The backup does not exist." there would contradict
 * its own GET.
 */
export function getOwnBackup(emulator: Emulator, projectId: string, backupId: string, whenShared?: () => ApiError): Backup {
  const backup = emulator.state.project(projectId).backups.get(backupId);
  if (backup) return backup;
  if (whenShared && isReadableShare(emulator, projectId, backupId)) throw whenShared();
  throw apiError('BackupService.6200');
}

/**
 * `GET /backups/{id}`: a backup of the project, or one shared with it that it has not rejected (a pending share can
 * be inspected before accepting). 404 BackupService.6200 otherwise.
 */
export function getBackup(emulator: Emulator, projectId: string, backupId: string): Backup {
  const project = emulator.state.project(projectId);
  const own = project.backups.get(backupId);
  if (own) return render(project, own, true);
  const shared = readableShare(emulator, projectId, backupId);
  if (shared) return render(shared.owner, shared.backup, true, shared.member);
  throw apiError('BackupService.6200');
}

/**
 * `GET /backups` (4.5.2).
 * - Whose: `own_type` `private` (default) = the project's own, `shared` = shared with it (any member status unless
 *   `member_status` says), `all_granted` = both.
 * - Top level only: disk backups of a server backup are listed only when asked for with `parent_id` (they belong to
 *   their server backup, which GET expands; this keeps `count` a count of restorable backups).
 * - `name`, `resource_name` etc. match exactly; `start_time`/`end_time` bound `created_at` (inclusive);
 *   `member_status` on own backups keeps those with a member in that status; `used_percent` keeps backups occupying
 *   at least that share of their vault's capacity; `dec` and `show_replication` have no effect here.
 * - `sort` `key[:asc|desc],…` (direction default desc; nulls sort as largest), default `created_at` newest first; then
 *   `marker` (the rows after that backup id; an id not in the result is 400), `offset`, `limit` (default 1000).
 *   `count` is the number matching before paging.
 */
export function listBackups(
  emulator: Emulator,
  projectId: string,
  query: BackupListQuery,
): { backups: Backup[]; count: number; offset: number; limit: number } {
  const project = emulator.state.project(projectId);
  const ownType = query.own_type ?? 'private';
  // Rows hold the stored records; only the page is rendered (a project holds hundreds of backups, a page a few).
  const rows: ListRow[] = [];
  if (ownType !== 'shared') {
    for (const backup of project.backups.values()) rows.push({ id: backup.id, owner: project, stored: backup });
  }
  if (ownType !== 'private') {
    for (const entry of sharedWith(emulator, projectId)) {
      rows.push({ id: entry.backup.id, owner: entry.owner, stored: entry.backup, member: entry.member });
    }
  }
  const start = query.start_time ? Date.parse(query.start_time) : undefined;
  const end = query.end_time ? Date.parse(query.end_time) : undefined;
  const matching = rows.filter(({ owner, member, stored }) => {
    if (query.parent_id !== undefined ? stored.parent_id !== query.parent_id : stored.parent_id != null) return false;
    if (query.checkpoint_id !== undefined && stored.checkpoint_id !== query.checkpoint_id) return false;
    if (query.image_type !== undefined && stored.image_type !== query.image_type) return false;
    if (query.name !== undefined && stored.name !== query.name) return false;
    if (query.resource_az !== undefined && stored.resource_az !== query.resource_az) return false;
    if (query.resource_id !== undefined && stored.resource_id !== query.resource_id) return false;
    if (query.resource_name !== undefined && stored.resource_name !== query.resource_name) return false;
    if (query.resource_type !== undefined && stored.resource_type !== query.resource_type) return false;
    if (query.status !== undefined && !(query.status as string[]).includes(stored.status)) return false;
    if (query.vault_id !== undefined && viewedVaultId(stored, member) !== query.vault_id) return false;
    if (query.incremental !== undefined && (stored.extend_info?.incremental ?? false) !== query.incremental) return false;
    if (query.enterprise_project_id !== undefined && !['all_granted_eps', stored.enterprise_project_id].includes(query.enterprise_project_id)) {
      return false;
    }
    if (start !== undefined || end !== undefined) {
      const created = parseBackupTime(stored.created_at);
      if (start !== undefined && created < start) return false;
      if (end !== undefined && created > end) return false;
    }
    if (query.member_status !== undefined) {
      const statuses = member ? [member.status] : [...(owner.shareMembers.get(stored.parent_id ?? stored.id)?.values() ?? [])].map((m) => m.status);
      if (!statuses.includes(query.member_status)) return false;
    }
    if (query.used_percent !== undefined) {
      const size = vaultView(owner, stored.vault_id)?.billing.size;
      if (!size || ((stored.resource_size ?? 0) * 100) / size < query.used_percent) return false;
    }
    return true;
  });
  // The sort keys (BackupSortKeys) are fields a view shares with its stored record.
  const sorted = sortRecords(matching, query.sort ?? 'created_at', (row) => row.stored);
  const page = pageAfterMarker(sorted, query.marker, query.offset ?? 0, query.limit ?? 1000);
  return {
    backups: page.map((row) => render(row.owner, row.stored, false, row.member)),
    count: matching.length,
    offset: query.offset ?? 0,
    limit: query.limit ?? 1000,
  };
}

/** A candidate of the backup list: a stored backup, its owner and, for a shared one, the viewer's membership. */
interface ListRow {
  id: string;
  owner: ProjectState;
  stored: Backup;
  member?: Member;
}

/**
 * Sorts by a validated `key[:asc|desc],…` spec; a key without direction sorts descending (the documented default).
 * Nulls sort as the largest value, like the SQL databases behind such APIs. Ties keep their incoming order.
 * `fieldsOf` gives the record whose fields are compared (default: the record itself).
 */
export function sortRecords<T extends object>(records: T[], spec: string, fieldsOf: (record: T) => object = (record) => record): T[] {
  const keys = spec.split(',').map((part) => {
    const [key = '', direction = 'desc'] = part.split(':');
    return { key, sign: direction === 'asc' ? 1 : -1 };
  });
  return [...records].sort((a, b) => {
    for (const { key, sign } of keys) {
      const x = (fieldsOf(a) as Record<string, unknown>)[key];
      const y = (fieldsOf(b) as Record<string, unknown>)[key];
      const order = compareValues(x, y);
      if (order !== 0) return order * sign;
    }
    return 0;
  });
}

function compareValues(x: unknown, y: unknown): number {
  if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const a = String(x);
  const b = String(y);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The rows after the row whose `id` is `marker` (400 if none), then `offset` and `limit`. */
export function pageAfterMarker<T extends { id: string }>(rows: T[], marker: string | undefined, offset: number, limit: number): T[] {
  let from = 0;
  if (marker !== undefined) {
    const index = rows.findIndex((row) => row.id === marker);
    if (index < 0) throw invalidParameter(`marker ${marker} is not in the result`);
    from = index + 1;
  }
  return rows.slice(from + offset, from + offset + limit);
}

// ---- delete ----

/**
 * `DELETE /backups/{id}`: the backup (and its disk backups) go `deleting`, a `delete` task runs, and one step later
 * they are gone (GET answers 404, as GOPHER's waitForBackupDelete polls for). Only an `available` or failed top-level
 * backup can be deleted (BackupService.6201 otherwise: a disk backup goes with its server backup).
 * A backup shared with the project (which its GET answers) is not the receiver's to delete: 400 BackupService.6201
 * "The backup cannot be deleted." naming the share; the receiver ends a share by rejecting it (PUT member `rejected`,
 * as TF-HWC's share accepter does on destroy), the owner by deleting the member or the backup.
 */
export function deleteBackup(emulator: Emulator, projectId: string, backupId: string): void {
  const project = emulator.state.project(projectId);
  const backup = getOwnBackup(emulator, projectId, backupId, () =>
    apiError('BackupService.6201', 'the backup is shared with this project; reject the share instead'),
  );
  if (backup.parent_id != null || !canTransition('backup', backup.status, 'deleting')) {
    throw apiError('BackupService.6201', `the backup is ${backup.parent_id != null ? 'a disk backup of a server backup' : backup.status}`);
  }
  const now = backupTime(emulator.clock.now());
  for (const record of [backup, ...childrenOf(project, backupId)]) {
    transition('backup', record, 'deleting');
    record.updated_at = now;
  }
  const vault = vaultView(project, backup.vault_id);
  const task = createTask(emulator, projectId, {
    operation_type: 'delete',
    vault_id: backup.vault_id,
    vault_name: vault?.name ?? null,
    checkpoint_id: backup.checkpoint_id,
    provider_id: backup.provider_id ?? null,
    extra_info: {
      delete: { backup_id: backup.id, backup_name: backup.name },
      resource: { id: backup.resource_id, type: backup.resource_type, name: backup.resource_name ?? '' },
    },
  });
  scheduleSteps(emulator, projectId, [backupDeleteCompleteStep({ backupId, taskId: task.id })]);
}

/**
 * The end of a backup's deletion: the backup and its disk backups are gone, the `delete` task succeeds. A backup that
 * went away meanwhile (with its vault) changes nothing: the deletion still reached its goal.
 */
/** Step: the end of a backup's deletion (`completeBackupDelete`). */
export const backupDeleteCompleteStep = stepKind('backup.delete.complete', (emulator, projectId, args: { backupId: string; taskId?: string }) =>
  completeBackupDelete(emulator, projectId, args.backupId, args.taskId),
);

export function completeBackupDelete(emulator: Emulator, projectId: string, backupId: string, taskId: string | undefined): void {
  removeBackups(emulator, projectId, [backupId]);
  finishTask(emulator, projectId, taskId, 'success');
}

/**
 * Removes backups at once, with their disk backups and share members (vault deletion, retention, finished deletes).
 * Unknown ids are ignored; a missing project (reset) is a no-op.
 */
export function removeBackups(emulator: Emulator, projectId: string, backupIds: string[]): void {
  const project = emulator.state.projects.get(projectId);
  if (!project) return;
  for (const id of backupIds) {
    for (const child of childrenOf(project, id)) {
      project.backups.delete(child.id);
      project.shareMembers.delete(child.id);
    }
    project.backups.delete(id);
    project.shareMembers.delete(id);
  }
}

// ---- restore ----

/**
 * `POST /backups/{id}/restore` (4.5.4): validates the target per resource type, then the backup goes `restoring`
 * (its disk backups too), the vault resource `restoring`, a `restore` task runs; two steps later all are back to
 * `available` and the task `success`. Returns the task id (answered as `job_id`).
 *
 * Server backups need `server_id` (the source server: 2003 otherwise) and at least one mapping, each disk backup and each
 * disk at most once (9900, `checkMappings`), from its disk backups to disks of that server; disk backups need `volume_id`; SFS Turbo backups restore only to their own file system (7510).
 */
export function restoreBackup(emulator: Emulator, projectId: string, backupId: string, body: BackupRestore): string {
  const project = emulator.state.project(projectId);
  const backup = getOwnBackup(emulator, projectId, backupId);
  if (backup.status === 'restoring') throw apiError('BackupService.2010');
  if (!canTransition('backup', backup.status, 'restoring')) throw apiError('BackupService.2005', `the backup is ${backup.status}`);
  const vault = vaultView(project, backup.vault_id);
  if (vault && vault.billing.status !== 'available') throw apiError('BackupService.6202');

  const target = restoreTarget(project, backup, body);
  const busy = [...project.backups.values()].filter((b) => b.resource_id === backup.resource_id && b.id !== backup.id);
  if (busy.some((b) => b.status === 'protecting')) throw apiError('BackupService.2002');
  if (busy.some((b) => b.status === 'restoring')) throw apiError('BackupService.2010');

  const now = backupTime(emulator.clock.now());
  const records = [backup, ...childrenOf(project, backupId)];
  for (const record of records) {
    transition('backup', record, 'restoring');
    record.updated_at = now;
  }
  setResourceStatus(vault, backup.resource_id, IDLE, 'restoring');
  const task = createTask(emulator, projectId, {
    operation_type: 'restore',
    vault_id: backup.vault_id,
    vault_name: vault?.name ?? null,
    checkpoint_id: backup.checkpoint_id,
    provider_id: backup.provider_id ?? null,
    extra_info: {
      restore: { backup_id: backup.id, backup_name: backup.name, target_resource_id: target.id, target_resource_name: target.name },
      resource: { id: backup.resource_id, type: backup.resource_type, name: backup.resource_name ?? '' },
    },
  });
  scheduleSteps(emulator, projectId, [taskProgressStep({ taskIds: [task.id], progress: 50 }), restoreCompleteStep({ backupId, taskId: task.id })]);
  return task.id;
}

/**
 * The end of a restore: the backup and its disk backups are `available` again, so is the vault resource, and the
 * `restore` task succeeds. A backup that went away meanwhile (with its vault) leaves only the task to finish.
 */
/** Step: the end of a restore (`completeRestore`). */
export const restoreCompleteStep = stepKind('backup.restore.complete', (emulator, projectId, args: { backupId: string; taskId?: string }) =>
  completeRestore(emulator, projectId, args.backupId, args.taskId),
);

export function completeRestore(emulator: Emulator, projectId: string, backupId: string, taskId: string | undefined): void {
  const project = emulator.state.projects.get(projectId);
  const backup = project?.backups.get(backupId);
  if (project && backup) {
    const at = backupTime(emulator.clock.now());
    for (const record of [backup, ...childrenOf(project, backupId)]) {
      if (record.status !== 'restoring') continue;
      transition('backup', record, 'available');
      record.updated_at = at;
    }
    setResourceStatus(vaultView(project, backup.vault_id), backup.resource_id, ['restoring'], 'available');
  }
  finishTask(emulator, projectId, taskId, 'success');
}

/** Checks the restore body against the backup and the cloud; the resource restored into. */
function restoreTarget(project: ProjectState, backup: Backup, body: BackupRestore): { id: string; name: string } {
  const cloud = project.cloudResources;
  switch (backup.resource_type) {
    case 'OS::Nova::Server': {
      // 4.5.4: mappings and server_id are "mandatory for VM restoration".
      if (body.server_id === undefined) throw invalidParameter('restore.server_id is mandatory for a server backup');
      if (body.mappings === undefined) throw invalidParameter('restore.mappings is mandatory for a server backup');
      checkMappings(body.mappings);
      const server = cloud.get(body.server_id);
      if (!server || server.type !== 'OS::Nova::Server') throw apiError('BackupService.7100');
      if (body.server_id !== backup.resource_id) throw apiError('BackupService.2003');
      const children = new Map(childrenOf(project, backup.id).map((child) => [child.id, child]));
      body.mappings.forEach((mapping, i) => {
        const child = children.get(mapping.backup_id);
        if (!child) throw invalidParameter(`restore.mappings.${i}.backup_id is not a disk backup of backup ${backup.id}`);
        const disk = server.disks?.find((d) => d.id === mapping.volume_id);
        if (!disk) {
          if (!findDisk(project, mapping.volume_id)) throw apiError('BackupService.7000', `restore.mappings.${i}.volume_id`);
          throw apiError('BackupService.2012', `disk ${mapping.volume_id} is not attached to server ${server.id}`);
        }
        if (child.extend_info?.bootable === false && disk.bootable) throw apiError('BackupService.2013');
        if (disk.sizeGb < (child.resource_size ?? 0)) throw apiError('BackupService.2001');
      });
      return { id: server.id, name: server.name };
    }
    case 'OS::Cinder::Volume': {
      if (body.volume_id === undefined) throw invalidParameter('restore.volume_id is mandatory for a disk backup');
      const disk = findDisk(project, body.volume_id);
      if (!disk) throw apiError('BackupService.7000');
      if (disk.sizeGb < (backup.resource_size ?? 0)) throw apiError('BackupService.2001');
      return { id: disk.id, name: disk.name };
    }
    case 'OS::Sfs::Turbo': {
      const id = body.resource_id ?? backup.resource_id;
      if (id !== backup.resource_id) throw apiError('BackupService.7510');
      const turbo = cloud.get(id);
      if (!turbo) throw apiError('BackupService.7500');
      return { id, name: turbo.name };
    }
    default:
      throw apiError('BackupService.6116');
  }
}

/**
 * The mappings of a server restore as a list, before they are checked against the backup and the server. Table 4-197
 * makes `mappings` "mandatory for VM restoration", so an empty list (which restores nothing) is refused like a missing
 * one; each disk backup is restored once (a repeated `backup_id`, the same mapping listed twice included) and each disk
 * receives one backup (a repeated `volume_id`). The error table names no code for these, so they are BackupService.9900
 * "Parameter verification failed." naming the offending entry, as every other request-parameter error of the emulator.
 */
function checkMappings(mappings: readonly BackupRestoreMapping[]): void {
  if (mappings.length === 0) throw invalidParameter('restore.mappings must contain at least 1 items for a server backup');
  const backups = new Map<string, number>();
  const volumes = new Map<string, number>();
  mappings.forEach((mapping, i) => {
    const mapped = backups.get(mapping.backup_id);
    if (mapped !== undefined) {
      throw invalidParameter(`restore.mappings.${i}.backup_id ${mapping.backup_id} is already mapped by restore.mappings.${mapped}`);
    }
    const target = volumes.get(mapping.volume_id);
    if (target !== undefined) {
      throw invalidParameter(`restore.mappings.${i}.volume_id ${mapping.volume_id} is already the target of restore.mappings.${target}`);
    }
    backups.set(mapping.backup_id, i);
    volumes.set(mapping.volume_id, i);
  });
}

/** A disk of the project: a volume resource or a disk attached to a server. */
function findDisk(project: ProjectState, diskId: string): { id: string; name: string; sizeGb: number } | undefined {
  const volume = project.cloudResources.get(diskId);
  if (volume?.type === 'OS::Cinder::Volume') return volume;
  for (const resource of project.cloudResources.values()) {
    const disk = resource.disks?.find((d) => d.id === diskId);
    if (disk) return disk;
  }
  return undefined;
}

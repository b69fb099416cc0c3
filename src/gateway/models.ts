/**
 * Parent values of GraphQL object types that no single wire payload backs (the codegen mappers point here).
 * They carry ids, not loaded objects, so the edges they lead to are fetched only when selected.
 */
import type { Checkpoint } from '../upstream/schemas/restore-point';
import type { ResourceResp } from '../upstream/schemas/resource';
import type { OpExtraInfo } from '../upstream/schemas/task';
import type { Vault } from '../upstream/schemas/vault';
import type { VbsPolicyResourcesResponse } from '../upstream/schemas/vbs-policy';

/** A resource as its vault lists it, with that vault: `ProtectedResource.vault` costs no upstream call. */
export interface ProtectedResourceParent {
  resource: ResourceResp;
  vault: Vault;
}

/** A Server or Volume federation entity (server.graphql, volume.graphql): another subgraph owns it; here only its id. */
export interface ResourceEntity {
  id: string;
}

export interface AddVaultResourcesResult {
  vaultId: string;
  addedResourceIds: string[];
}

export interface RemoveVaultResourcesResult {
  vaultId: string;
  removedResourceIds: string[];
}

export interface MigrateVaultResourcesResult {
  sourceVaultId: string;
  destinationVaultId: string;
  migratedResourceIds: string[];
}

export interface VbsPolicyResult {
  policyId: string;
}

export interface VbsPolicyResourcesResult {
  policyId: string;
  outcome: VbsPolicyResourcesResponse;
}

// ---- backup / restore-point / task / share-member ----

/** The `extra_info` parts of an operation log, typed from the wire schema (task.ts exports only their zod values). */
export type TaskRestoreInfo = NonNullable<OpExtraInfo['restore']>;
export type TaskDeleteInfo = NonNullable<OpExtraInfo['delete']>;
export type TaskSyncInfo = NonNullable<OpExtraInfo['sync']>;
export type TaskRemoveResourcesInfo = NonNullable<OpExtraInfo['remove_resources']>;
export type TaskVaultDeleteInfo = NonNullable<OpExtraInfo['vault_delete']>;
export type TaskReplicationInfo = NonNullable<OpExtraInfo['replication']>;

/** A new restore point: its backups and its task are looked up only when selected. */
export interface CreateRestorePointResult {
  restorePoint: Checkpoint;
}

/** A started restore: `jobId` is the operation log the service named (Huawei Cloud does; OTC documents no body). */
export interface RestoreBackupResult {
  backupId: string;
  jobId: string | null;
}

/** An accepted backup deletion; the task is searched only when selected. */
export interface DeleteBackupResult {
  backupId: string;
}

export interface DeleteShareMemberResult {
  backupId: string;
  memberId: string;
}

/** A changed set of vault tags: the vault is read again only when selected. */
export interface VaultTagsResult {
  vaultId: string;
}

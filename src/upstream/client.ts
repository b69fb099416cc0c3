/**
 * The typed CBR v3 / VBS v2 client: one method per REST operation, wire-typed (snake_case in and out).
 * Request bodies are the whole wire body (`{ vault: {…} }`, or the unwrapped ones as the API takes them);
 * single-object response envelopes are unwrapped (`getVault` → `Vault`), lists and results come back as the body.
 */
import type { Http, HttpMethod } from './http';
import { path } from './url';
import type { Query } from './url';
import type { z } from 'zod';
import {
  BackupList,
  BackupListUnrolled,
  BackupResponse,
  BackupResponseUnrolled,
  BackupRestoreResponse,
  type BackupListQuery,
  type BackupRestoreRequest,
} from './schemas/backup';
import { PolicyList, PolicyResponse, type PolicyCreateRequest, type PolicyListQuery, type PolicyUpdateRequest } from './schemas/policy';
import {
  AddResourcesResponse,
  MigrateResourcesResponse,
  RemoveResourcesResponse,
  type AddResourcesRequest,
  type MigrateResourcesRequest,
  type RemoveResourcesRequest,
} from './schemas/resource';
import { ProtectableList, ProtectableResponse, type ProtectableListQuery, type ProtectableType } from './schemas/protectable';
import { CheckpointResponse, type CreateCheckpointRequest } from './schemas/restore-point';
import { VaultSummary } from './schemas/vault-summary';
import {
  BackupReplicateResponse,
  CheckpointReplicateResponse,
  type BackupReplicateRequest,
  type CheckpointReplicateRequest,
} from './schemas/replication';
import {
  ProjectTagList,
  VaultResourceInstances,
  VaultTagList,
  type CreateVaultTagRequest,
  type VaultResourceInstancesRequest,
  type VaultTagActionRequest,
} from './schemas/vault-tag';
import {
  MemberList,
  MemberResponse,
  type AddMembersRequest,
  type MemberListQuery,
  type UpdateMemberRequest,
} from './schemas/share-member';
import { TaskList, TaskResponse, type TaskListQuery } from './schemas/task';
import {
  AssociatePolicyResponse,
  DissociatePolicyResponse,
  VaultList,
  VaultResponse,
  type AssociatePolicyRequest,
  type DissociatePolicyRequest,
  type VaultCreateRequest,
  type VaultListQuery,
  type VaultUpdateRequest,
} from './schemas/vault';
import {
  CreateVbsPolicyResponse,
  ListVbsPoliciesResponse,
  UpdateVbsPolicyResponse,
  VbsPolicyResourcesResponse,
  type AssociateVbsPolicyResourcesRequest,
  type CreateVbsPolicyRequest,
  type DisassociateVbsPolicyResourcesRequest,
  type UpdateVbsPolicyRequest,
} from './schemas/vbs-policy';

export interface CbrClientOptions {
  /** Pipeline to the CBR v3 endpoint (`https://cbr.<region>…`), carrying the credentials. */
  http: Http;
  /** Pipeline to the VBS v2 endpoint when it is another host (`https://vbs.<region>…`). Default: `http`. */
  vbsHttp?: Http;
  /** Project of `/v3/{project_id}` and `/v2/{project_id}` paths. Default: the credentials' project (password flow: from IAM). */
  projectId?: string;
  /** Aborts every call of this client (the GraphQL request was cancelled). */
  signal?: AbortSignal;
  /** Absolute deadline (epoch ms) for every call of this client, e.g. the GraphQL request's own deadline. */
  deadline?: number;
}

/** Creates the client. Cheap: the gateway makes one per GraphQL request, bound to the caller's credentials. */
export function createCbrClient(options: CbrClientOptions) {
  const cbr = options.http;
  const vbs = options.vbsHttp ?? options.http;
  let project: Promise<string> | undefined = options.projectId !== undefined ? Promise.resolve(options.projectId) : undefined;

  function projectId(): Promise<string> {
    if (project) return project;
    const credentials = cbr.credentials;
    if (!credentials) return Promise.reject(new Error('createCbrClient needs projectId or an http with credentials'));
    // Memoised for the client's life; a failure is not, so the next call asks again.
    project = credentials.projectId().catch((error: unknown) => {
      project = undefined;
      throw error;
    });
    return project;
  }

  interface Call<T> {
    method: HttpMethod;
    /** Builds the path from the project id; must use the `path` tag so ids are encoded. */
    path: (projectId: string) => string;
    query?: Query;
    body?: unknown;
    schema?: z.ZodType<T>;
    /** See `RequestOptions.fastSchema`. */
    fastSchema?: z.ZodType<T>;
  }

  async function call<T = undefined>(http: Http, req: Call<T>): Promise<T> {
    const p = await projectId();
    return http.request<T>({
      method: req.method,
      path: req.path(p),
      query: req.query,
      body: req.body,
      schema: req.schema,
      fastSchema: req.fastSchema,
      signal: options.signal,
      deadline: options.deadline,
    });
  }

  return {
    /** The project every path is built with. */
    projectId,

    // ---- vaults ----------------------------------------------------------------------------------------------
    async createVault(body: VaultCreateRequest) {
      return (await call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/vaults`, body, schema: VaultResponse })).vault;
    },
    async getVault(id: string) {
      return (await call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/vaults/${id}`, schema: VaultResponse })).vault;
    },
    /** `{ vaults, count, limit?, offset? }`; `count` is the number of matches, not the page size. */
    listVaults(query: VaultListQuery = {}) {
      return call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/vaults`, query, schema: VaultList });
    },
    async updateVault(id: string, body: VaultUpdateRequest) {
      return (await call(cbr, { method: 'PUT', path: (p) => path`/v3/${p}/vaults/${id}`, body, schema: VaultResponse })).vault;
    },
    /** 204; deletion then continues asynchronously (GET answers `deleting`, later 404). */
    async deleteVault(id: string): Promise<void> {
      await call(cbr, { method: 'DELETE', path: (p) => path`/v3/${p}/vaults/${id}` });
    },
    /** `{ add_resource_ids }` */
    addVaultResources(id: string, body: AddResourcesRequest) {
      return call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/vaults/${id}/addresources`, body, schema: AddResourcesResponse });
    },
    /** `{ remove_resource_ids }` */
    removeVaultResources(id: string, body: RemoveResourcesRequest) {
      return call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/vaults/${id}/removeresources`, body, schema: RemoveResourcesResponse });
    },
    /** `{ migrated_resources }` */
    migrateVaultResources(id: string, body: MigrateResourcesRequest) {
      return call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/vaults/${id}/migrateresources`, body, schema: MigrateResourcesResponse });
    },
    /** `{ vault_id, policy_id, destination_vault_id? }` from `associate_policy`. */
    async associateVaultPolicy(id: string, body: AssociatePolicyRequest) {
      const res = await call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/vaults/${id}/associatepolicy`, body, schema: AssociatePolicyResponse });
      return res.associate_policy;
    },
    /** `{ vault_id, policy_id }` from `dissociate_policy` (the path really is `dissociatepolicy`). */
    async dissociateVaultPolicy(id: string, body: DissociatePolicyRequest) {
      const res = await call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/vaults/${id}/dissociatepolicy`, body, schema: DissociatePolicyResponse });
      return res.dissociate_policy;
    },

    // ---- policies --------------------------------------------------------------------------------------------
    async createPolicy(body: PolicyCreateRequest) {
      return (await call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/policies`, body, schema: PolicyResponse })).policy;
    },
    async getPolicy(id: string) {
      return (await call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/policies/${id}`, schema: PolicyResponse })).policy;
    },
    /** `{ policies, count }` (not paginated by the API). */
    listPolicies(query: PolicyListQuery = {}) {
      return call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/policies`, query, schema: PolicyList });
    },
    async updatePolicy(id: string, body: PolicyUpdateRequest) {
      return (await call(cbr, { method: 'PUT', path: (p) => path`/v3/${p}/policies/${id}`, body, schema: PolicyResponse })).policy;
    },
    async deletePolicy(id: string): Promise<void> {
      await call(cbr, { method: 'DELETE', path: (p) => path`/v3/${p}/policies/${id}` });
    },

    // ---- backups ---------------------------------------------------------------------------------------------
    async getBackup(id: string) {
      const res = await call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/backups/${id}`, schema: BackupResponse, fastSchema: BackupResponseUnrolled });
      return res.backup;
    },
    /** `{ backups, count, offset?, limit? }`; `status` may be a list (sent as repeated keys). */
    listBackups(query: BackupListQuery = {}) {
      return call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/backups`, query, schema: BackupList, fastSchema: BackupListUnrolled });
    },
    /** 204; deletion continues asynchronously (clients poll GET until 404). */
    async deleteBackup(id: string): Promise<void> {
      await call(cbr, { method: 'DELETE', path: (p) => path`/v3/${p}/backups/${id}` });
    },
    /** 202 `{ job_id? }`: the operation log to poll when the service names one (Huawei Cloud does, OTC documents no body). */
    async restoreBackup(id: string, body: BackupRestoreRequest): Promise<{ job_id?: string | null }> {
      const res = await call(cbr, {
        method: 'POST',
        path: (p) => path`/v3/${p}/backups/${id}/restore`,
        body,
        schema: BackupRestoreResponse.optional(),
      });
      return res ?? {};
    },

    /** `{ size, used_size }`: total and used capacity (GB) of every vault of the project (Huawei Cloud ShowSummary). */
    getVaultSummary() {
      return call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/vaults/summary`, schema: VaultSummary });
    },

    // ---- vault tags (under the singular /vault/ prefix) ------------------------------------------------------
    /** `{ tags }` of one vault. */
    listVaultTags(vaultId: string) {
      return call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/vault/${vaultId}/tags`, schema: VaultTagList });
    },
    /** 204: one tag created, or its key given the new value. */
    async createVaultTag(vaultId: string, body: CreateVaultTagRequest): Promise<void> {
      await call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/vault/${vaultId}/tags`, body });
    },
    /** 204: up to 10 tags created (or updated) or deleted at once. */
    async vaultTagAction(vaultId: string, body: VaultTagActionRequest): Promise<void> {
      await call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/vault/${vaultId}/tags/action`, body });
    },
    /** 204; 404 BackupService.6601 when the vault has no such key. */
    async deleteVaultTag(vaultId: string, key: string): Promise<void> {
      await call(cbr, { method: 'DELETE', path: (p) => path`/v3/${p}/vault/${vaultId}/tags/${key}` });
    },
    /** `{ tags: [{ key, values }] }`: every tag key of the project's vaults. */
    listProjectVaultTags() {
      return call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/vault/tags`, schema: ProjectTagList });
    },
    /** `{ resources?, total_count }`: the vaults matching tag conditions (a POST that only reads). */
    queryVaultsByTags(body: VaultResourceInstancesRequest) {
      return call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/vault/resource_instances/action`, body, schema: VaultResourceInstances });
    },

    // ---- protectable resources ------------------------------------------------------------------------------
    /** `{ instances }` (no count): servers or disks with whether each can be protected now. */
    listProtectables(type: ProtectableType, query: ProtectableListQuery = {}) {
      return call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/protectables/${type}/instances`, query, schema: ProtectableList });
    },
    async getProtectable(type: ProtectableType, id: string) {
      return (await call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/protectables/${type}/instances/${id}`, schema: ProtectableResponse })).instance;
    },

    /** 200 `{ replication }`: the copy to another project/region is started (a POST: never retried). */
    async replicateBackup(id: string, body: BackupReplicateRequest) {
      return (await call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/backups/${id}/replicate`, body, schema: BackupReplicateResponse })).replication;
    },

    /** 200 `{ replication: { backups: [{ backup_id, replication_record_id }], … } }`: a vault's unreplicated backups. */
    async replicateCheckpoint(body: CheckpointReplicateRequest) {
      return (await call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/checkpoints/replicate`, body, schema: CheckpointReplicateResponse })).replication;
    },

    // ---- restore points (checkpoints) ------------------------------------------------------------------------
    /** Starts a backup of the vault's resources; the checkpoint answers `protecting` until it is `available`. */
    async createRestorePoint(body: CreateCheckpointRequest) {
      return (await call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/checkpoints`, body, schema: CheckpointResponse })).checkpoint;
    },
    async getRestorePoint(id: string) {
      return (await call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/checkpoints/${id}`, schema: CheckpointResponse })).checkpoint;
    },

    // ---- tasks (operation logs) ------------------------------------------------------------------------------
    async getTask(id: string) {
      return (await call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/operation-logs/${id}`, schema: TaskResponse })).operation_log;
    },
    /** `{ operation_logs, count, limit?, offset? }` */
    listTasks(query: TaskListQuery = {}) {
      return call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/operation-logs`, query, schema: TaskList });
    },

    // ---- share members ---------------------------------------------------------------------------------------
    /** `{ members, count? }`: the members created. */
    addShareMembers(backupId: string, body: AddMembersRequest) {
      return call(cbr, { method: 'POST', path: (p) => path`/v3/${p}/backups/${backupId}/members`, body, schema: MemberList });
    },
    /** Accept/reject as the receiving project; `memberId` is that project's id. */
    async updateShareMember(backupId: string, memberId: string, body: UpdateMemberRequest) {
      const res = await call(cbr, {
        method: 'PUT',
        path: (p) => path`/v3/${p}/backups/${backupId}/members/${memberId}`,
        body,
        schema: MemberResponse,
      });
      return res.member;
    },
    async getShareMember(backupId: string, memberId: string) {
      const res = await call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/backups/${backupId}/members/${memberId}`, schema: MemberResponse });
      return res.member;
    },
    /** `{ members, count? }` */
    listShareMembers(backupId: string, query: MemberListQuery = {}) {
      return call(cbr, { method: 'GET', path: (p) => path`/v3/${p}/backups/${backupId}/members`, query, schema: MemberList });
    },
    async deleteShareMember(backupId: string, memberId: string): Promise<void> {
      await call(cbr, { method: 'DELETE', path: (p) => path`/v3/${p}/backups/${backupId}/members/${memberId}` });
    },

    // ---- VBS v2 backup policies ------------------------------------------------------------------------------
    /** `{ backup_policy_id }` */
    createVbsPolicy(body: CreateVbsPolicyRequest) {
      return call(vbs, { method: 'POST', path: (p) => path`/v2/${p}/backuppolicy`, body, schema: CreateVbsPolicyResponse });
    },
    /** `{ backup_policies }`: VBS has no get-by-id, clients filter this list. */
    listVbsPolicies() {
      return call(vbs, { method: 'GET', path: (p) => path`/v2/${p}/backuppolicy`, schema: ListVbsPoliciesResponse });
    },
    /** The documented answer is `{ backup_policy_id }`, some deployments echo the policy: every field may be absent. */
    updateVbsPolicy(id: string, body: UpdateVbsPolicyRequest) {
      return call(vbs, { method: 'PUT', path: (p) => path`/v2/${p}/backuppolicy/${id}`, body, schema: UpdateVbsPolicyResponse });
    },
    async deleteVbsPolicy(id: string): Promise<void> {
      await call(vbs, { method: 'DELETE', path: (p) => path`/v2/${p}/backuppolicy/${id}` });
    },
    /** 204: runs the policy once now. */
    async executeVbsPolicy(id: string): Promise<void> {
      await call(vbs, { method: 'POST', path: (p) => path`/v2/${p}/backuppolicy/${id}/action` });
    },
    /** `{ success_resources, fail_resources }`: the outcome per volume, never all-or-nothing. */
    associateVbsPolicyResources(body: AssociateVbsPolicyResourcesRequest) {
      return call(vbs, { method: 'POST', path: (p) => path`/v2/${p}/backuppolicyresources`, body, schema: VbsPolicyResourcesResponse });
    },
    /** `{ success_resources, fail_resources }` */
    disassociateVbsPolicyResources(policyId: string, body: DisassociateVbsPolicyResourcesRequest) {
      return call(vbs, {
        method: 'POST',
        path: (p) => path`/v2/${p}/backuppolicyresources/${policyId}/deleted_resources`,
        body,
        schema: VbsPolicyResourcesResponse,
      });
    },
  };
}

export type CbrClient = ReturnType<typeof createCbrClient>;

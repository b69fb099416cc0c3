/**
 * Policies (seed 003 §4.6) and their bindings to vaults (associatepolicy / dissociatepolicy, §4.4.8–4.4.9).
 * A binding lives in one place only, the policy's `associated_vaults`; the vault list's `policy_id` filter and
 * the policy list's `vault_id` filter both read it, so they always agree.
 */
import type { Emulator } from '../context';
import { copyRecord } from '../copy';
import { apiError, invalidParameter } from '../errors';
import type { ProjectState } from '../state';
import type {
  OperationDefinitionCreate,
  Policy,
  PolicyCreate,
  PolicyList,
  PolicyListQuery,
  PolicyUpdate,
} from '../../upstream/schemas/policy';
import type { AssociatePolicyRequest, Vault, VaultPolicyResp } from '../../upstream/schemas/vault';
import { parsePatterns } from '../../upstream/rrule';
import { getVaultRecord, requireVaultUsable } from './vault';
import { schedulePolicy, unschedulePolicy } from './scheduler';

/**
 * Policies of one operation type a project may have (BackupService.6001 "The maximum number of this type of
 * policies has been reached"). The seed gives no figure; 32 is the limit the CBR user guide states.
 */
export const MAX_POLICIES_PER_TYPE = 32;

/** `2020-01-08 09:59:49`: the trigger `start_time` format (UTC; seed Table 4-211). */
export function policyTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** The stored policy, or 404 BackupService.6000. */
export function getPolicyRecord(emulator: Emulator, projectId: string, policyId: string): Policy {
  const policy = emulator.state.project(projectId).policies.get(policyId);
  if (!policy) throw apiError('BackupService.6000');
  return policy;
}

/** A copy of the stored policy, so callers never hold live state. */
function present(policy: Policy): Policy {
  return copyRecord(policy);
}

/** Trigger patterns must be valid RRULEs within the seed's limits (9900 naming the rule's index). */
function checkPatterns(pattern: string[]): void {
  const parsed = parsePatterns(pattern);
  if (!parsed.ok) {
    const at = parsed.index === undefined ? '' : `.${parsed.index}`;
    throw invalidParameter(`policy.trigger.properties.pattern${at} ${parsed.error}`);
  }
}

/**
 * A replication policy names where to copy to (`destination_project_id` and `destination_region`, the real
 * API's fields); a backup policy has no destination.
 */
function checkDefinition(operationType: string, od: OperationDefinitionCreate): void {
  for (const field of ['destination_project_id', 'destination_region'] as const) {
    if (operationType === 'replication' && od[field] === undefined) {
      throw invalidParameter(`policy.operation_definition.${field} is mandatory for a replication policy`);
    }
    if (operationType === 'backup' && od[field] !== undefined) {
      throw invalidParameter(`policy.operation_definition.${field} is only allowed for a replication policy`);
    }
  }
}

/** `POST /policies`: enabled unless told otherwise; the trigger is `default`/`time`, started now. */
export function createPolicy(emulator: Emulator, projectId: string, body: PolicyCreate): Policy {
  const project = emulator.state.project(projectId);
  checkPatterns(body.trigger.properties.pattern);
  checkDefinition(body.operation_type, body.operation_definition);
  const sameType = [...project.policies.values()].filter((p) => p.operation_type === body.operation_type);
  if (sameType.length >= MAX_POLICIES_PER_TYPE) throw apiError('BackupService.6001');
  const policy: Policy = {
    id: emulator.ids.uuid(),
    name: body.name,
    operation_type: body.operation_type,
    operation_definition: { ...body.operation_definition },
    enabled: body.enabled ?? true,
    trigger: {
      id: emulator.ids.uuid(),
      name: 'default',
      type: 'time',
      properties: { pattern: [...body.trigger.properties.pattern], start_time: policyTime(emulator.clock.now()) },
    },
    associated_vaults: [],
  };
  project.policies.set(policy.id, policy);
  schedulePolicy(emulator, projectId, policy.id);
  return present(policy);
}

/** `GET /policies/{id}`. */
export function getPolicy(emulator: Emulator, projectId: string, policyId: string): Policy {
  return present(getPolicyRecord(emulator, projectId, policyId));
}

/** `GET /policies`: newest first, filtered by `operation_type` and by a vault it is applied to. No paging. */
export function listPolicies(emulator: Emulator, projectId: string, query: PolicyListQuery): PolicyList {
  const project = emulator.state.project(projectId);
  const policies = [...project.policies.values()]
    .reverse()
    .filter((p) => query.operation_type === undefined || p.operation_type === query.operation_type)
    .filter((p) => query.vault_id === undefined || isVaultInPolicy(project, p.id, query.vault_id))
    .map(present);
  return { policies, count: policies.length };
}

/**
 * `PUT /policies/{id}`. A given `operation_definition` replaces the old one as a whole (so switching from
 * `retention_duration_days` to `max_backups` does not keep both); a given trigger replaces the patterns and
 * keeps the trigger's id and start time. The schedule follows the new state.
 */
export function updatePolicy(emulator: Emulator, projectId: string, policyId: string, body: PolicyUpdate): Policy {
  const policy = getPolicyRecord(emulator, projectId, policyId);
  if (body.trigger) checkPatterns(body.trigger.properties.pattern);
  if (body.operation_definition) checkDefinition(policy.operation_type, body.operation_definition);
  if (body.name !== undefined) policy.name = body.name;
  if (body.enabled !== undefined) policy.enabled = body.enabled;
  if (body.operation_definition) policy.operation_definition = { ...body.operation_definition };
  if (body.trigger) policy.trigger.properties.pattern = [...body.trigger.properties.pattern];
  schedulePolicy(emulator, projectId, policyId);
  return present(policy);
}

/** `DELETE /policies/{id}`: its vaults lose the binding with it (it lives in the policy) and its schedule stops. */
export function deletePolicy(emulator: Emulator, projectId: string, policyId: string): void {
  getPolicyRecord(emulator, projectId, policyId);
  emulator.state.project(projectId).policies.delete(policyId);
  unschedulePolicy(emulator, projectId, policyId);
}

/**
 * Whether `policy` may be applied to `vault`: only backup vaults take policies (6127; replication vaults
 * receive copies, they are not scheduled themselves); a replication policy needs `destination_vault_id`
 * and a backup policy takes none (9900).
 */
export function checkAssociation(vault: Vault, policy: Policy, destinationVaultId: string | undefined): void {
  if (vault.billing.protect_type !== 'backup') throw apiError('BackupService.6127');
  if (policy.operation_type === 'replication' && destinationVaultId === undefined) {
    throw invalidParameter('destination_vault_id is mandatory for a replication policy');
  }
  if (policy.operation_type !== 'replication' && destinationVaultId !== undefined) {
    throw invalidParameter('destination_vault_id is only allowed for a replication policy');
  }
}

/**
 * The destination vault of a replication binding, as far as it can be checked here: the seed documents
 * "ID of the associated remote vault" (Table 4-212) and 400 BackupService.6119 "The destination vault does not support
 * replication." ("Check whether the destination vault supports replication."). So the source vault itself (a backup
 * vault: checkAssociation admits no other) and any vault of this project that is not a replication vault answer 6119.
 * An id this project does not hold may name a vault of the destination project or region, which the emulator cannot
 * see; it is taken on trust (6120 "The destination vault does not exist." would need that lookup).
 */
function checkDestination(project: ProjectState, source: Vault, destinationVaultId: string): void {
  const destination = destinationVaultId === source.id ? source : project.vaults.get(destinationVaultId);
  if (destination && destination.billing.protect_type !== 'replication') throw apiError('BackupService.6119');
}

/**
 * `POST /vaults/{id}/associatepolicy`. A vault holds at most one policy per operation type: applying a second
 * backup policy replaces the first (the seed is silent; the Huawei Terraform provider relies on "BindPolicy
 * can override the old policy binding", and a vault with two backup schedules is not offered by the console).
 * Applying the same policy again only updates its destination.
 */
export function associatePolicy(
  emulator: Emulator,
  projectId: string,
  vaultId: string,
  body: AssociatePolicyRequest,
): VaultPolicyResp {
  const project = emulator.state.project(projectId);
  const vault = requireVaultUsable(getVaultRecord(emulator, projectId, vaultId));
  const policy = getPolicyRecord(emulator, projectId, body.policy_id);
  checkAssociation(vault, policy, body.destination_vault_id);
  if (body.destination_vault_id !== undefined) checkDestination(project, vault, body.destination_vault_id);
  for (const other of project.policies.values()) {
    if (other.id !== policy.id && other.operation_type === policy.operation_type) removeVault(other, vaultId);
  }
  const binding = { vault_id: vaultId, ...(body.destination_vault_id ? { destination_vault_id: body.destination_vault_id } : {}) };
  const vaults = policy.associated_vaults ?? [];
  policy.associated_vaults = [...vaults.filter((v) => v.vault_id !== vaultId), binding];
  return { vault_id: vaultId, policy_id: policy.id, ...(body.destination_vault_id ? { destination_vault_id: body.destination_vault_id } : {}) };
}

/** `POST /vaults/{id}/dissociatepolicy`: 6105 unknown vault, 6000 unknown policy, 6002 not applied to the vault. */
export function dissociatePolicy(emulator: Emulator, projectId: string, vaultId: string, policyId: string): VaultPolicyResp {
  getVaultRecord(emulator, projectId, vaultId);
  const policy = getPolicyRecord(emulator, projectId, policyId);
  const binding = policy.associated_vaults?.find((v) => v.vault_id === vaultId);
  if (!binding) throw apiError('BackupService.6002');
  removeVault(policy, vaultId);
  return {
    vault_id: vaultId,
    policy_id: policyId,
    ...(binding.destination_vault_id ? { destination_vault_id: binding.destination_vault_id } : {}),
  };
}

function removeVault(policy: Policy, vaultId: string): void {
  if (policy.associated_vaults?.some((v) => v.vault_id === vaultId)) {
    policy.associated_vaults = policy.associated_vaults.filter((v) => v.vault_id !== vaultId);
  }
}

/** Whether the policy `policyId` is applied to `vaultId` (false for an unknown policy). */
export function isVaultInPolicy(project: ProjectState, policyId: string, vaultId: string): boolean {
  return project.policies.get(policyId)?.associated_vaults?.some((v) => v.vault_id === vaultId) ?? false;
}

/** The policies applied to a vault. */
export function policiesOfVault(project: ProjectState, vaultId: string): Policy[] {
  return [...project.policies.values()].filter((p) => p.associated_vaults?.some((v) => v.vault_id === vaultId));
}

/** Removes a vault from every policy's `associated_vaults` (the vault is gone). */
export function dropVaultFromPolicies(project: ProjectState, vaultId: string): void {
  for (const policy of project.policies.values()) removeVault(policy, vaultId);
}

/**
 * Vault tags (the `/vault/…` tag APIs): the tags of one vault (the vault record's `tags`, as create stored them), the
 * keys in use in the project, create or update one or several, delete, and the query of vaults by tags. A vault holds
 * at most 10 tags (BackupService.6600); deleting a key it lacks answers 404 BackupService.6601.
 */
import type { Emulator } from '../context';
import { apiError } from '../errors';
import type { Tag, TagCreate } from '../../upstream/schemas/common';
import type { ProjectTag, TagsCondition, VaultResourceInstancesRequest, VaultResourceInstances } from '../../upstream/schemas/vault-tag';
import type { Vault } from '../../upstream/schemas/vault';
import { vaultUsages } from './resource';
import { getVaultRecord, presentVault, requireVaultUsable } from './vault';

const MAX_TAGS = 10;

/** `GET /vault/{id}/tags`. */
export function listVaultTags(emulator: Emulator, projectId: string, vaultId: string): { tags: Tag[] } {
  return { tags: structuredClone(getVaultRecord(emulator, projectId, vaultId).tags ?? []) };
}

/** `POST /vault/{id}/tags` and `tags/action` create: a key already there takes the new value; more than 10 keys is 6600. */
export function createVaultTags(emulator: Emulator, projectId: string, vaultId: string, tags: readonly TagCreate[]): void {
  const vault = requireVaultUsable(getVaultRecord(emulator, projectId, vaultId));
  const merged = new Map((vault.tags ?? []).map((tag) => [tag.key, tag.value ?? '']));
  for (const tag of tags) merged.set(tag.key, tag.value);
  if (merged.size > MAX_TAGS) throw apiError('BackupService.6600');
  vault.tags = [...merged].map(([key, value]) => ({ key, value }));
}

/**
 * `tags/action` delete: each key goes (only when its value matches, if one is given); keys the vault lacks are skipped,
 * as a batch delete is idempotent.
 */
export function deleteVaultTags(emulator: Emulator, projectId: string, vaultId: string, tags: readonly { key: string; value?: string }[]): void {
  const vault = requireVaultUsable(getVaultRecord(emulator, projectId, vaultId));
  vault.tags = (vault.tags ?? []).filter((tag) => !tags.some((d) => d.key === tag.key && (d.value === undefined || d.value === (tag.value ?? ''))));
}

/** `DELETE /vault/{id}/tags/{key}` (key trimmed): 404 BackupService.6601 when the vault has no such key. */
export function deleteVaultTag(emulator: Emulator, projectId: string, vaultId: string, key: string): void {
  const vault = requireVaultUsable(getVaultRecord(emulator, projectId, vaultId));
  const trimmed = key.trim();
  if (!(vault.tags ?? []).some((tag) => tag.key === trimmed)) throw apiError('BackupService.6601');
  deleteVaultTags(emulator, projectId, vaultId, [{ key: trimmed }]);
}

/** `GET /vault/tags`: every key of the project's vaults with its distinct values, in first-use order. */
export function listProjectTags(emulator: Emulator, projectId: string): { tags: ProjectTag[] } {
  const byKey = new Map<string, Set<string>>();
  for (const vault of emulator.state.project(projectId).vaults.values()) {
    for (const tag of vault.tags ?? []) {
      const values = byKey.get(tag.key) ?? new Set<string>();
      values.add(tag.value ?? '');
      byKey.set(tag.key, values);
    }
  }
  return { tags: [...byKey].map(([key, values]) => ({ key, values: [...values] })) };
}

/**
 * `POST /vault/resource_instances/action`: the vaults (newest first, as the vault list) whose tags meet every given
 * condition, filtered by object and cloud type and `matches` (name contains), cut by `offset`/`limit` (default 1000);
 * `count` answers only `total_count`.
 */
export function queryVaultsByTags(emulator: Emulator, projectId: string, body: VaultResourceInstancesRequest): VaultResourceInstances {
  const project = emulator.state.project(projectId);
  const name = body.matches?.[0]?.value;
  const matching = [...project.vaults.values()].reverse().filter((vault) => {
    const tags = vault.tags ?? [];
    return (
      (body.tags === undefined || body.tags.every((c) => holds(tags, c))) &&
      (body.tags_any === undefined || body.tags_any.length === 0 || body.tags_any.some((c) => holds(tags, c))) &&
      (body.not_tags === undefined || body.not_tags.length === 0 || !body.not_tags.every((c) => holds(tags, c))) &&
      (body.not_tags_any === undefined || !body.not_tags_any.some((c) => holds(tags, c))) &&
      (body.without_any_tag !== true || tags.length === 0) &&
      (name === undefined || vault.name.includes(name)) &&
      (body.object_type === undefined || vault.billing.object_type === body.object_type) &&
      (body.cloud_type === undefined || vault.billing.cloud_type === body.cloud_type)
    );
  });
  if (body.action === 'count') return { total_count: matching.length };
  const offset = Number(body.offset ?? 0);
  const page = matching.slice(offset, offset + Number(body.limit ?? 1000));
  const usages = vaultUsages(project, page.map((v) => v.id));
  return {
    resources: page.map((vault: Vault) => ({
      resource_id: vault.id,
      resource_name: vault.name,
      resource_detail: { vault: presentVault(project, vault, usages.get(vault.id)) },
      tags: structuredClone(vault.tags ?? []),
    })),
    total_count: matching.length,
  };
}

/** A tag condition holds when the vault has the key with one of the values (no values listed: any value). */
function holds(tags: readonly Tag[], condition: TagsCondition): boolean {
  return tags.some((tag) => tag.key === condition.key && (condition.values.length === 0 || condition.values.includes(tag.value ?? '')));
}

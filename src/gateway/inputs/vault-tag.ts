/**
 * Vault tag inputs → validated wire bodies: tagVault and untagVault (`tags/action`), and the tag conditions of a vault
 * filter as the body of the tag query (`resource_instances/action`).
 */
import { z } from 'zod';
import { VaultResourceInstancesRequest, VaultTagActionRequest } from '../../upstream/schemas/vault-tag';
import type { TagVaultInput, UntagVaultInput, VaultFilter, VaultTagCondition } from '../__generated__/resolvers-types';
import { badUserInput } from '../errors';
import { cloudType, objectType } from '../enums';
import type { PageWindow } from '../pagination';
import { FilterText, Id, UniqueKeyTags } from './common';
import { compact, validateInput, validateWire, type PathRules } from './validate';

const TagRules = z.object({ vaultId: Id, tags: UniqueKeyTags });

export function tagVaultBody(input: TagVaultInput): VaultTagActionRequest {
  const { tags } = validateInput(TagRules, input, 'input');
  return validateWire(VaultTagActionRequest, { action: 'create', tags }, [['tags', 'input.tags']]);
}

const UntagRules = z.object({ vaultId: Id });

export function untagVaultBody(input: UntagVaultInput): VaultTagActionRequest {
  validateInput(UntagRules, input, 'input');
  return validateWire(VaultTagActionRequest, { action: 'delete', tags: input.keys.map((key) => ({ key })) }, [
    ['tags', 'input.keys'],
    ['tags.*.key', 'input.keys.*'],
  ]);
}

/** Whether the filter has a tag condition, which the vault list cannot answer (the tag query does). */
export function hasTagCondition(filter: VaultFilter | null | undefined): filter is VaultFilter {
  return Boolean(filter && (filter.tags?.length || filter.tagsAny?.length || filter.withoutAnyTag));
}

/** Filters the tag query does not take: combined with a tag condition they would be silently dropped. */
const NOT_WITH_TAGS = ['id', 'protectType', 'status', 'policyId', 'resourceIds'] as const;

const RULES: PathRules = [
  ['', 'filter'],
  ['tags_any', 'filter.tagsAny'],
  ['without_any_tag', 'filter.withoutAnyTag'],
  ['matches', 'filter.name'],
  ['matches.*.value', 'filter.name'],
  ['limit', 'first'],
  ['offset', 'after'],
];

const conditions = (list: readonly VaultTagCondition[] | null | undefined) => list?.map((c) => ({ key: c.key, values: [...(c.values ?? [])] }));

/** The tag conditions (and name, object and cloud type) of a vault filter as one page of the tag query. */
export function vaultTagQuery(filter: VaultFilter, window: PageWindow): VaultResourceInstancesRequest {
  for (const field of NOT_WITH_TAGS) {
    const value = filter[field];
    if (value !== undefined && value !== null) {
      throw badUserInput(`filter.${field}: cannot be combined with a tag filter (the API's tag query does not take it)`, `filter.${field}`);
    }
  }
  validateInput(z.object({ name: FilterText.nullish() }), filter, 'filter');
  const body = compact({
    action: 'filter' as const,
    tags: conditions(filter.tags),
    tags_any: conditions(filter.tagsAny),
    without_any_tag: filter.withoutAnyTag ?? undefined,
    matches: filter.name ? [{ key: 'resource_name' as const, value: filter.name }] : undefined,
    object_type: filter.objectType ? objectType.write(filter.objectType, 'filter.objectType') : undefined,
    cloud_type: filter.cloudType ? (cloudType.write(filter.cloudType, 'filter.cloudType') as 'public' | 'hybrid') : undefined,
    limit: String(window.limit),
    offset: window.offset > 0 ? String(window.offset) : undefined,
  });
  return validateWire(VaultResourceInstancesRequest, body, RULES);
}

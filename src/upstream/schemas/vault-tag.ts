/**
 * Wire shapes of the vault tag APIs (API notes 1.1/1.3; all under the singular `/vault/` prefix): the tags of one vault,
 * the tag keys of the project, create one / create or delete several, and the query of vaults by tags
 * (`resource_instances/action`).
 */
import { z } from 'zod';
import { Tag, TagCreate, TagCreateList } from './common';
import { Vault } from './vault';

/** `GET /vault/{id}/tags`. */
export const VaultTagList = z.looseObject({ tags: z.array(Tag) });
export type VaultTagList = z.infer<typeof VaultTagList>;

/** `GET /vault/tags`: every key used in the project with its values (the doc example's `values` is an array). */
export const ProjectTag = z.looseObject({ key: z.string(), values: z.array(z.string()).nullish() });
export type ProjectTag = z.infer<typeof ProjectTag>;
export const ProjectTagList = z.looseObject({ tags: z.array(ProjectTag) });
export type ProjectTagList = z.infer<typeof ProjectTagList>;

/** `POST /vault/{id}/tags` body: one tag, created or, when the key exists, given the new value. */
export const CreateVaultTagRequest = z.strictObject({ tag: TagCreate });
export type CreateVaultTagRequest = z.infer<typeof CreateVaultTagRequest>;

/** A tag to delete: the key, and the value when only that pair should go. */
export const TagDelete = z.strictObject({ key: z.string().trim().min(1).max(36), value: z.string().trim().max(43).optional() });

/** `POST /vault/{id}/tags/action` body: create (or update) or delete up to 10 tags at once. */
export const VaultTagActionRequest = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('create'), tags: TagCreateList }),
  z.strictObject({ action: z.literal('delete'), tags: z.array(TagDelete).min(1).max(10) }),
]);
export type VaultTagActionRequest = z.infer<typeof VaultTagActionRequest>;

/** A tag condition of the query by tags: the key, with any of `values` (none listed: any value). */
export const TagsCondition = z.strictObject({
  key: z.string().trim().min(1).max(127),
  values: z.array(z.string().trim().max(255)).max(10),
});
export type TagsCondition = z.infer<typeof TagsCondition>;

/** A `matches` entry: `resource_name` containing `value`. */
export const TagMatch = z.strictObject({ key: z.literal('resource_name'), value: z.string().max(255) });

/** A page size or offset as the API takes them: decimal strings. */
const NumberString = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a decimal number')
    .refine((value) => Number(value) <= max, `must be at most ${max}`);

/**
 * `POST /vault/resource_instances/action` body. `tags` must all hold, `tags_any` one of them, `not_tags` not all,
 * `not_tags_any` none; `action` `filter` answers the vaults, `count` only their number.
 */
export const VaultResourceInstancesRequest = z.strictObject({
  action: z.enum(['filter', 'count']),
  tags: z.array(TagsCondition).max(10).optional(),
  tags_any: z.array(TagsCondition).max(10).optional(),
  not_tags: z.array(TagsCondition).max(10).optional(),
  not_tags_any: z.array(TagsCondition).max(10).optional(),
  without_any_tag: z.boolean().optional(),
  matches: z.array(TagMatch).max(1).optional(),
  limit: NumberString(1000).refine((value) => Number(value) >= 1, 'must be at least 1').optional(),
  offset: NumberString(1_000_000_000).optional(),
  cloud_type: z.enum(['public', 'hybrid']).optional(),
  object_type: z.enum(['server', 'disk', 'turbo']).optional(),
});
export type VaultResourceInstancesRequest = z.infer<typeof VaultResourceInstancesRequest>;

/** One vault of the answer: its id and name, the vault itself in `resource_detail.vault`, its tags. */
export const VaultResourceInstance = z.looseObject({
  resource_id: z.string(),
  resource_name: z.string().nullish(),
  resource_detail: z.looseObject({ vault: Vault.nullish() }).nullish(),
  tags: z.array(Tag).nullish(),
});
export type VaultResourceInstance = z.infer<typeof VaultResourceInstance>;

/** The answer: `resources` (action `filter` only) and `total_count`, the number of matches over all pages. */
export const VaultResourceInstances = z.looseObject({
  resources: z.array(VaultResourceInstance).nullish(),
  total_count: z.number().int(),
});
export type VaultResourceInstances = z.infer<typeof VaultResourceInstances>;

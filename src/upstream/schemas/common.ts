/**
 * Wire shapes shared by every CBR/VBS resource: error bodies, tags, provider ids and the small helpers
 * the resource schemas are built from. Response shapes are permissive (unknown keys pass, optional
 * fields may be null as in the seed's examples); request shapes are strict and carry the seed's rules.
 */
import { z } from 'zod';

/** CBR v3 error body. */
export const CbrErrorBody = z.object({ error_code: z.string(), error_msg: z.string() });
export type CbrErrorBody = z.infer<typeof CbrErrorBody>;
/** VBS v2 error body. */
export const VbsErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type VbsErrorBody = z.infer<typeof VbsErrorBody>;

/** A tag as responses carry it. The seed's GET example shows `"value": null`, so value may be null. */
export const Tag = z.looseObject({ key: z.string(), value: z.string().nullish() });
export type Tag = z.infer<typeof Tag>;

/**
 * Characters allowed in tag keys/values (seed Table 4-95: "only letters, digits, hyphens (-), and underscores (_)";
 * that rule already excludes the listed `=*<>,|/` and control characters). Letters include non-Latin ones,
 * which the Huawei edition of the service accepts.
 */
const TAG_CHARS = /^[\p{L}\p{N}_-]*$/u;
const TAG_CHARS_MESSAGE = 'can contain only letters, digits, hyphens (-) and underscores (_)';

/** A tag in a request (seed Table 4-95): key 1–36 chars, value 0–43 chars, both trimmed first. */
export const TagCreate = z.strictObject({
  key: z.string().trim().min(1).max(36).regex(TAG_CHARS, TAG_CHARS_MESSAGE),
  value: z.string().trim().max(43).regex(TAG_CHARS, TAG_CHARS_MESSAGE),
});
export type TagCreate = z.infer<typeof TagCreate>;

/** "Keys in this list must be unique" (after trimming): an issue at the first repeat of a key. */
export function uniqueTagKeys(tags: readonly { key: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  tags.forEach((tag, i) => {
    if (seen.has(tag.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `duplicate tag key ${tag.key}` });
    seen.add(tag.key);
  });
}

/** A tag list in a request: "It cannot be an empty list. The list can contain up to 10 keys. Keys … must be unique." */
export const TagCreateList = z.array(TagCreate).min(1).max(10).superRefine(uniqueTagKeys);

/** `-1` (no limit) or `min..max`, the shape of the retention counters. */
export function minusOneOrRange(min: number, max: number) {
  return z.int().refine((v) => v === -1 || (v >= min && v <= max), { message: `must be -1 or between ${min} and ${max}` });
}

/** Provider ids (`provider_id` of vaults, backups, tasks), one per protected resource kind (API notes 1.4). */
export const PROVIDER_IDS = {
  server: '0daac4c5-6707-4851-97ba-169e36266b66',
  disk: 'd1603440-187d-4516-af25-121250c7cc97',
  turbo: '3f3c3220-245c-4805-b811-758870015881',
} as const;

/** Specification codes per vault kind (seed Table 4-100 `spec_code`; replication from API notes 1.5). */
export const SPEC_CODES = {
  server: 'vault.backup.server.normal',
  disk: 'vault.backup.volume.normal',
  turbo: 'vault.backup.turbo.normal',
  replicationServer: 'vault.replication.server.normal',
} as const;

/** Resource types CBR protects on this cloud (seed Table 4-93) and the vault object type each belongs in. */
export const RESOURCE_TYPES = ['OS::Nova::Server', 'OS::Cinder::Volume', 'OS::Sfs::Turbo'] as const;
export const ResourceType = z.enum(RESOURCE_TYPES);
export type ResourceType = z.infer<typeof ResourceType>;

export const OBJECT_TYPES = ['server', 'disk', 'turbo'] as const;
export const ObjectType = z.enum(OBJECT_TYPES);
export type ObjectType = z.infer<typeof ObjectType>;

/** Which vault object type accepts which resource type (server↔Nova, disk↔Cinder, turbo↔SFS Turbo). */
export const OBJECT_TYPE_OF_RESOURCE: Record<ResourceType, ObjectType> = {
  'OS::Nova::Server': 'server',
  'OS::Cinder::Volume': 'disk',
  'OS::Sfs::Turbo': 'turbo',
};

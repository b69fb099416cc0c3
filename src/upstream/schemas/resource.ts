/**
 * Wire shapes of protected resources (servers, disks, SFS Turbo file systems associated with a vault):
 * the `vault.resources[]` entries and the bodies of addresources / removeresources / migrateresources
 * (seed 003 §4.4.6, §4.4.7, §4.4.10; seed 002).
 */
import { z } from 'zod';
import { ResourceType } from './common';

/** `extra_info` of a resource in a request (seed Table 4-94: only `exclude_volumes`). */
export const ResourceExtraInfoCreate = z.strictObject({
  exclude_volumes: z.array(z.string().min(1)).optional(),
});
export type ResourceExtraInfoCreate = z.infer<typeof ResourceExtraInfoCreate>;

/** `extra_info` of a resource in a response (the Huawei SDK also knows `include_volumes`). */
export const ResourceExtraInfo = z.looseObject({
  exclude_volumes: z.array(z.string()).nullish(),
  include_volumes: z.array(z.looseObject({ id: z.string(), os_version: z.string().nullish() })).nullish(),
});
export type ResourceExtraInfo = z.infer<typeof ResourceExtraInfo>;

/**
 * A resource to associate (seed Table 4-93/4-160). The tables omit `extra_info` from ResourceCreate
 * (a page-break artefact: Table 4-94 ResourceExtraInfo follows it, and every example sends it).
 */
export const ResourceCreate = z.strictObject({
  id: z.string().min(1),
  type: ResourceType,
  name: z.string().max(255).optional(),
  extra_info: ResourceExtraInfoCreate.optional(),
});
export type ResourceCreate = z.infer<typeof ResourceCreate>;

/**
 * A resource as a vault lists it (seed Table 4-101 ResourceResp). `size` is the allocated size in GB;
 * `backup_size` (GB) and `backup_count` describe the resource's backups in this vault.
 * Known `protect_status` values: available, error, protecting, restoring, removing.
 */
export const ResourceResp = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  type: z.string(),
  protect_status: z.string().nullish(),
  size: z.number().nullish(),
  backup_size: z.number().nullish(),
  backup_count: z.number().nullish(),
  extra_info: ResourceExtraInfo.nullish(),
  auto_protect: z.boolean().nullish(),
});
export type ResourceResp = z.infer<typeof ResourceResp>;

export const PROTECT_STATUSES = ['available', 'error', 'protecting', 'restoring', 'removing'] as const;
export const ProtectStatus = z.enum(PROTECT_STATUSES);
export type ProtectStatus = z.infer<typeof ProtectStatus>;

/** POST /vaults/{vault_id}/addresources body: 1–256 resources (seed 002 Table 3). */
export const AddResourcesRequest = z.strictObject({
  resources: z.array(ResourceCreate).min(1).max(256),
});
export type AddResourcesRequest = z.infer<typeof AddResourcesRequest>;
export const AddResourcesResponse = z.looseObject({ add_resource_ids: z.array(z.string()) });
export type AddResourcesResponse = z.infer<typeof AddResourcesResponse>;

/** POST /vaults/{vault_id}/removeresources body (seed Table 4-155: 1–256 ids). */
export const RemoveResourcesRequest = z.strictObject({
  resource_ids: z.array(z.string().min(1)).min(1).max(256),
});
export type RemoveResourcesRequest = z.infer<typeof RemoveResourcesRequest>;
export const RemoveResourcesResponse = z.looseObject({ remove_resource_ids: z.array(z.string()) });
export type RemoveResourcesResponse = z.infer<typeof RemoveResourcesResponse>;

/**
 * POST /vaults/{vault_id}/migrateresources body (seed Table 4-175). The table gives no length for
 * `resource_ids`; the emulator applies the same 1–256 as removeresources.
 */
export const MigrateResourcesRequest = z.strictObject({
  destination_vault_id: z.string().min(1),
  resource_ids: z.array(z.string().min(1)).min(1).max(256),
});
export type MigrateResourcesRequest = z.infer<typeof MigrateResourcesRequest>;
/** The seed's example lists the destination vault id here; the table says "List of migrated resources". */
export const MigrateResourcesResponse = z.looseObject({ migrated_resources: z.array(z.string()) });
export type MigrateResourcesResponse = z.infer<typeof MigrateResourcesResponse>;

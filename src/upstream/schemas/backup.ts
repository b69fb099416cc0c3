/**
 * Wire shapes of backups (API Reference 2021-09-30, 4.5; GO-SDK BackupResp/BackupExtendInfo): the response model,
 * the restore request, and the list query. Responses are loose (the real service adds fields); requests are strict.
 */
import { z } from 'zod';

/** Resource types a response may carry (GO-SDK enum; OTC itself uses only the first three). */
export const ResourceType = z.enum([
  'OS::Nova::Server',
  'OS::Cinder::Volume',
  'OS::Sfs::Turbo',
  'OS::Ironic::BareMetalServer',
  'OS::Native::Server',
  'OS::Workspace::DesktopV2',
]);
export type ResourceType = z.infer<typeof ResourceType>;

/** Resource types a request may name (seed: "OS::Nova::Server, OS::Cinder::Volume, or OS::Sfs::Turbo"). */
export const RequestResourceType = z.enum(['OS::Nova::Server', 'OS::Cinder::Volume', 'OS::Sfs::Turbo']);
export type RequestResourceType = z.infer<typeof RequestResourceType>;

/** Table 4-13 ResourceExtraInfo. */
export const ResourceExtraInfo = z.looseObject({
  exclude_volumes: z.array(z.string()).nullish(),
  include_volumes: z.array(z.looseObject({ id: z.string(), os_version: z.string().nullish() })).nullish(),
});
export type ResourceExtraInfo = z.infer<typeof ResourceExtraInfo>;

/** Table 4-12 Resource (operation logs, checkpoint `resource_details`), as responses carry it. */
export const ResourceRef = z.looseObject({
  id: z.string(),
  type: z.string(),
  name: z.string().nullish(),
  extra_info: ResourceExtraInfo.nullish(),
});
export type ResourceRef = z.infer<typeof ResourceRef>;

export const BackupStatus = z.enum([
  'available',
  'protecting',
  'deleting',
  'restoring',
  'error',
  'waiting_protect',
  'waiting_delete',
  'waiting_restore',
]);
export type BackupStatus = z.infer<typeof BackupStatus>;

export const ImageType = z.enum(['backup', 'replication']);
export type ImageType = z.infer<typeof ImageType>;

export const SupportedRestoreMode = z.enum(['na', 'backup', 'snapshot']);
export type SupportedRestoreMode = z.infer<typeof SupportedRestoreMode>;

/** `own_type` of the backup list: whose backups to list. */
export const OwnType = z.enum(['private', 'shared', 'all_granted']);
export type OwnType = z.infer<typeof OwnType>;

/** Table 4-182 ImageData. */
export const ImageData = z.looseObject({ image_id: z.string() });

/**
 * Table 4-181 BackupExtendInfo. The seed also spells the lazy-loading flag `support_llid`/`support_ll`; every client and
 * the OTC doc use `support_lld`, the spelling the emulator answers; the other two are read when it is absent.
 */
export const BackupExtendInfo = z.looseObject({
  auto_trigger: z.boolean().nullish(),
  bootable: z.boolean().nullish(),
  incremental: z.boolean().nullish(),
  snapshot_id: z.string().nullish(),
  support_lld: z.boolean().nullish(),
  support_llid: z.boolean().nullish(),
  support_ll: z.boolean().nullish(),
  supported_restore_mode: z.string().nullish(),
  os_images_data: z.array(ImageData).nullish(),
  contain_system_disk: z.boolean().nullish(),
  encrypted: z.boolean().nullish(),
  system_disk: z.boolean().nullish(),
  is_multi_az: z.boolean().nullish(),
});
export type BackupExtendInfo = z.infer<typeof BackupExtendInfo>;

/** Table 4-183 ReplicationRecordsExtraInfo. */
export const ReplicationRecordExtraInfo = z.looseObject({
  progress: z.number().int().nullish(),
  fail_code: z.string().nullish(),
  fail_reason: z.string().nullish(),
  auto_trigger: z.boolean().nullish(),
  destination_vault_id: z.string().nullish(),
});

/** GO-SDK ReplicationRecordGet (backup `replication_records[]`): one per replication of the backup (store/replication.ts). */
export const ReplicationRecord = z.looseObject({
  id: z.string(),
  created_at: z.string().nullish(),
  destination_backup_id: z.string().nullish(),
  destination_checkpoint_id: z.string().nullish(),
  destination_project_id: z.string().nullish(),
  destination_region: z.string().nullish(),
  destination_vault_id: z.string().nullish(),
  extra_info: ReplicationRecordExtraInfo.nullish(),
  source_backup_id: z.string().nullish(),
  source_checkpoint_id: z.string().nullish(),
  source_project_id: z.string().nullish(),
  source_region: z.string().nullish(),
  status: z.string().nullish(),
  vault_id: z.string().nullish(),
});
export type ReplicationRecord = z.infer<typeof ReplicationRecord>;

/**
 * Table 4-180 BackupResp. Timestamps look like `2020-02-05T10:38:34.209782` (UTC, no zone). The doc examples show
 * `null` for `updated_at`, `description`, `expired_at`, `protected_at`, `parent_id`, `resource_az`, hence nullish.
 * `children` holds the disk backups of a server backup (recursive).
 * Enum-valued fields are plain strings on read (as in vault.ts): a value the service adds later must degrade one
 * GraphQL field to UNKNOWN, not fail the parse of a whole list. Requests and queries stay strict.
 */
export const Backup = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  checkpoint_id: z.string(),
  project_id: z.string(),
  vault_id: z.string(),
  resource_id: z.string(),
  resource_type: z.string(),
  resource_name: z.string().nullish(),
  resource_size: z.number().int().nullish(),
  resource_az: z.string().nullish(),
  provider_id: z.string().nullish(),
  image_type: z.string().nullish(),
  description: z.string().nullish(),
  parent_id: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  protected_at: z.string().nullish(),
  expired_at: z.string().nullish(),
  extend_info: BackupExtendInfo.nullish(),
  enterprise_project_id: z.string().nullish(),
  incremental: z.boolean().nullish(),
  version: z.number().int().nullish(),
  replication_records: z.array(ReplicationRecord).nullish(),
  get children() {
    return z.array(Backup).nullish();
  },
});
export type Backup = z.infer<typeof Backup>;

/** `GET /backups/{id}` */
export const BackupResponse = z.looseObject({ backup: Backup });
export type BackupResponse = z.infer<typeof BackupResponse>;

/** `GET /backups` (Table 4-187; the doc examples omit `offset`/`limit`, so they are optional on read). */
export const BackupList = z.looseObject({
  backups: z.array(Backup),
  count: z.number().int(),
  offset: z.number().int().nullish(),
  limit: z.number().int().nullish(),
});
export type BackupList = z.infer<typeof BackupList>;

// ---- parsing twins ----
// zod cannot compile a recursive schema (z.compile), and the interpreted parse of `Backup` costs the gateway ~3× the
// compiled one per list. These twins unroll `Backup` to the depth the API answers (a server backup, its disk backups,
// and theirs, which have none) and accept a subset of what the recursive schemas accept with the same output: the REST
// client parses with them first and lets the recursive schema decide whenever they refuse (http.ts `fastSchema`).

const { children: _recursiveChildren, ...backupFields } = Backup.shape;
const BackupLevel3 = z.looseObject({ ...backupFields, children: z.array(z.never()).nullish() });
const BackupLevel2 = z.looseObject({ ...backupFields, children: z.array(BackupLevel3).nullish() });
const BackupUnrolled = z.looseObject({ ...backupFields, children: z.array(BackupLevel2).nullish() });

/** `BackupResponse` without recursion; see above. */
export const BackupResponseUnrolled = z.looseObject({ backup: BackupUnrolled });
/** `BackupList` without recursion; see above. */
export const BackupListUnrolled = BackupList.extend({ backups: z.array(BackupUnrolled) });

// ---- requests ----

/** Table 4-198 BackupRestoreServerMapping. */
export const BackupRestoreMapping = z.strictObject({
  backup_id: z.string().min(1),
  volume_id: z.string().min(1),
});
export type BackupRestoreMapping = z.infer<typeof BackupRestoreMapping>;

/** Table 4-199 RestoreDetails (file-level restore; listed by the seed without a parent, kept for SDK compatibility). */
export const RestoreDetails = z.strictObject({ destination_path: z.string().min(1).max(255) });

/**
 * Table 4-197 BackupRestore. `resource_id` and `details` come from the SDK's BackupRestore (SFS Turbo restore);
 * which fields are mandatory depends on the backup's resource type, so that is checked by the store, not here.
 */
export const BackupRestore = z.strictObject({
  mappings: z.array(BackupRestoreMapping).optional(),
  power_on: z.boolean().optional(),
  server_id: z.string().min(1).optional(),
  volume_id: z.string().min(1).optional(),
  resource_id: z.string().min(1).optional(),
  details: RestoreDetails.optional(),
});
export type BackupRestore = z.infer<typeof BackupRestore>;

/** `POST /backups/{id}/restore` body. */
export const BackupRestoreRequest = z.strictObject({ restore: BackupRestore });
export type BackupRestoreRequest = z.infer<typeof BackupRestoreRequest>;

/**
 * `POST /backups/{id}/restore` answers 202. The docs show no body; Huawei Cloud returns `{"job_id"}` (the operation
 * log to poll, read by TF-HWC), which the emulator returns too. Optional so an empty OTC answer parses.
 */
export const BackupRestoreResponse = z.looseObject({ job_id: z.string().nullish() });
export type BackupRestoreResponse = z.infer<typeof BackupRestoreResponse>;

// ---- query parameters ----

/** `%YYYY-%mm-%ddT%HH:%MM:%SSZ`, e.g. `2018-02-01T12:00:00Z` (start_time/end_time of the list filters). */
export const QueryTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'must look like 2018-02-01T12:00:00Z')
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be a valid time');

/** A query boolean: the literal strings `true`/`false`. */
export const QueryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

/** `limit`: 1–1000 (the responses document 1000 as maximum and default). */
export const QueryLimit = z.coerce.number().int().min(1).max(1000);

/**
 * `offset` ≥ 0. The seed says "positive integer"/"Minimum: 1" for the request but documents the answered offset as
 * "Minimum: 0, Default: 0"; clients send `offset=0` (5.3 Example 3), so 0 is accepted.
 */
export const QueryOffset = z.coerce.number().int().min(0);

/** Builds the `sort` parameter schema: `<key>[:asc|desc],…`, at most 255 characters, keys from `keys`. */
export function sortParam<const K extends readonly [string, ...string[]]>(keys: K) {
  const key = keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const pattern = new RegExp(`^(${key})(:(asc|desc))?(,(${key})(:(asc|desc))?)*$`);
  return z.string().max(255).regex(pattern, `must be <key>[:asc|desc],… with keys ${keys.join(', ')}`);
}

/** Keys the backup list can be sorted by (4.5.2 `sort`). */
export const BackupSortKeys = ['created_at', 'updated_at', 'name', 'status', 'protected_at', 'id'] as const;

/** One value or the repeated values of a query parameter, as a list (`status=available&status=error`). */
const repeated = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (value === undefined || Array.isArray(value) ? value : [value]), z.array(item));

/**
 * `GET /backups` query (4.5.2 Table 4-185, plus the SDK's `enterprise_project_id` and `show_replication`).
 * Unknown parameters are ignored rather than rejected, as HTTP query strings usually are.
 */
export const BackupListQuery = z.object({
  checkpoint_id: z.string().optional(),
  dec: QueryBoolean.optional(),
  end_time: QueryTime.optional(),
  enterprise_project_id: z.string().optional(),
  image_type: ImageType.optional(),
  incremental: QueryBoolean.optional(),
  limit: QueryLimit.optional(),
  marker: z.string().min(1).optional(),
  member_status: z.enum(['pending', 'accepted', 'rejected']).optional(),
  name: z.string().optional(),
  offset: QueryOffset.optional(),
  own_type: OwnType.optional(),
  parent_id: z.string().optional(),
  resource_az: z.string().optional(),
  resource_id: z.string().optional(),
  resource_name: z.string().optional(),
  resource_type: RequestResourceType.optional(),
  show_replication: QueryBoolean.optional(),
  sort: sortParam(BackupSortKeys).optional(),
  start_time: QueryTime.optional(),
  status: repeated(BackupStatus).optional(),
  used_percent: z.coerce.number().int().min(1).max(100).optional(),
  vault_id: z.string().optional(),
});
export type BackupListQuery = z.infer<typeof BackupListQuery>;

/**
 * Wire shapes of the legacy VBS v2 backup-policy API (`/v2/{project_id}/backuppolicy…`), exactly as on the wire,
 * including the service's own spelling `rentention_*` (sic) and the camel-case `remain_first_backup_of_curMonth`.
 * Sources: seeds 000/001/004 and cbr-api-notes.md §3 (OTC VBS API reference, gophertelekomcloud fixtures).
 *
 * Response schemas are plain objects (unknown keys stripped) so the gateway can parse what the real service sends;
 * request schemas are strict and carry the documented value rules so the emulator rejects what the service rejects.
 */
import { z } from 'zod';

export const WEEK_DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
export const WeekDay = z.enum(WEEK_DAYS);
export type WeekDay = z.infer<typeof WeekDay>;

export const VbsPolicyStatus = z.enum(['ON', 'OFF']);
export const RemainFirstBackup = z.enum(['Y', 'N']);

// ---------------------------------------------------------------------------------------------------------------
// Responses

/**
 * `scheduled_policy` as the list answers it: one of frequency/week_frequency and one of rentention_num/rentention_day.
 * Enum-like fields are plain strings on read: a value the real service adds must not fail the whole response
 * (requests stay strict below).
 */
export const VbsScheduledPolicy = z.object({
  /** UTC execution times on full hours, comma-separated: `"12:00"`, `"22:00,00:00,02:00"`. */
  start_time: z.string(),
  /** Every N days (1–14). */
  frequency: z.number().int().optional(),
  week_frequency: z.array(z.string()).optional(),
  /** Number of retained backups. */
  rentention_num: z.number().int().optional(),
  /** Retention in days. */
  rentention_day: z.number().int().optional(),
  remain_first_backup_of_curMonth: z.string().optional(),
  status: z.string(),
});
export type VbsScheduledPolicy = z.infer<typeof VbsScheduledPolicy>;

/** One VBS backup policy as `GET /v2/{project_id}/backuppolicy` lists it (there is no get-by-id). */
export const VbsPolicy = z.object({
  backup_policy_id: z.string(),
  backup_policy_name: z.string(),
  scheduled_policy: VbsScheduledPolicy,
  /** Number of volumes associated with the policy. */
  policy_resource_count: z.number().int(),
  /** `UTC±HH:mm`, only when the policy was created or modified with one. */
  time_zone: z.string().optional(),
});
export type VbsPolicy = z.infer<typeof VbsPolicy>;

/** `POST /v2/{project_id}/backuppolicy` → 200. */
export const CreateVbsPolicyResponse = z.object({ backup_policy_id: z.string() });
export type CreateVbsPolicyResponse = z.infer<typeof CreateVbsPolicyResponse>;

/** `GET /v2/{project_id}/backuppolicy` → 200. */
export const ListVbsPoliciesResponse = z.object({ backup_policies: z.array(VbsPolicy) });
export type ListVbsPoliciesResponse = z.infer<typeof ListVbsPoliciesResponse>;

/**
 * `PUT /v2/{project_id}/backuppolicy/{policy_id}` → 200. The API reference documents `{"backup_policy_id"}`,
 * gophertelekomcloud's fixture expects the policy echoed without its id: every field is optional so both parse.
 */
export const UpdateVbsPolicyResponse = VbsPolicy.partial();
export type UpdateVbsPolicyResponse = z.infer<typeof UpdateVbsPolicyResponse>;

/** One entry of `success_resources` / `fail_resources` (association and disassociation). */
export const VbsPolicyResource = z.object({
  resource_id: z.string(),
  resource_type: z.string().optional(),
  availability_zone: z.string().optional(),
  /** Point of delivery (POD) of the volume, e.g. `pod01.eu-de-01`. */
  os_vol_host_attr: z.string().optional(),
  /** Why this resource failed (fail_resources only). */
  message: z.string().optional(),
  /** AutoBackup.xxxx error code (fail_resources only). */
  code: z.string().optional(),
});
export type VbsPolicyResource = z.infer<typeof VbsPolicyResource>;

/** Answer of associate and disassociate: the outcome per resource, never all-or-nothing. */
export const VbsPolicyResourcesResponse = z.object({
  success_resources: z.array(VbsPolicyResource),
  fail_resources: z.array(VbsPolicyResource),
});
export type VbsPolicyResourcesResponse = z.infer<typeof VbsPolicyResourcesResponse>;

export const VBS_BACKUP_TASK_STATUSES = ['RUNNING', 'EXECUTE_TIMEOUT', 'WAITING', 'EXECUTE_FAIL', 'EXECUTE_SUCCESS', 'SKIP'] as const;
export const VbsBackupTaskStatus = z.enum(VBS_BACKUP_TASK_STATUSES);
export type VbsBackupTaskStatus = z.infer<typeof VbsBackupTaskStatus>;

/**
 * A backup job a policy started (scheduled or executed at once). Times are UTC without zone: `2016-12-02T09:06:46.706`.
 * A job still WAITING or RUNNING has no `finished_at` and may have no `vbs_job_id` yet, absent or null.
 */
export const VbsBackupTask = z.object({
  job_id: z.string(),
  status: VbsBackupTaskStatus,
  created_at: z.string(),
  finished_at: z.string().nullish(),
  /** `autobk_` + 4 hex digits. */
  backup_name: z.string(),
  resource_id: z.string(),
  resource_type: z.string(),
  vbs_job_id: z.string().nullish(),
});
export type VbsBackupTask = z.infer<typeof VbsBackupTask>;

/** `GET /v2/{project_id}/backuppolicy/{policy_id}/backuptasks` → 200; `count` is the total before paging. */
export const ListVbsBackupTasksResponse = z.object({ tasks: z.array(VbsBackupTask), count: z.number().int() });
export type ListVbsBackupTasksResponse = z.infer<typeof ListVbsBackupTasksResponse>;

// ---------------------------------------------------------------------------------------------------------------
// Requests

const NAME_CHARS = /^[A-Za-z0-9_-]*$/;
const TAG_CHARS = /^[A-Za-z0-9_-]*$/;
/** One or more full UTC hours, comma-separated. The ascending-by-local-time rule needs time_zone, so the emulator checks it. */
const START_TIMES = /^([01]\d|2[0-3]):00(,([01]\d|2[0-3]):00)*$/;
const TIME_ZONE = /^UTC[+-](0\d|1[0-4]):[0-5]\d$/;

const policyName = z
  .string()
  .min(1)
  .max(64)
  .regex(NAME_CHARS, 'must contain only letters, digits, underscores and hyphens')
  .refine((name) => !name.startsWith('default'), 'must not start with "default"');

const startTime = z.string().regex(START_TIMES, 'must be HH:mm on full hours, comma-separated (e.g. "12:00" or "22:00,02:00")');
const frequency = z.number().int().min(1).max(14);
const weekFrequency = z
  .array(WeekDay)
  .min(1)
  .refine((days) => new Set(days).size === days.length, 'must not repeat a day');
const rententionNum = z.number().int().min(2).max(99);
/** The service floors a fractional day count before checking it. */
const rententionDay = z.number().transform(Math.floor).pipe(z.number().int().min(2).max(99999));

/** A policy tag: key 1–36, value 0–43 characters of letters, digits, `_` and `-`. */
export const VbsPolicyTag = z.strictObject({
  key: z.string().min(1).max(36).regex(TAG_CHARS, 'must contain only letters, digits, underscores and hyphens'),
  value: z.string().max(43).regex(TAG_CHARS, 'must contain only letters, digits, underscores and hyphens'),
});
export type VbsPolicyTag = z.infer<typeof VbsPolicyTag>;

export const VbsScheduledPolicyInput = z
  .strictObject({
    start_time: startTime,
    frequency: frequency.optional(),
    week_frequency: weekFrequency.optional(),
    rentention_num: rententionNum.optional(),
    rentention_day: rententionDay.optional(),
    remain_first_backup_of_curMonth: RemainFirstBackup.optional(),
    status: VbsPolicyStatus,
  })
  .superRefine((value, ctx) => {
    if (value.frequency === undefined && value.week_frequency === undefined) {
      ctx.addIssue({ code: 'custom', path: ['frequency'], message: 'or week_frequency is mandatory' });
    }
    if (value.rentention_num === undefined && value.rentention_day === undefined) {
      ctx.addIssue({ code: 'custom', path: ['rentention_num'], message: 'or rentention_day is mandatory' });
    }
  });

/** `POST /v2/{project_id}/backuppolicy` body. `time_zone` is top level, not inside scheduled_policy. */
export const CreateVbsPolicyRequest = z.strictObject({
  backup_policy_name: policyName,
  scheduled_policy: VbsScheduledPolicyInput,
  tags: z
    .array(VbsPolicyTag)
    .max(10)
    .refine((tags) => new Set(tags.map((t) => t.key)).size === tags.length, 'must not repeat a key')
    .optional(),
  time_zone: z.string().regex(TIME_ZONE, 'must be UTC+HH:mm or UTC-HH:mm').optional(),
});
export type CreateVbsPolicyRequest = z.infer<typeof CreateVbsPolicyRequest>;

/** `PUT /v2/{project_id}/backuppolicy/{policy_id}` body: the create fields, all optional, without tags. */
export const UpdateVbsPolicyRequest = z.strictObject({
  backup_policy_name: policyName.optional(),
  scheduled_policy: z
    .strictObject({
      start_time: startTime.optional(),
      frequency: frequency.optional(),
      week_frequency: weekFrequency.optional(),
      rentention_num: rententionNum.optional(),
      rentention_day: rententionDay.optional(),
      remain_first_backup_of_curMonth: RemainFirstBackup.optional(),
      status: VbsPolicyStatus.optional(),
    })
    .optional(),
  time_zone: z.string().regex(TIME_ZONE, 'must be UTC+HH:mm or UTC-HH:mm').optional(),
});
export type UpdateVbsPolicyRequest = z.infer<typeof UpdateVbsPolicyRequest>;

/**
 * `POST /v2/{project_id}/backuppolicyresources` body. `resource_type` is any string here: a type other than
 * `volume` fails that one resource (fail_resources, AutoBackup.0211), not the whole request.
 */
export const AssociateVbsPolicyResourcesRequest = z.strictObject({
  backup_policy_id: z.string().min(1),
  resources: z
    .array(z.strictObject({ resource_id: z.string().min(1), resource_type: z.string() }))
    .min(1),
});
export type AssociateVbsPolicyResourcesRequest = z.infer<typeof AssociateVbsPolicyResourcesRequest>;

/** `POST /v2/{project_id}/backuppolicyresources/{policy_id}/deleted_resources` body. */
export const DisassociateVbsPolicyResourcesRequest = z.strictObject({
  resources: z.array(z.strictObject({ resource_id: z.string().min(1) })).min(1),
});
export type DisassociateVbsPolicyResourcesRequest = z.infer<typeof DisassociateVbsPolicyResourcesRequest>;

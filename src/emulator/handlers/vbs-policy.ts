/**
 * HTTP handlers of the legacy VBS v2 backup-policy API under `/v2/{project_id}/` (errors as `{"error":{"code","message"}}`).
 *
 * Not emulated:
 * - the policy tag APIs (`backuppolicy/{id}/tags…`, `backuppolicy/tags`, `backuppolicy/resource_instances/action`):
 *   tags given at create are validated (key/value rules, at most 10) but not stored;
 * - VBS backups themselves (`cloudbackups`, `os-vendor-backup-sharing`, OpenStack-native `backups`, `/v1/…/jobs`):
 *   "execute at once" records backup jobs (`backuptasks`) but creates no backup record;
 * - scheduled execution at `start_time` (only "execute at once" runs jobs);
 * - the tenant's default policy and AutoBackup.0100 (names starting with `default` are rejected, as documented);
 * - disk-state checks (AutoBackup.0206), HANA/DESS disks (0210/0220) and the per-policy volume quota (0204).
 */
import { z } from 'zod';
import type { ProjectState } from '../state';
import type { RequestContext, Route } from '../router';
import { describeIssue } from '../validation';
import {
  AssociateVbsPolicyResourcesRequest,
  CreateVbsPolicyRequest,
  DisassociateVbsPolicyResourcesRequest,
  UpdateVbsPolicyRequest,
  VbsBackupTaskStatus,
} from '../../upstream/schemas/vbs-policy';
import {
  associateVbsPolicyResources,
  autoBackupError,
  createVbsPolicy,
  deleteVbsPolicy,
  disassociateVbsPolicyResources,
  executeVbsPolicy,
  listVbsBackupTasks,
  listVbsPolicies,
  updateVbsPolicy,
  type AutoBackupCode,
} from '../store/vbs-policy';
import { vbsError } from '../errors';

const project = (ctx: RequestContext): ProjectState => ctx.emulator.state.project(ctx.params.project_id!);

/**
 * Parses a VBS request body. Unlike `parseOrThrow`, the error code depends on which field failed
 * (AutoBackup.0101 name length, .0103 start time, ...), so the zod issue itself is mapped, not only its text.
 */
function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null) throw autoBackupError('AutoBackup.0000');
  if (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0) {
    throw autoBackupError('AutoBackup.0001');
  }
  // reportInput: describeIssue tells "is mandatory" from "must be ..." by the issue's input.
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw autoBackupError(codeFor(issue), describeIssue(issue));
}

/** Which AutoBackup code the service answers for a failing field (error table of the VBS API reference). */
function codeFor(issue: z.core.$ZodIssue): AutoBackupCode {
  if (issue.code === 'unrecognized_keys') return 'AutoBackup.0008';
  const [top, second, third] = issue.path.map(String);
  switch (top) {
    case 'backup_policy_name':
      return issue.code === 'too_small' || issue.code === 'too_big' || issue.code === 'invalid_type'
        ? 'AutoBackup.0101'
        : 'AutoBackup.0102';
    case 'scheduled_policy':
      switch (second) {
        case 'start_time':
          return 'AutoBackup.0103';
        case 'status':
          return 'AutoBackup.0104';
        case 'remain_first_backup_of_curMonth':
          return 'AutoBackup.0105';
        case 'frequency':
        case 'week_frequency':
          return 'AutoBackup.0106';
        case 'rentention_num':
        case 'rentention_day':
          return 'AutoBackup.0107';
        default:
          return 'AutoBackup.0001';
      }
    case 'tags':
      return second === undefined && issue.code === 'too_big' ? 'AutoBackup.0215' : 'AutoBackup.0214';
    case 'time_zone':
      return 'AutoBackup.0226';
    case 'backup_policy_id':
      return 'AutoBackup.0006';
    case 'resources':
      if (third === 'resource_id') return 'AutoBackup.0209';
      if (third === 'resource_type') return 'AutoBackup.0211';
      return 'AutoBackup.0207';
    default:
      return 'AutoBackup.0008';
  }
}

/** Query of `backuptasks`; the documented parameters only, each checked. */
const BackupTaskQuery = z.strictObject({
  sort_dir: z.enum(['asc', 'desc']).optional(),
  sort_key: z.literal('created_at').optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  marker: z.string().optional(),
  job_id: z.string().optional(),
  status: VbsBackupTaskStatus.optional(),
});

export const routes: Route[] = [
  {
    method: 'POST',
    pattern: '/v2/:project_id/backuppolicy',
    api: 'vbs',
    handler: (ctx) => {
      const input = parseBody(CreateVbsPolicyRequest, ctx.body);
      const policy = createVbsPolicy(ctx.emulator, project(ctx), input);
      return { status: 200, body: { backup_policy_id: policy.backup_policy_id } };
    },
  },
  {
    method: 'GET',
    pattern: '/v2/:project_id/backuppolicy',
    api: 'vbs',
    handler: (ctx) => ({ status: 200, body: { backup_policies: listVbsPolicies(project(ctx)) } }),
  },
  {
    method: 'PUT',
    pattern: '/v2/:project_id/backuppolicy/:policy_id',
    api: 'vbs',
    // The reference documents `{"backup_policy_id"}`, gophertelekomcloud expects the policy echoed: the whole policy satisfies both.
    handler: (ctx) => {
      const input = parseBody(UpdateVbsPolicyRequest, ctx.body);
      return { status: 200, body: updateVbsPolicy(project(ctx), ctx.params.policy_id!, input) };
    },
  },
  {
    method: 'DELETE',
    pattern: '/v2/:project_id/backuppolicy/:policy_id',
    api: 'vbs',
    handler: (ctx) => {
      deleteVbsPolicy(project(ctx), ctx.params.policy_id!);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    pattern: '/v2/:project_id/backuppolicy/:policy_id/action',
    api: 'vbs',
    handler: (ctx) => {
      executeVbsPolicy(ctx.emulator, project(ctx), ctx.params.policy_id!);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: '/v2/:project_id/backuppolicy/:policy_id/backuptasks',
    api: 'vbs',
    handler: (ctx) => {
      const parsed = BackupTaskQuery.safeParse(Object.fromEntries(ctx.query), { reportInput: true });
      if (!parsed.success) {
        // No AutoBackup code covers a bad query; VolumeBackup.0002 is the table's "request format is incorrect".
        throw vbsError(400, 'VolumeBackup.0002', `The request format is incorrect: ${describeIssue(parsed.error.issues[0])}`);
      }
      return { status: 200, body: listVbsBackupTasks(project(ctx), ctx.params.policy_id!, parsed.data) };
    },
  },
  {
    method: 'POST',
    pattern: '/v2/:project_id/backuppolicyresources',
    api: 'vbs',
    handler: (ctx) => {
      const input = parseBody(AssociateVbsPolicyResourcesRequest, ctx.body);
      return { status: 200, body: associateVbsPolicyResources(project(ctx), input) };
    },
  },
  {
    method: 'POST',
    pattern: '/v2/:project_id/backuppolicyresources/:policy_id/deleted_resources',
    api: 'vbs',
    handler: (ctx) => {
      const input = parseBody(DisassociateVbsPolicyResourcesRequest, ctx.body);
      return { status: 200, body: disassociateVbsPolicyResources(project(ctx), ctx.params.policy_id!, input) };
    },
  },
];

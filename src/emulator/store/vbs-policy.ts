/**
 * Business rules and state of the legacy VBS v2 backup policies: quota, name rules, schedule merging,
 * volume associations (one policy per volume) and the backup jobs an "execute at once" starts.
 * Handlers parse requests; everything that decides an outcome lives here.
 */
import type { Emulator } from '../context';
import { ApiError, vbsError } from '../errors';
import { scheduleSteps, stepKind } from '../async-work';
import type { CloudResource, ProjectState } from '../state';
import type {
  AssociateVbsPolicyResourcesRequest,
  CreateVbsPolicyRequest,
  DisassociateVbsPolicyResourcesRequest,
  UpdateVbsPolicyRequest,
  VbsBackupTask,
  VbsBackupTaskStatus,
  VbsPolicy,
  VbsPolicyResource,
  VbsPolicyResourcesResponse,
  VbsScheduledPolicy,
} from '../../upstream/schemas/vbs-policy';

/** A tenant may own at most this many policies (creating_a_backup_policy.rst). */
export const MAX_VBS_POLICIES = 10;

/**
 * The "Backup Policy" module of the VBS error table (appendix/error_codes.rst), verbatim. The table gives no HTTP
 * status; a missing policy answers 404 like every other OTC API, auth problems 401/403, internal failures 500,
 * everything else 400.
 */
const AUTO_BACKUP_ERRORS = {
  'AutoBackup.0000': [400, 'The request is empty.'],
  'AutoBackup.0001': [400, 'The object contained in the request is empty.'],
  'AutoBackup.0006': [400, 'The policy ID contained in the request is empty.'],
  'AutoBackup.0008': [400, 'Failed to convert the request into a JSON object.'],
  'AutoBackup.0009': [500, 'An exception occurred in internal system processing.'],
  'AutoBackup.0101': [400, 'The length of the backup policy name is invalid.'],
  'AutoBackup.0102': [400, 'The parameter of the backup policy name is invalid.'],
  'AutoBackup.0103': [400, 'The parameter of the backup job start time is invalid.'],
  'AutoBackup.0104': [400, 'The parameter of the backup policy status is invalid.'],
  'AutoBackup.0105': [400, 'The parameter of whether to retain the first backup in the current month is invalid.'],
  'AutoBackup.0106': [400, 'The parameter of the backup job interval is invalid.'],
  'AutoBackup.0107': [400, 'The parameter of the number of retained backups is invalid.'],
  'AutoBackup.0203': [400, 'The number of existing backup policies has reached the upper limit.'],
  'AutoBackup.0205': [404, 'The policy does not exist.'],
  'AutoBackup.0207': [400, 'The resource to be associated is empty.'],
  'AutoBackup.0209': [400, 'The resource ID or name is empty.'],
  'AutoBackup.0211': [400, 'The resource type is invalid.'],
  'AutoBackup.0214': [400, 'The tag parameter is invalid.'],
  'AutoBackup.0215': [400, 'The number of tags has reached the upper limit.'],
  'AutoBackup.0225': [400, 'The policy is being executed.'],
  'AutoBackup.0226': [400, 'The time zone parameter is invalid.'],
  'AutoBackup.1400': [400, 'The resource to be associated is invalid.'],
} as const satisfies Record<string, readonly [number, string]>;

export type AutoBackupCode = keyof typeof AUTO_BACKUP_ERRORS;

/** The table message of `code`, with `detail` appended after a colon when given. */
export function autoBackupMessage(code: AutoBackupCode, detail?: string): string {
  const message = AUTO_BACKUP_ERRORS[code][1];
  return detail ? `${message.replace(/\.$/, '')}: ${detail}` : message;
}

/** A VBS v2 error (`{"error":{"code","message"}}`) from the AutoBackup table. */
export function autoBackupError(code: AutoBackupCode, detail?: string): ApiError {
  return vbsError(AUTO_BACKUP_ERRORS[code][0], code, autoBackupMessage(code, detail));
}

// ---------------------------------------------------------------------------------------------------------------
// Policies

/** Creates a policy (200 `{"backup_policy_id"}` on the wire). Tags are validated by the schema but not kept: the tag APIs are not emulated. */
export function createVbsPolicy(emulator: Emulator, project: ProjectState, input: CreateVbsPolicyRequest): VbsPolicy {
  if (project.vbsPolicies.size >= MAX_VBS_POLICIES) {
    throw autoBackupError('AutoBackup.0203', `a tenant can create at most ${MAX_VBS_POLICIES} backup policies`);
  }
  const scheduled = effectiveSchedule({ remain_first_backup_of_curMonth: 'N', ...input.scheduled_policy });
  assertStartTimesAscending(scheduled.start_time, input.time_zone);
  const policy: VbsPolicy = {
    backup_policy_id: emulator.ids.uuid(),
    backup_policy_name: input.backup_policy_name,
    scheduled_policy: scheduled,
    policy_resource_count: 0,
    ...(input.time_zone !== undefined && { time_zone: input.time_zone }),
  };
  project.vbsPolicies.set(policy.backup_policy_id, policy);
  project.vbsPolicyResources.set(policy.backup_policy_id, new Set());
  return policy;
}

/** All policies in creation order, `policy_resource_count` taken from the associations. */
export function listVbsPolicies(project: ProjectState): VbsPolicy[] {
  return [...project.vbsPolicies.values()].map((policy) => ({
    ...policy,
    policy_resource_count: project.vbsPolicyResources.get(policy.backup_policy_id)?.size ?? 0,
  }));
}

/** The policy or 404 AutoBackup.0205. */
export function getVbsPolicy(project: ProjectState, policyId: string): VbsPolicy {
  const policy = project.vbsPolicies.get(policyId);
  if (!policy) throw autoBackupError('AutoBackup.0205', `backup policy ${policyId} does not exist`);
  return policy;
}

/**
 * Modifies a policy: given fields replace stored ones. Setting `frequency` drops `week_frequency` and vice versa
 * (and likewise `rentention_num`/`rentention_day`) because the service keeps only the one it uses.
 */
export function updateVbsPolicy(project: ProjectState, policyId: string, input: UpdateVbsPolicyRequest): VbsPolicy {
  const current = getVbsPolicy(project, policyId);
  const patch = input.scheduled_policy ?? {};
  const merged: VbsScheduledPolicy = { ...current.scheduled_policy };
  if (patch.start_time !== undefined) merged.start_time = patch.start_time;
  if (patch.status !== undefined) merged.status = patch.status;
  if (patch.remain_first_backup_of_curMonth !== undefined) merged.remain_first_backup_of_curMonth = patch.remain_first_backup_of_curMonth;
  if (patch.frequency !== undefined || patch.week_frequency !== undefined) {
    delete merged.frequency;
    delete merged.week_frequency;
    Object.assign(merged, pickDefined({ frequency: patch.frequency, week_frequency: patch.week_frequency }));
  }
  if (patch.rentention_num !== undefined || patch.rentention_day !== undefined) {
    delete merged.rentention_num;
    delete merged.rentention_day;
    Object.assign(merged, pickDefined({ rentention_num: patch.rentention_num, rentention_day: patch.rentention_day }));
  }
  const timeZone = input.time_zone ?? current.time_zone;
  const scheduled = effectiveSchedule(merged);
  assertStartTimesAscending(scheduled.start_time, timeZone);
  const updated: VbsPolicy = {
    ...current,
    backup_policy_name: input.backup_policy_name ?? current.backup_policy_name,
    scheduled_policy: scheduled,
    ...(timeZone !== undefined && { time_zone: timeZone }),
  };
  project.vbsPolicies.set(policyId, updated);
  return listVbsPolicies(project).find((p) => p.backup_policy_id === policyId)!;
}

/** Deletes a policy; its volumes become free to join another policy, its job history goes with it. */
export function deleteVbsPolicy(project: ProjectState, policyId: string): void {
  getVbsPolicy(project, policyId);
  project.vbsPolicies.delete(policyId);
  project.vbsPolicyResources.delete(policyId);
  project.vbsBackupTasks.delete(policyId);
}

/** When both are given the service uses `frequency` and `rentention_num` (API reference): keep only those. */
function effectiveSchedule(input: VbsScheduledPolicy): VbsScheduledPolicy {
  const { frequency, week_frequency, rentention_num, rentention_day, ...rest } = input;
  return {
    ...rest,
    ...(frequency !== undefined ? { frequency } : pickDefined({ week_frequency })),
    ...(rentention_num !== undefined ? { rentention_num } : pickDefined({ rentention_day })),
  };
}

/**
 * Several execution times must be "in ascending order by local time" (UTC `22:00,00:00,02:00` with `UTC+02:00`
 * is local 00:00, 02:00, 04:00). Needs the time zone, so it cannot live in the request schema.
 */
function assertStartTimesAscending(startTime: string, timeZone: string | undefined): void {
  const offset = timeZoneOffsetMinutes(timeZone);
  const local = startTime.split(',').map((t) => (Number(t.slice(0, 2)) * 60 + offset + 1440) % 1440);
  for (let i = 1; i < local.length; i++) {
    if (local[i]! <= local[i - 1]!) {
      throw autoBackupError(
        'AutoBackup.0103',
        `scheduled_policy.start_time ${startTime} must be in ascending order by local time (${timeZone ?? 'UTC+00:00'}) without repeats`,
      );
    }
  }
}

function timeZoneOffsetMinutes(timeZone: string | undefined): number {
  const match = /^UTC([+-])(\d\d):(\d\d)$/.exec(timeZone ?? '');
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

function pickDefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------------------------------------------------------
// Associations

/** The AZ and POD the associate answer reports for a volume (the API reference's example: `pod01.eu-de-01`). */
function placement(volume: CloudResource): Pick<VbsPolicyResource, 'availability_zone' | 'os_vol_host_attr'> {
  return { availability_zone: volume.availabilityZone, os_vol_host_attr: `pod01.${volume.availabilityZone}` };
}

/** The policy a volume is associated with, if any. */
export function policyOfVolume(project: ProjectState, volumeId: string): string | undefined {
  for (const [policyId, volumes] of project.vbsPolicyResources) if (volumes.has(volumeId)) return policyId;
  return undefined;
}

function fail(resource: VbsPolicyResource, code: AutoBackupCode, detail: string): VbsPolicyResource {
  return { ...resource, code, message: autoBackupMessage(code, detail) };
}

/**
 * Associates volumes with a policy, deciding per resource. A volume already in another policy is moved
 * (the VBS FAQ "Can a disk only be associated with one policy?": the system disassociates it from the original
 * policy first); one already in this policy, an unknown id, a non-volume and a type other than `volume` fail.
 */
export function associateVbsPolicyResources(
  project: ProjectState,
  input: AssociateVbsPolicyResourcesRequest,
): VbsPolicyResourcesResponse {
  const policyId = input.backup_policy_id;
  getVbsPolicy(project, policyId);
  const volumes = project.vbsPolicyResources.get(policyId) ?? new Set<string>();
  project.vbsPolicyResources.set(policyId, volumes);
  const result: VbsPolicyResourcesResponse = { success_resources: [], fail_resources: [] };
  for (const { resource_id, resource_type } of input.resources) {
    const base: VbsPolicyResource = { resource_id, resource_type };
    const resource = project.cloudResources.get(resource_id);
    const known = resource?.type === 'OS::Cinder::Volume' ? { ...base, ...placement(resource) } : base;
    if (resource_type !== 'volume') {
      result.fail_resources.push(fail(known, 'AutoBackup.0211', `resource_type ${JSON.stringify(resource_type)} must be "volume"`));
    } else if (!resource) {
      result.fail_resources.push(fail(known, 'AutoBackup.1400', `volume ${resource_id} does not exist`));
    } else if (resource.type !== 'OS::Cinder::Volume') {
      result.fail_resources.push(fail(known, 'AutoBackup.1400', `resource ${resource_id} is not an EVS disk`));
    } else if (volumes.has(resource_id)) {
      result.fail_resources.push(fail(known, 'AutoBackup.1400', `volume ${resource_id} is already associated with backup policy ${policyId}`));
    } else {
      const previous = policyOfVolume(project, resource_id);
      if (previous) project.vbsPolicyResources.get(previous)?.delete(resource_id);
      volumes.add(resource_id);
      result.success_resources.push(known);
    }
  }
  syncResourceCounts(project);
  return result;
}

/** Disassociates volumes from a policy, per resource: one not associated with this policy fails. */
export function disassociateVbsPolicyResources(
  project: ProjectState,
  policyId: string,
  input: DisassociateVbsPolicyResourcesRequest,
): VbsPolicyResourcesResponse {
  getVbsPolicy(project, policyId);
  const volumes = project.vbsPolicyResources.get(policyId) ?? new Set<string>();
  const result: VbsPolicyResourcesResponse = { success_resources: [], fail_resources: [] };
  for (const { resource_id } of input.resources) {
    if (volumes.delete(resource_id)) {
      result.success_resources.push({ resource_id });
    } else {
      result.fail_resources.push(
        fail({ resource_id }, 'AutoBackup.1400', `resource ${resource_id} is not associated with backup policy ${policyId}`),
      );
    }
  }
  syncResourceCounts(project);
  return result;
}

/** Keeps the stored records' `policy_resource_count` equal to the associations (records stay in wire shape). */
function syncResourceCounts(project: ProjectState): void {
  for (const [id, policy] of project.vbsPolicies) {
    const count = project.vbsPolicyResources.get(id)?.size ?? 0;
    if (policy.policy_resource_count !== count) project.vbsPolicies.set(id, { ...policy, policy_resource_count: count });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Execution and backup jobs

/** The job time format of the API reference: UTC, milliseconds, no zone designator (`2016-12-02T09:06:46.706`). */
export function vbsTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/Z$/, '');
}

/**
 * Records a finished or running job, e.g. for demo history. Newest jobs are listed first by default.
 * @returns the stored job
 */
export function recordVbsBackupTask(project: ProjectState, policyId: string, task: VbsBackupTask): VbsBackupTask {
  const tasks = project.vbsBackupTasks;
  const list = tasks.get(policyId) ?? [];
  list.push(task);
  tasks.set(policyId, list);
  return task;
}

/**
 * "Execute at once" (204): one backup job per associated volume, `RUNNING` until the lifecycle step completes it.
 * A volume that no longer exists in the cloud ends `EXECUTE_FAIL`. A second execution while jobs still run answers
 * AutoBackup.0225. The resulting VBS backups themselves are not created: VBS backups (`cloudbackups`) are not emulated.
 */
export function executeVbsPolicy(emulator: Emulator, project: ProjectState, policyId: string): VbsBackupTask[] {
  getVbsPolicy(project, policyId);
  const existing = project.vbsBackupTasks.get(policyId) ?? [];
  if (existing.some((task) => UNFINISHED_VBS_JOB.includes(task.status))) {
    throw autoBackupError('AutoBackup.0225', `backup policy ${policyId} still has running backup jobs`);
  }
  const started = [...(project.vbsPolicyResources.get(policyId) ?? [])].map((volumeId) =>
    recordVbsBackupTask(project, policyId, {
      job_id: emulator.ids.uuid(),
      status: 'RUNNING',
      created_at: vbsTime(emulator.clock.now()),
      backup_name: `autobk_${emulator.ids.hex32().slice(0, 4)}`,
      resource_id: volumeId,
      resource_type: 'volume',
      vbs_job_id: emulator.ids.uuid(),
    }),
  );
  const jobIds = started.map((task) => task.job_id);
  scheduleSteps(emulator, project.id, [vbsBackupTasksCompleteStep({ policyId, jobIds })]);
  return started;
}

/** Statuses of a job that has not finished yet. */
export const UNFINISHED_VBS_JOB: readonly VbsBackupTaskStatus[] = ['RUNNING', 'WAITING'];

/**
 * The end of backup jobs of a policy: each unfinished job of `jobIds` ends `EXECUTE_SUCCESS`, or `EXECUTE_FAIL` when
 * its volume no longer exists in the cloud; `finished_at` is now. Jobs (or a project) gone meanwhile are skipped.
 */
/** Step: the end of the VBS v2 backup jobs of one "execute at once" (`completeVbsBackupTasks`). */
export const vbsBackupTasksCompleteStep = stepKind('vbs.backup-tasks.complete', (emulator, projectId, args: { policyId: string; jobIds: string[] }) =>
  completeVbsBackupTasks(emulator, projectId, args.policyId, args.jobIds),
);

export function completeVbsBackupTasks(emulator: Emulator, projectId: string, policyId: string, jobIds: readonly string[]): void {
  const project = emulator.state.projects.get(projectId);
  if (!project) return;
  for (const task of project.vbsBackupTasks.get(policyId) ?? []) {
    if (!jobIds.includes(task.job_id) || !UNFINISHED_VBS_JOB.includes(task.status)) continue;
    const volume = project.cloudResources.get(task.resource_id);
    task.status = volume?.type === 'OS::Cinder::Volume' ? 'EXECUTE_SUCCESS' : 'EXECUTE_FAIL';
    task.finished_at = vbsTime(emulator.clock.now());
  }
}

export interface VbsBackupTaskQuery {
  sort_dir?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
  marker?: string;
  job_id?: string;
  status?: VbsBackupTaskStatus;
}

/** Jobs of a policy: filtered by job_id/status, sorted by created_at (default newest first), then marker/offset/limit. */
export function listVbsBackupTasks(
  project: ProjectState,
  policyId: string,
  query: VbsBackupTaskQuery,
): { tasks: VbsBackupTask[]; count: number } {
  getVbsPolicy(project, policyId);
  const dir = query.sort_dir === 'asc' ? 1 : -1;
  const all = (project.vbsBackupTasks.get(policyId) ?? [])
    .map((task, seq) => ({ task, seq }))
    .filter(({ task }) => (query.job_id === undefined || task.job_id === query.job_id) && (query.status === undefined || task.status === query.status))
    .sort((a, b) => dir * (a.task.created_at.localeCompare(b.task.created_at) || a.seq - b.seq))
    .map(({ task }) => ({ ...task }));
  let start = query.offset ?? 0;
  if (query.marker !== undefined) {
    const at = all.findIndex((task) => task.job_id === query.marker);
    start = at < 0 ? all.length : at + 1;
  }
  return { tasks: all.slice(start, start + (query.limit ?? 20)), count: all.length };
}

/** GraphQL inputs of VBS policy mutations → validated VBS v2 wire bodies (note the wire's own `rentention_*` spelling). */
import { z } from 'zod';
import {
  AssociateVbsPolicyResourcesRequest,
  CreateVbsPolicyRequest,
  DisassociateVbsPolicyResourcesRequest,
  UpdateVbsPolicyRequest,
} from '../../upstream/schemas/vbs-policy';
import type {
  AssociateVbsPolicyResourcesInput,
  CreateVbsPolicyInput,
  DisassociateVbsPolicyResourcesInput,
  UpdateVbsPolicyInput,
  VbsPolicyScheduleUpdateInput,
} from '../__generated__/resolvers-types';
import { weekday } from '../enums';
import { Id, UniqueKeyTags } from './common';
import { compact, validateInput, validateWire, type PathRules } from './validate';

const RULES: PathRules = [
  ['', 'input'],
  ['backup_policy_name', 'input.name'],
  ['time_zone', 'input.timeZone'],
  ['scheduled_policy', 'input.schedule'],
  ['scheduled_policy.start_time', 'input.schedule.startTimes'],
  ['scheduled_policy.frequency', 'input.schedule.frequencyDays'],
  ['scheduled_policy.week_frequency', 'input.schedule.weekDays'],
  ['scheduled_policy.rentention_num', 'input.schedule.retentionCount'],
  ['scheduled_policy.rentention_day', 'input.schedule.retentionDays'],
  ['scheduled_policy.remain_first_backup_of_curMonth', 'input.schedule.keepFirstBackupOfMonth'],
  ['scheduled_policy.status', 'input.schedule.enabled'],
];

const START_TIME = /^([01]\d|2[0-3]):00$/;

/** Start times: full hours, one per item (a comma in an item would smuggle a second time into the wire's list). */
const StartTimes = z.array(z.string().regex(START_TIME, 'must be a full hour as HH:00, e.g. "02:00"')).min(1, 'must list at least one time');

/** Minutes east of UTC of `UTC±HH:mm`, or undefined for anything else (the wire schema refuses it then). */
export function offsetMinutes(timeZone: string): number | undefined {
  const match = /^UTC([+-])(\d\d):(\d\d)$/.exec(timeZone);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/**
 * Several start times must be "in ascending order by local time" (API notes §3.2; the upstream answers
 * AutoBackup.0103): UTC `22:00,00:00,02:00` with `UTC+02:00` is local 00:00, 02:00, 04:00. Without a time zone
 * (`undefined`) only repeats are checked, since the policy's stored zone decides the order.
 */
function checkStartTimes(startTimes: readonly string[], timeZone: string | undefined, ctx: z.RefinementCtx, path: PropertyKey[]): void {
  if (timeZone === undefined) {
    const repeated = startTimes.find((time, i) => startTimes.indexOf(time) < i);
    if (repeated !== undefined) ctx.addIssue({ code: 'custom', path, message: `must not repeat a time: ${repeated}` });
    return;
  }
  const offset = offsetMinutes(timeZone);
  if (offset === undefined) return;
  const local = startTimes.map((time) => (Number(time.slice(0, 2)) * 60 + offset + 1440) % 1440);
  const i = local.findIndex((minute, i) => i > 0 && minute <= local[i - 1]!);
  if (i > 0) {
    const message = `must be in ascending order of local time (${timeZone}) without repeats: ${startTimes[i - 1]} is followed by ${startTimes[i]}`;
    ctx.addIssue({ code: 'custom', path, message });
  }
}

/** The gateway's own rules of a new policy (./common.ts for tags); the wire schema checks the rest. */
const CreateRules = z
  .object({ tags: UniqueKeyTags.nullish(), timeZone: z.string().nullish(), schedule: z.object({ startTimes: StartTimes }) })
  .superRefine((input, ctx) => {
    // The service reads a policy without a time zone as UTC.
    checkStartTimes(input.schedule.startTimes, input.timeZone ?? 'UTC+00:00', ctx, ['schedule', 'startTimes']);
  });

const SCHEDULE_FIELDS = ['enabled', 'startTimes', 'frequencyDays', 'weekDays', 'retentionCount', 'retentionDays', 'keepFirstBackupOfMonth'] as const;
const given = (value: unknown) => value !== undefined && value !== null;

/** A change must change something: the upstream answers AutoBackup.0001 ("The object … is empty") otherwise. */
const UpdateRules = z
  .object({
    id: Id,
    name: z.string().nullish(),
    timeZone: z.string().nullish(),
    schedule: z.looseObject({ startTimes: StartTimes.nullish() }).nullish(),
  })
  .superRefine((input, ctx) => {
    const { schedule } = input;
    if (!given(input.name) && !given(input.timeZone) && !given(schedule)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'must change at least one of name, schedule or timeZone' });
      return;
    }
    if (!schedule) return;
    if (!SCHEDULE_FIELDS.some((field) => given(schedule[field]))) {
      ctx.addIssue({ code: 'custom', path: ['schedule'], message: 'must change at least one setting' });
    }
    if (schedule.startTimes) checkStartTimes(schedule.startTimes, input.timeZone ?? undefined, ctx, ['schedule', 'startTimes']);
  });

/** The schedule fields present in `schedule` (create and update share the mapping). */
function scheduledPolicy(schedule: VbsPolicyScheduleUpdateInput) {
  const keep = schedule.keepFirstBackupOfMonth;
  const enabled = schedule.enabled;
  return compact({
    start_time: schedule.startTimes?.join(','),
    frequency: schedule.frequencyDays,
    week_frequency: schedule.weekDays?.map((day, i) => weekday.write(day, `input.schedule.weekDays[${i}]`)),
    rentention_num: schedule.retentionCount,
    rentention_day: schedule.retentionDays,
    remain_first_backup_of_curMonth: keep === undefined || keep === null ? undefined : keep ? 'Y' : 'N',
    status: enabled === undefined || enabled === null ? undefined : enabled ? 'ON' : 'OFF',
  });
}

export function createVbsPolicyBody(input: CreateVbsPolicyInput): CreateVbsPolicyRequest {
  // The tags as checked: trimmed.
  const { tags } = validateInput(CreateRules, input, 'input');
  const body = compact({
    backup_policy_name: input.name,
    scheduled_policy: scheduledPolicy({ ...input.schedule, enabled: input.schedule.enabled ?? true }),
    tags,
    time_zone: input.timeZone,
  });
  return validateWire(CreateVbsPolicyRequest, body, RULES);
}

export function updateVbsPolicyBody(input: UpdateVbsPolicyInput): UpdateVbsPolicyRequest {
  validateInput(UpdateRules, input, 'input');
  const body = compact({
    backup_policy_name: input.name,
    scheduled_policy: input.schedule ? scheduledPolicy(input.schedule) : undefined,
    time_zone: input.timeZone,
  });
  return validateWire(UpdateVbsPolicyRequest, body, RULES);
}

const RESOURCE_RULES: PathRules = [
  ['', 'input'],
  ['backup_policy_id', 'input.policyId'],
  ['resources', 'input.resourceIds'],
  ['resources.*', 'input.resourceIds.*'],
  ['resources.*.resource_id', 'input.resourceIds.*'],
];

/** VBS v2 protects disks only: every id is sent as a `volume`. */
const ResourcesRules = z.object({ policyId: Id, resourceIds: z.array(Id) });

export function associateVbsResourcesBody(input: AssociateVbsPolicyResourcesInput): AssociateVbsPolicyResourcesRequest {
  validateInput(ResourcesRules, input, 'input');
  const body = {
    backup_policy_id: input.policyId,
    resources: input.resourceIds.map((id) => ({ resource_id: id, resource_type: 'volume' })),
  };
  return validateWire(AssociateVbsPolicyResourcesRequest, body, RESOURCE_RULES);
}

export function disassociateVbsResourcesBody(input: DisassociateVbsPolicyResourcesInput): DisassociateVbsPolicyResourcesRequest {
  validateInput(ResourcesRules, input, 'input');
  const body = { resources: input.resourceIds.map((id) => ({ resource_id: id })) };
  return validateWire(DisassociateVbsPolicyResourcesRequest, body, RESOURCE_RULES);
}

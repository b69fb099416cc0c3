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

const CreateRules = z.object({ tags: UniqueKeyTags.nullish() });

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
  validateInput(z.object({ id: Id }), input, 'input');
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

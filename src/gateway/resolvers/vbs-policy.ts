/** Legacy VBS v2 backup policies: read from the one policy list per request, and their mutations. */
import type { Resolvers } from '../__generated__/resolvers-types';
import { weekday } from '../enums';
import { requireId } from '../inputs/common';
import {
  associateVbsResourcesBody,
  createVbsPolicyBody,
  disassociateVbsResourcesBody,
  updateVbsPolicyBody,
} from '../inputs/vbs-policy';
import { pageWindow, sliceConnection } from '../pagination';

export const vbsPolicyResolvers: Resolvers = {
  Query: {
    vbsPolicy: (_, { id }, { loaders }) => loaders.vbsPolicy.load(requireId(id, 'id')),
    vbsPolicies: async (_, { first, after }, { loaders }) => {
      const window = pageWindow({ first, after });
      return sliceConnection(await loaders.vbsPolicyList.load('all'), window);
    },
  },

  Mutation: {
    createVbsPolicy: async (_, { input }, { client, loaders }) => {
      const { backup_policy_id } = await client.createVbsPolicy(createVbsPolicyBody(input));
      loaders.forgetVbsPolicies();
      return { policyId: backup_policy_id };
    },
    updateVbsPolicy: async (_, { input }, { client, loaders }) => {
      await client.updateVbsPolicy(input.id, updateVbsPolicyBody(input));
      loaders.forgetVbsPolicies();
      return { policyId: input.id };
    },
    deleteVbsPolicy: async (_, { input }, { client, loaders }) => {
      await client.deleteVbsPolicy(requireId(input.id, 'input.id'));
      loaders.forgetVbsPolicies();
      return { deletedVbsPolicyId: input.id };
    },
    executeVbsPolicy: async (_, { input }, { client }) => {
      await client.executeVbsPolicy(requireId(input.id, 'input.id'));
      return { policyId: input.id };
    },
    associateVbsPolicyResources: async (_, { input }, { client, loaders }) => {
      const outcome = await client.associateVbsPolicyResources(associateVbsResourcesBody(input));
      loaders.forgetVbsPolicies();
      return { policyId: input.policyId, outcome };
    },
    disassociateVbsPolicyResources: async (_, { input }, { client, loaders }) => {
      const outcome = await client.disassociateVbsPolicyResources(input.policyId, disassociateVbsResourcesBody(input));
      loaders.forgetVbsPolicies();
      return { policyId: input.policyId, outcome };
    },
  },

  VbsPolicy: {
    id: (p) => p.backup_policy_id,
    name: (p) => p.backup_policy_name,
    schedule: (p) => p.scheduled_policy,
    resourceCount: (p) => p.policy_resource_count,
    timeZone: (p) => p.time_zone ?? null,
  },

  VbsPolicySchedule: {
    enabled: (s) => s.status === 'ON',
    startTimes: (s) =>
      s.start_time
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t.length > 0),
    frequencyDays: (s) => s.frequency ?? null,
    weekDays: (s) => s.week_frequency?.map((day) => weekday.read(day)) ?? null,
    retentionCount: (s) => s.rentention_num ?? null,
    retentionDays: (s) => s.rentention_day ?? null,
    keepFirstBackupOfMonth: (s) =>
      s.remain_first_backup_of_curMonth === undefined ? null : s.remain_first_backup_of_curMonth === 'Y',
  },

  VbsPolicyPayload: {
    policy: (p, _, { loaders }) => loaders.vbsPolicy.load(p.policyId),
  },

  VbsPolicyResourcesPayload: {
    succeeded: (p) => p.outcome.success_resources,
    failed: (p) => p.outcome.fail_resources,
    policy: (p, _, { loaders }) => loaders.vbsPolicy.load(p.policyId),
  },

  VbsPolicyResourceResult: {
    resourceId: (r) => r.resource_id,
    resourceType: (r) => r.resource_type ?? null,
    availabilityZone: (r) => r.availability_zone ?? null,
    pod: (r) => r.os_vol_host_attr ?? null,
    errorCode: (r) => r.code ?? null,
    errorMessage: (r) => r.message ?? null,
  },
};

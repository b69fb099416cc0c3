/** Every resolver map of the gateway, one per schema/*.graphql file: the only wiring list. */
import type { Resolvers } from '../__generated__/resolvers-types';
import { backupResolvers } from './backup';
import { policyResolvers } from './policy';
import { protectableResolvers } from './protectable';
import { resourceResolvers } from './resource';
import { restorePointResolvers } from './restore-point';
import { scalarResolvers } from './scalars';
import { shareMemberResolvers } from './share-member';
import { taskResolvers } from './task';
import { vaultResolvers } from './vault';
import { vaultTagResolvers } from './vault-tag';
import { vaultSummaryResolvers } from './vault-summary';
import { countResolvers } from './counts';
import { policyScheduleResolvers } from './policy-schedule';
import { replicationResolvers } from './replication';
import { vbsPolicyResolvers } from './vbs-policy';

export const resolvers: Resolvers[] = [
  scalarResolvers,
  vaultResolvers,
  resourceResolvers,
  policyResolvers,
  vbsPolicyResolvers,
  backupResolvers,
  restorePointResolvers,
  taskResolvers,
  shareMemberResolvers,
  protectableResolvers,
  vaultTagResolvers,
  vaultSummaryResolvers,
  countResolvers,
  policyScheduleResolvers,
  replicationResolvers,
];

/** Every resolver map of the gateway, one per schema/*.graphql file: the only wiring list. */
import type { Resolvers } from '../__generated__/resolvers-types';
import { backupResolvers } from './backup';
import { policyResolvers } from './policy';
import { protectableResolvers } from './protectable';
import { resourceResolvers } from './resource';
import { restorePointResolvers } from './restore-point';
import { scalarResolvers } from './scalars';
import { serverResolvers } from './server';
import { shareMemberResolvers } from './share-member';
import { subscriptionResolvers } from './subscription';
import { taskResolvers } from './task';
import { vaultResolvers } from './vault';
import { vaultTagResolvers } from './vault-tag';
import { vaultSummaryResolvers } from './vault-summary';
import { countResolvers } from './counts';
import { policyScheduleResolvers } from './policy-schedule';
import { replicationResolvers } from './replication';
import { vbsPolicyResolvers } from './vbs-policy';
import { volumeResolvers } from './volume';

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
  serverResolvers,
  volumeResolvers,
  subscriptionResolvers,
  protectableResolvers,
  vaultTagResolvers,
  vaultSummaryResolvers,
  countResolvers,
  policyScheduleResolvers,
  replicationResolvers,
];

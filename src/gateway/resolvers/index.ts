/** Every resolver map of the gateway, one per schema/*.graphql file: the only wiring list. */
import type { Resolvers } from '../__generated__/resolvers-types';
import { backupResolvers } from './backup';
import { policyResolvers } from './policy';
import { resourceResolvers } from './resource';
import { restorePointResolvers } from './restore-point';
import { scalarResolvers } from './scalars';
import { serverResolvers } from './server';
import { shareMemberResolvers } from './share-member';
import { subscriptionResolvers } from './subscription';
import { taskResolvers } from './task';
import { vaultResolvers } from './vault';
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
];

/** The emulator's whole route table: one file of handlers per resource. */
import type { Route } from '../router';
import { routes as admin } from './admin';
import { routes as backup } from './backup';
import { routes as iam } from './iam';
import { routes as policy } from './policy';
import { routes as protectable } from './protectable';
import { routes as replication } from './replication';
import { routes as restorePoint } from './restore-point';
import { routes as shareMember } from './share-member';
import { routes as task } from './task';
import { routes as vault } from './vault';
import { routes as vaultSummary } from './vault-summary';
import { routes as vaultTag } from './vault-tag';
import { routes as vbsPolicy } from './vbs-policy';
import { routes as version } from './version';

export const routes: Route[] = [
  ...iam,
  ...admin,
  ...task,
  ...shareMember,
  ...restorePoint,
  ...vault,
  ...backup,
  ...policy,
  ...vbsPolicy,
  ...protectable,
  ...vaultTag,
  ...vaultSummary,
  ...replication,
  ...version,
];

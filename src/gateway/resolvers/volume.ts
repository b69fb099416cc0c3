/** Disks (volumes) as federation entities (schema/volume.graphql): their backup data by disk id, and the edges to them. */
import type { Resolvers } from '../__generated__/resolvers-types';
import { backupConnection } from './backup';

/** The wire resource type of a disk (enums.ts `resourceType`). */
const DISK = 'OS::Cinder::Volume';

export const volumeResolvers: Resolvers = {
  Volume: {
    // The vault list filtered by resource ids: one call for every disk and server of the request.
    vault: (v, _, { loaders }) => loaders.vaultByResourceId.load(v.id),
    backups: (v, args, context) => backupConnection(context, args, { resource_id: v.id }),
    latestBackup: (v, _, { loaders }) => loaders.latestBackupByResource.load(v.id),
  },
  ProtectedResource: {
    volume: (p) => (p.resource.type === DISK ? { id: p.resource.id } : null),
  },
  Backup: {
    volume: (b) => (b.resource_type === DISK ? { id: b.resource_id } : null),
  },
};

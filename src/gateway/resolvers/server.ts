/** Servers as federation entities (schema/server.graphql): their backup data by server id, and the edges to them. */
import type { Resolvers } from '../__generated__/resolvers-types';
import { backupConnection } from './backup';

/** The wire resource type of a server (enums.ts `resourceType`). */
const SERVER = 'OS::Nova::Server';

export const serverResolvers: Resolvers = {
  Server: {
    // The vault list filtered by resource ids: one call for every server and disk of the request.
    vault: (s, _, { loaders }) => loaders.vaultByResourceId.load(s.id),
    backups: (s, args, context) => backupConnection(context, args, { resource_id: s.id }),
    latestBackup: (s, _, { loaders }) => loaders.latestBackupByResource.load(s.id),
  },
  ProtectedResource: {
    server: (p) => (p.resource.type === SERVER ? { id: p.resource.id } : null),
  },
  Backup: {
    server: (b) => (b.resource_type === SERVER ? { id: b.resource_id } : null),
  },
};

/**
 * A protected resource type that another subgraph owns (a server, a disk) as a federation entity: its backup data by
 * resource id, and the edges from protected resources and backups to it. server.ts and volume.ts are its two uses.
 */
import type { Resolvers } from '../__generated__/resolvers-types';
import { backupConnection } from './backup';

/** Server and Volume have the same fields, so one set of resolvers serves both. */
const entity: NonNullable<Resolvers['Server']> & NonNullable<Resolvers['Volume']> = {
  // The vault list filtered by resource ids: one call for every server and disk of the request.
  vault: (r, _, { loaders }) => loaders.vaultByResourceId.load(r.id),
  backups: (r, args, context) => backupConnection(context, args, { resource_id: r.id }),
  latestBackup: (r, _, { loaders }) => loaders.latestBackupByResource.load(r.id),
};

export function resourceEntityResolvers(type: 'Server' | 'Volume', edge: 'server' | 'volume', wireType: string): Resolvers {
  return {
    [type]: entity,
    ProtectedResource: { [edge]: (p: { resource: { type: string; id: string } }) => (p.resource.type === wireType ? { id: p.resource.id } : null) },
    Backup: { [edge]: (b: { resource_type: string; resource_id: string }) => (b.resource_type === wireType ? { id: b.resource_id } : null) },
  };
}

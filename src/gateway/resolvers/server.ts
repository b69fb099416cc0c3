/** Servers as federation entities (schema/server.graphql): their backup data by server id, and the edges to them. */
import { resourceEntityResolvers } from './resource-entity';

/** The wire resource type of a server (enums.ts `resourceType`). */
export const serverResolvers = resourceEntityResolvers('Server', 'server', 'OS::Nova::Server');

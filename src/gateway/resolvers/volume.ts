/** Disks (volumes) as federation entities (schema/volume.graphql): their backup data by disk id, and the edges to them. */
import { resourceEntityResolvers } from './resource-entity';

/** The wire resource type of a disk (enums.ts `resourceType`). */
export const volumeResolvers = resourceEntityResolvers('Volume', 'volume', 'OS::Cinder::Volume');

/**
 * Protectable resources: the `protectableResources` list and `protectableResource` lookup, the ProtectableResource type
 * (wire protectable instance) and its vault edge.
 */
import { Vault } from '../../upstream/schemas/vault';
import type { Resolvers } from '../__generated__/resolvers-types';
import { resourceType } from '../enums';
import { requireId } from '../inputs/common';
import { MAX_PROTECTABLE_PAGE, protectableListQuery, protectableStatus, protectableType } from '../inputs/protectable';
import { pageWindow, toConnection } from '../pagination';

export const protectableResolvers: Resolvers = {
  Query: {
    protectableResources: async (_, { type, filter, first, after }, { loaders }) => {
      const window = pageWindow({ first, after }, MAX_PROTECTABLE_PAGE);
      const wireType = protectableType.write(type, 'type');
      const { instances } = await loaders.protectableList.load({ type: wireType, query: protectableListQuery(filter, window) });
      // The API does not count: a full page may have more after it; a short one is the last, which gives the total.
      const full = instances.length >= window.limit;
      const connection = toConnection(instances, window.offset, full ? window.offset + instances.length + 1 : window.offset + instances.length);
      return { ...connection, edges: connection.edges, totalCount: full ? null : connection.totalCount };
    },
    protectableResource: (_, { type, id }, { loaders }) =>
      loaders.protectable.load({ type: protectableType.write(type, 'type'), id: requireId(id, 'id') }),
  },

  ProtectableResource: {
    name: (r) => r.name ?? null,
    type: (r) => resourceType.read(r.type),
    status: (r) => protectableStatus.readNullable(r.status),
    sizeGb: (r) => (typeof r.size === 'number' && Number.isInteger(r.size) ? r.size : null),
    protectable: (r) => r.protectable?.result ?? false,
    reason: (r) => r.protectable?.reason ?? r.protectable?.message ?? null,
    reasonCode: (r) => r.protectable?.code ?? null,
    children: (r) => r.children ?? [],
    vault: (r, _, { loaders }) => {
      const embedded = r.protectable?.vault;
      if (!embedded) return null;
      // The answer carries the vault (a VaultGet): used as it is when it is a whole vault, and shared with Vault lookups.
      const whole = Vault.safeParse(embedded);
      if (!whole.success) return loaders.vault.load(embedded.id);
      loaders.vault.prime(embedded.id, whole.data);
      return whole.data;
    },
  },
};

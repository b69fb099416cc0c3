/**
 * Protectable resource loaders: one call per distinct list query and per (type, id) lookup in a request; a listed
 * resource primes the lookup of its id, so a list followed by a lookup costs one call.
 */
import DataLoader from 'dataloader';
import type { CbrClient } from '../../upstream/client';
import type { ProtectableInstance, ProtectableList, ProtectableListQuery, ProtectableType } from '../../upstream/schemas/protectable';
import { nullIfNotFound } from '../errors';
import { eachKey } from './each-key';
import { stableKey } from './keys';

export interface ProtectableKey {
  type: ProtectableType;
  id: string;
}

export interface ProtectableListKey {
  type: ProtectableType;
  query: ProtectableListQuery;
}

export function createProtectableLoaders(client: CbrClient) {
  const protectable: DataLoader<ProtectableKey, ProtectableInstance | null, string> = new DataLoader(
    eachKey(({ type, id }: ProtectableKey) => nullIfNotFound(client.getProtectable(type, id))),
    { cacheKeyFn: stableKey },
  );

  const protectableList: DataLoader<ProtectableListKey, ProtectableList, string> = new DataLoader(
    eachKey(async ({ type, query }: ProtectableListKey) => {
      const list = await client.listProtectables(type, query);
      for (const instance of list.instances) protectable.prime({ type, id: instance.id }, instance);
      return list;
    }),
    { cacheKeyFn: ({ type, query }) => `${type}:${stableKey(query)}` },
  );

  return { protectable, protectableList };
}

/** The protectable resource arguments → the validated list query and the `{protectable_type}` path segment. */
import { z } from 'zod';
import { ProtectableListQuery, type ProtectableType } from '../../upstream/schemas/protectable';
import type { ProtectableResourceFilter, ProtectableType as GraphQLProtectableType } from '../__generated__/resolvers-types';
import { wireEnum } from '../enums';
import type { PageWindow } from '../pagination';
import { pageParams, validateQuery } from './backup';
import { FilterText, Id } from './common';
import { compact, validateInput, type PathRules } from './validate';

export const protectableType = wireEnum<GraphQLProtectableType | 'UNKNOWN', ProtectableType>({ SERVER: 'server', DISK: 'disk' });

export const protectableStatus = wireEnum<'ACTIVE' | 'DELETED' | 'ERROR' | 'UNKNOWN', 'active' | 'deleted' | 'error'>({
  ACTIVE: 'active',
  DELETED: 'deleted',
  ERROR: 'error',
});

/** The API's largest page of protectable resources. */
export const MAX_PROTECTABLE_PAGE = 50;

const LIST_RULES: PathRules = [
  ['', 'filter'],
  ['server_id', 'filter.serverId'],
  ['limit', 'first'],
  ['offset', 'after'],
];

/** The gateway's own rules of the filter (./common.ts); the wire query schema checks the rest. */
const FilterRules = z.object({ id: Id.nullish(), name: FilterText.nullish(), serverId: Id.nullish() });

export function protectableListQuery(filter: ProtectableResourceFilter | null | undefined, window: PageWindow): ProtectableListQuery {
  const f = filter ?? {};
  if (filter) validateInput(FilterRules, filter, 'filter');
  const query: ProtectableListQuery = compact({
    id: f.id,
    name: f.name,
    status: f.status ? protectableStatus.write(f.status, 'filter.status') : undefined,
    server_id: f.serverId,
    ...pageParams(window),
  });
  return validateQuery(ProtectableListQuery, query, LIST_RULES);
}

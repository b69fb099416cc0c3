/**
 * GraphQL arguments of backup lists and backup mutations → validated wire queries and bodies. Also the small helpers
 * every list query of the backup/task/share-member half uses (times, ids, validation of a query with its wire schema).
 */
import { z } from 'zod';
import { BackupListQuery, BackupRestoreRequest, type BackupRestore } from '../../upstream/schemas/backup';
import type { BackupFilter, BackupOrder, BackupOrderField, BackupOwnType, OrderDirection, RestoreBackupInput } from '../__generated__/resolvers-types';
import { backupImageType, backupStatus, resourceType, shareMemberStatus } from '../enums';
import type { PageWindow } from '../pagination';
import { filterList, FilterText, Id } from './common';
import { compact, validateInput, validateWire, type PathRules } from './validate';

/** A DateTime input (normalised ISO with milliseconds) in the lists' `%YYYY-%mm-%ddT%HH:%MM:%SSZ` form (whole seconds). */
export function queryTime(value: string | null | undefined): string | undefined {
  return value ? `${value.slice(0, 19)}Z` : undefined;
}

/**
 * A typed wire query as the strings a query string carries, for validation with the wire query schemas (which parse
 * what the emulator receives: `"true"`, `"20"`, repeated keys as lists).
 */
function asQueryStrings(query: object): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    out[key] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return out;
}

/** Validates a list query with its wire schema (BAD_USER_INPUT naming the argument) and returns it unchanged. */
export function validateQuery<Q extends object>(schema: z.ZodType, query: Q, rules: PathRules): Q {
  validateWire(schema, asQueryStrings(query), rules);
  return query;
}

/** The page window as `limit`/`offset`; offset 0 (the API's default) is left out, so a first page has the plain URL. */
export function pageParams(window: PageWindow): { limit: number; offset?: number } {
  return window.offset > 0 ? { limit: window.limit, offset: window.offset } : { limit: window.limit };
}

const OWN_TYPE: Record<BackupOwnType, 'private' | 'shared' | 'all_granted'> = {
  PRIVATE: 'private',
  SHARED: 'shared',
  ALL_GRANTED: 'all_granted',
};
const ORDER_FIELD: Record<BackupOrderField, string> = {
  CREATED_AT: 'created_at',
  UPDATED_AT: 'updated_at',
  NAME: 'name',
  STATUS: 'status',
  PROTECTED_AT: 'protected_at',
  ID: 'id',
};
const DIRECTION: Record<OrderDirection, string> = { ASC: 'asc', DESC: 'desc' };

/** Wire parameters of the backup list read as the GraphQL arguments they came from. */
const LIST_RULES: PathRules = [
  ['', 'filter'],
  ['checkpoint_id', 'filter.restorePointId'],
  ['dec', 'filter.dedicatedCloud'],
  ['limit', 'first'],
  ['offset', 'after'],
  ['sort', 'orderBy'],
];

/** The gateway's own rules of a backup filter (./common.ts); the wire query schema checks the rest. */
const BackupFilterRules = z.object({
  name: FilterText.nullish(),
  resourceAz: FilterText.nullish(),
  resourceName: FilterText.nullish(),
  status: filterList(z.string()).nullish(),
  restorePointId: Id.nullish(),
  resourceId: Id.nullish(),
  vaultId: Id.nullish(),
  parentId: Id.nullish(),
});

/**
 * The `GET /backups` query of a filter, an ordering and a page. `fixed` are the parent's conditions (a vault, a
 * resource) and override the filter's. Filters come first in the URL, then `sort`, `limit`, `offset`.
 */
export function backupListQuery(
  filter: BackupFilter | null | undefined,
  orderBy: readonly BackupOrder[] | null | undefined,
  window: PageWindow,
  fixed: BackupListQuery = {},
): BackupListQuery {
  const f = filter ?? {};
  // Most lists come without a filter (every connection of a nested query): nothing to check then.
  if (filter) validateInput(BackupFilterRules, filter, 'filter');
  const query: BackupListQuery = compact({
    checkpoint_id: f.restorePointId,
    dec: f.dedicatedCloud,
    end_time: queryTime(f.endTime),
    image_type: f.imageType ? backupImageType.write(f.imageType, 'filter.imageType') : undefined,
    incremental: f.incremental,
    member_status: f.memberStatus ? shareMemberStatus.write(f.memberStatus, 'filter.memberStatus') : undefined,
    name: f.name,
    own_type: f.ownType ? OWN_TYPE[f.ownType] : undefined,
    parent_id: f.parentId,
    resource_az: f.resourceAz,
    resource_id: f.resourceId,
    resource_name: f.resourceName,
    resource_type: f.resourceType ? resourceType.write(f.resourceType, 'filter.resourceType') : undefined,
    start_time: queryTime(f.startTime),
    status: f.status?.map((s, i) => backupStatus.write(s, `filter.status[${i}]`)),
    used_percent: f.usedPercent,
    vault_id: f.vaultId,
    ...fixed,
    sort: orderBy?.length ? orderBy.map((o) => `${ORDER_FIELD[o.field]}:${DIRECTION[o.direction ?? 'DESC']}`).join(',') : DEFAULT_SORT,
    ...pageParams(window),
  });
  return validateQuery(BackupListQuery, query, LIST_RULES);
}

/**
 * Sent when the caller gives no `orderBy`: the API documents only the default direction (desc), not the key, and
 * offset paging over an unspecified order can repeat or skip backups between pages; `id` breaks the ties of backups
 * created in the same second (the backups of one restore point), so pages stay stable.
 */
const DEFAULT_SORT = 'created_at:desc,id:desc';

const RestoreRules = z.object({
  backupId: Id,
  serverId: Id.nullish(),
  volumeId: Id.nullish(),
  resourceId: Id.nullish(),
  mappings: z.array(z.object({ backupId: Id, volumeId: Id })).nullish(),
});

/** The restore input as the wire body `{"restore": …}`, validated by the wire schema (paths read back as `input.…`). */
export function restoreBody(input: RestoreBackupInput): BackupRestoreRequest {
  validateInput(RestoreRules, input, 'input');
  const restore: BackupRestore = compact({
    mappings: input.mappings?.map((m) => ({ backup_id: m.backupId, volume_id: m.volumeId })),
    power_on: input.powerOn,
    server_id: input.serverId,
    volume_id: input.volumeId,
    resource_id: input.resourceId,
    details: input.destinationPath === undefined || input.destinationPath === null ? undefined : { destination_path: input.destinationPath },
  });
  return validateWire(BackupRestoreRequest, { restore }, [
    ['restore', 'input'],
    ['restore.details.destination_path', 'input.destinationPath'],
  ]);
}

/**
 * GraphQL enums ↔ wire strings. Every enum the upstream sends has an `UNKNOWN` value in the SDL: a wire value this
 * gateway does not know yet reads as UNKNOWN (one field degrades, the query succeeds); UNKNOWN as an input is
 * rejected before any upstream call. One table per enum, used by resolvers (read) and inputs (write).
 */
import { badUserInput } from './errors';
import type {
  BackupImageType,
  BackupReplicationStatus,
  BackupRestoreMode,
  BackupStatus,
  ChargingMode,
  CloudType,
  ConsistentLevel,
  PolicyTriggerType,
  ProtectionType,
  ResourceProtectStatus,
  ResourceType,
  RestorePointStatus,
  ShareMemberStatus,
  TaskOperationType,
  TaskStatus,
  VaultStatus,
  Weekday,
} from './__generated__/resolvers-types';

/**
 * A two-way mapping between a GraphQL enum (UPPER_CASE, with an `UNKNOWN` value) and its wire strings.
 * Reading never fails: a wire value this gateway does not know yet becomes `UNKNOWN`, so a new upstream value
 * degrades one field instead of failing the whole query. Writing rejects `UNKNOWN` as BAD_USER_INPUT.
 */
export function wireEnum<G extends string, W extends string>(table: Record<Exclude<G, 'UNKNOWN'>, W>) {
  const entries = Object.entries(table) as Array<[Exclude<G, 'UNKNOWN'>, W]>;
  const byWire = new Map<string, Exclude<G, 'UNKNOWN'>>(entries.map(([g, w]) => [w, g]));
  return {
    /** The GraphQL value of a wire value; `UNKNOWN` for any value not in the table. */
    read(wire: string): G {
      return (byWire.get(wire) ?? 'UNKNOWN') as G;
    },
    /** Like `read`, keeping null/undefined as null (for nullable fields). */
    readNullable(wire: string | null | undefined): G | null {
      return wire === null || wire === undefined ? null : this.read(wire);
    },
    /** The wire value of a GraphQL input value; `field` is the input path named in the BAD_USER_INPUT error. */
    write(value: G, field: string): W {
      const wire = Object.hasOwn(table, value) ? (table as Record<string, W>)[value] : undefined;
      if (wire === undefined) throw badUserInput(`${field}: ${value} cannot be sent to the upstream`, field);
      return wire;
    },
  };
}

/** base.graphql: what a vault (`billing.protect_type`) or a policy (`operation_type`) is for. */
export const protectionType = wireEnum<ProtectionType, 'backup' | 'replication'>({ BACKUP: 'backup', REPLICATION: 'replication' });

/** base.graphql: resource types as protected resources carry them. */
export const resourceType = wireEnum<ResourceType, 'OS::Nova::Server' | 'OS::Cinder::Volume' | 'OS::Sfs::Turbo'>({
  SERVER: 'OS::Nova::Server',
  DISK: 'OS::Cinder::Volume',
  SFS_TURBO: 'OS::Sfs::Turbo',
});

/** base.graphql: the same kinds as a vault's `billing.object_type`. */
export const objectType = wireEnum<ResourceType, 'server' | 'disk' | 'turbo'>({ SERVER: 'server', DISK: 'disk', SFS_TURBO: 'turbo' });

export const vaultStatus = wireEnum<VaultStatus, 'available' | 'lock' | 'frozen' | 'deleting' | 'error'>({
  AVAILABLE: 'available',
  LOCKED: 'lock',
  FROZEN: 'frozen',
  DELETING: 'deleting',
  ERROR: 'error',
});

export const consistentLevel = wireEnum<ConsistentLevel, 'crash_consistent' | 'app_consistent'>({
  CRASH_CONSISTENT: 'crash_consistent',
  APP_CONSISTENT: 'app_consistent',
});

export const chargingMode = wireEnum<ChargingMode, 'post_paid' | 'pre_paid'>({ POST_PAID: 'post_paid', PRE_PAID: 'pre_paid' });

export const cloudType = wireEnum<CloudType, 'public' | 'hybrid'>({ PUBLIC: 'public', HYBRID: 'hybrid' });

export const resourceProtectStatus = wireEnum<ResourceProtectStatus, string>({
  AVAILABLE: 'available',
  ERROR: 'error',
  PROTECTING: 'protecting',
  RESTORING: 'restoring',
  REMOVING: 'removing',
});

export const policyTriggerType = wireEnum<PolicyTriggerType, 'time'>({ TIME: 'time' });

export const weekday = wireEnum<Weekday, 'SUN' | 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT'>({
  SUNDAY: 'SUN',
  MONDAY: 'MON',
  TUESDAY: 'TUE',
  WEDNESDAY: 'WED',
  THURSDAY: 'THU',
  FRIDAY: 'FRI',
  SATURDAY: 'SAT',
});

// ---- backup.graphql, restore-point.graphql, task.graphql, share-member.graphql ----

export const backupStatus = wireEnum<
  BackupStatus,
  'available' | 'protecting' | 'deleting' | 'restoring' | 'error' | 'waiting_protect' | 'waiting_delete' | 'waiting_restore'
>({
  AVAILABLE: 'available',
  PROTECTING: 'protecting',
  DELETING: 'deleting',
  RESTORING: 'restoring',
  ERROR: 'error',
  WAITING_PROTECT: 'waiting_protect',
  WAITING_DELETE: 'waiting_delete',
  WAITING_RESTORE: 'waiting_restore',
});

export const backupImageType = wireEnum<BackupImageType, 'backup' | 'replication'>({ BACKUP: 'backup', REPLICATION: 'replication' });

export const backupRestoreMode = wireEnum<BackupRestoreMode, 'na' | 'backup' | 'snapshot'>({ NA: 'na', BACKUP: 'backup', SNAPSHOT: 'snapshot' });

export const backupReplicationStatus = wireEnum<
  BackupReplicationStatus,
  'replicating' | 'success' | 'fail' | 'skip' | 'waiting_replicate'
>({
  REPLICATING: 'replicating',
  SUCCESS: 'success',
  FAIL: 'fail',
  SKIP: 'skip',
  WAITING_REPLICATE: 'waiting_replicate',
});

export const restorePointStatus = wireEnum<
  RestorePointStatus,
  'available' | 'deleting' | 'protecting' | 'deleted' | 'error-deleting' | 'error'
>({
  AVAILABLE: 'available',
  DELETING: 'deleting',
  PROTECTING: 'protecting',
  DELETED: 'deleted',
  ERROR_DELETING: 'error-deleting',
  ERROR: 'error',
});

export const taskOperationType = wireEnum<
  TaskOperationType,
  'backup' | 'copy' | 'replication' | 'restore' | 'delete' | 'sync' | 'vault_delete' | 'remove_resource'
>({
  BACKUP: 'backup',
  COPY: 'copy',
  REPLICATION: 'replication',
  RESTORE: 'restore',
  DELETE: 'delete',
  SYNC: 'sync',
  VAULT_DELETE: 'vault_delete',
  REMOVE_RESOURCE: 'remove_resource',
});

export const taskStatus = wireEnum<TaskStatus, 'success' | 'skipped' | 'failed' | 'running' | 'timeout' | 'waiting'>({
  SUCCESS: 'success',
  SKIPPED: 'skipped',
  FAILED: 'failed',
  RUNNING: 'running',
  TIMEOUT: 'timeout',
  WAITING: 'waiting',
});

export const shareMemberStatus = wireEnum<ShareMemberStatus, 'pending' | 'accepted' | 'rejected'>({
  PENDING: 'pending',
  ACCEPTED: 'accepted',
  REJECTED: 'rejected',
});

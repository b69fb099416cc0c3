/**
 * Subscriptions (live progress): `taskUpdated`, `restorePointUpdated`, `backupUpdated`. Each field says what to read
 * and when the object is done (a `WatchSpec`); watches.ts runs the shared poll loop. The events are the wire models,
 * so the Task, RestorePoint and Backup resolvers answer the selection as they do for queries.
 */
import type { Backup } from '../../upstream/schemas/backup';
import type { Checkpoint } from '../../upstream/schemas/restore-point';
import type { OperationLog } from '../../upstream/schemas/task';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { GraphQLContext } from '../context';
import { requireId } from '../inputs/common';
import { createLoaders } from '../loaders';
import type { WatchEvent, WatchSpec } from '../watches';

/** Wire statuses of work still running; any other status (including one this gateway does not know) ends a watch. */
const RUNNING_TASK = new Set(['running', 'waiting']);
const RUNNING_RESTORE_POINT = new Set(['protecting']);
const RUNNING_BACKUP = new Set(['protecting', 'restoring', 'deleting', 'waiting_protect', 'waiting_restore', 'waiting_delete']);

export const taskWatch: WatchSpec<OperationLog> = {
  kind: 'task',
  read: (client, id) => client.getTask(id),
  fingerprint: (t) => `${t.status}/${t.extra_info?.common.progress ?? ''}`,
  isFinal: (t) => !RUNNING_TASK.has(t.status),
};

export const restorePointWatch: WatchSpec<Checkpoint> = {
  kind: 'restorePoint',
  read: (client, id) => client.getRestorePoint(id),
  // The resources' protection status moves with the backups: a change there is progress too.
  fingerprint: (cp) => [cp.status, ...(cp.vault?.resources ?? []).map((r) => r.protect_status ?? '')].join('/'),
  isFinal: (cp) => !RUNNING_RESTORE_POINT.has(cp.status),
};

export const backupWatch: WatchSpec<Backup> = {
  kind: 'backup',
  read: (client, id) => client.getBackup(id),
  fingerprint: (b) => b.status,
  isFinal: (b) => !RUNNING_BACKUP.has(b.status),
};

function watch<T>(spec: WatchSpec<T>, id: string, context: GraphQLContext) {
  return context.watches.subscribe(spec, {
    identity: context.identity,
    id: requireId(id, 'id'),
    openClient: context.openClient,
  });
}

/**
 * An event's object; the error that ended the watch is thrown, so the field is null with it (`NOT_FOUND`, …).
 * Every event gets fresh loaders: the context lives as long as the subscription, and edges read for an earlier event
 * (a task's backup) would otherwise answer as they were then.
 */
function eventValue<T>(event: WatchEvent<T>, context: GraphQLContext): T {
  if ('error' in event) throw event.error;
  context.loaders = createLoaders(context.client);
  return event.value;
}

export const subscriptionResolvers: Resolvers = {
  Subscription: {
    taskUpdated: {
      subscribe: (_, { id }, context) => watch(taskWatch, id, context),
      resolve: (event: WatchEvent<OperationLog>, _: unknown, context: GraphQLContext) => eventValue(event, context),
    },
    restorePointUpdated: {
      subscribe: (_, { id }, context) => watch(restorePointWatch, id, context),
      resolve: (event: WatchEvent<Checkpoint>, _: unknown, context: GraphQLContext) => eventValue(event, context),
    },
    backupUpdated: {
      subscribe: (_, { id }, context) => watch(backupWatch, id, context),
      resolve: (event: WatchEvent<Backup>, _: unknown, context: GraphQLContext) => eventValue(event, context),
    },
  },
};

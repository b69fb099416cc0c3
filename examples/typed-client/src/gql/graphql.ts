/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Status of a restore point. */
export type RestorePointStatus =
  /** The backups were taken (wire `available`). */
  | 'AVAILABLE'
  /** The restore point was deleted (wire `deleted`). */
  | 'DELETED'
  /** The restore point is being deleted (wire `deleting`). */
  | 'DELETING'
  /** Taking the backups failed (wire `error`). */
  | 'ERROR'
  /** Deleting the restore point failed (wire `error-deleting`). */
  | 'ERROR_DELETING'
  /** The backups are being taken (wire `protecting`). */
  | 'PROTECTING'
  /** The upstream sent a value this gateway does not know; the query still succeeds. Not accepted as an input. */
  | 'UNKNOWN';

/** Status of a task. */
export type TaskStatus =
  /** The task failed (wire `failed`). */
  | 'FAILED'
  /** The task is running (wire `running`). */
  | 'RUNNING'
  /** The task was skipped (wire `skipped`). */
  | 'SKIPPED'
  /** The task succeeded (wire `success`). */
  | 'SUCCESS'
  /** The task timed out (wire `timeout`). */
  | 'TIMEOUT'
  /** The upstream sent a value this gateway does not know; the query still succeeds. Not accepted as an input. */
  | 'UNKNOWN'
  /** The task is queued (wire `waiting`). */
  | 'WAITING';

export type VaultByNameQueryVariables = Exact<{
  name: string;
}>;


export type VaultByNameQuery = { vaults: { edges: Array<{ node: { id: string, name: string } }> } | null };

export type BackUpNowMutationVariables = Exact<{
  vaultId: string | number;
  name?: string | null | undefined;
}>;


export type BackUpNowMutation = { createRestorePoint: { restorePoint: { id: string, name: string | null, status: RestorePointStatus, createdAt: string | null }, task: { id: string, status: TaskStatus, progressPercent: number | null } | null } | null };

export type TaskProgressQueryVariables = Exact<{
  id: string | number;
}>;


export type TaskProgressQuery = { task: { status: TaskStatus, progressPercent: number | null, endedAt: string | null, error: { code: string, message: string } | null } | null };

export type FollowTaskSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type FollowTaskSubscription = { taskUpdated: { status: TaskStatus, progressPercent: number | null, error: { code: string, message: string } | null } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const VaultByNameDocument = new TypedDocumentString(`
    query VaultByName($name: String!) {
  vaults(first: 1, filter: {name: $name}) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<VaultByNameQuery, VaultByNameQueryVariables>;
export const BackUpNowDocument = new TypedDocumentString(`
    mutation BackUpNow($vaultId: ID!, $name: String) {
  createRestorePoint(input: {vaultId: $vaultId, name: $name}) {
    restorePoint {
      id
      name
      status
      createdAt
    }
    task {
      id
      status
      progressPercent
    }
  }
}
    `) as unknown as TypedDocumentString<BackUpNowMutation, BackUpNowMutationVariables>;
export const TaskProgressDocument = new TypedDocumentString(`
    query TaskProgress($id: ID!) {
  task(id: $id) {
    status
    progressPercent
    endedAt
    error {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<TaskProgressQuery, TaskProgressQueryVariables>;
export const FollowTaskDocument = new TypedDocumentString(`
    subscription FollowTask($id: ID!) {
  taskUpdated(id: $id) {
    status
    progressPercent
    error {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<FollowTaskSubscription, FollowTaskSubscriptionVariables>;
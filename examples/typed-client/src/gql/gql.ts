/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query VaultByName($name: String!) {\n    vaults(first: 1, filter: { name: $name }) { edges { node { id name } } }\n  }\n": typeof types.VaultByNameDocument,
    "\n  mutation BackUpNow($vaultId: ID!, $name: String) {\n    createRestorePoint(input: { vaultId: $vaultId, name: $name }) {\n      restorePoint { id name status createdAt }\n      task { id status progressPercent }\n    }\n  }\n": typeof types.BackUpNowDocument,
    "\n  query TaskProgress($id: ID!) {\n    task(id: $id) { status progressPercent endedAt error { code message } }\n  }\n": typeof types.TaskProgressDocument,
    "\n  subscription FollowTask($id: ID!) {\n    taskUpdated(id: $id) { status progressPercent error { code message } }\n  }\n": typeof types.FollowTaskDocument,
};
const documents: Documents = {
    "\n  query VaultByName($name: String!) {\n    vaults(first: 1, filter: { name: $name }) { edges { node { id name } } }\n  }\n": types.VaultByNameDocument,
    "\n  mutation BackUpNow($vaultId: ID!, $name: String) {\n    createRestorePoint(input: { vaultId: $vaultId, name: $name }) {\n      restorePoint { id name status createdAt }\n      task { id status progressPercent }\n    }\n  }\n": types.BackUpNowDocument,
    "\n  query TaskProgress($id: ID!) {\n    task(id: $id) { status progressPercent endedAt error { code message } }\n  }\n": types.TaskProgressDocument,
    "\n  subscription FollowTask($id: ID!) {\n    taskUpdated(id: $id) { status progressPercent error { code message } }\n  }\n": types.FollowTaskDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VaultByName($name: String!) {\n    vaults(first: 1, filter: { name: $name }) { edges { node { id name } } }\n  }\n"): typeof import('./graphql').VaultByNameDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BackUpNow($vaultId: ID!, $name: String) {\n    createRestorePoint(input: { vaultId: $vaultId, name: $name }) {\n      restorePoint { id name status createdAt }\n      task { id status progressPercent }\n    }\n  }\n"): typeof import('./graphql').BackUpNowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TaskProgress($id: ID!) {\n    task(id: $id) { status progressPercent endedAt error { code message } }\n  }\n"): typeof import('./graphql').TaskProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FollowTask($id: ID!) {\n    taskUpdated(id: $id) { status progressPercent error { code message } }\n  }\n"): typeof import('./graphql').FollowTaskDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

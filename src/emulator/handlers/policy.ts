/**
 * HTTP handlers of the policy API (seed 003 §4.6): create, get, list, update, delete. Binding policies to vaults
 * is in handlers/vault.ts (its paths are under `/vaults/{id}`).
 *
 * Not emulated: organization policies (`/organization-policies`), `policy_type`, replication runs (replication
 * policies are stored and bound but never fire), long-term retention (`day/week/month/year_backups`,
 * `timezone` are validated and echoed only), `full_backup_interval`, `enable_acceleration` (rejected as an
 * unknown key, as the real service does), policy tags.
 */
import type { Route } from '../router';
import { parseOrThrow } from '../validation';
import { PolicyCreateRequest, PolicyListQuery, PolicyUpdateRequest } from '../../upstream/schemas/policy';
import { createPolicy, deletePolicy, getPolicy, listPolicies, updatePolicy } from '../store/policy';

const POLICIES = '/v3/:project_id/policies';
const POLICY = `${POLICIES}/:policy_id`;

export const routes: Route[] = [
  {
    method: 'POST',
    pattern: POLICIES,
    api: 'cbr',
    handler: (ctx) => {
      const { policy } = parseOrThrow(PolicyCreateRequest, ctx.body);
      return { status: 200, body: { policy: createPolicy(ctx.emulator, ctx.params.project_id!, policy) } };
    },
  },
  {
    method: 'GET',
    pattern: POLICIES,
    api: 'cbr',
    handler: (ctx) => {
      const query = parseOrThrow(PolicyListQuery, Object.fromEntries(ctx.query));
      return { status: 200, body: listPolicies(ctx.emulator, ctx.params.project_id!, query) };
    },
  },
  {
    method: 'GET',
    pattern: POLICY,
    api: 'cbr',
    handler: (ctx) => ({ status: 200, body: { policy: getPolicy(ctx.emulator, ctx.params.project_id!, ctx.params.policy_id!) } }),
  },
  {
    method: 'PUT',
    pattern: POLICY,
    api: 'cbr',
    handler: (ctx) => {
      const { policy } = parseOrThrow(PolicyUpdateRequest, ctx.body);
      return { status: 200, body: { policy: updatePolicy(ctx.emulator, ctx.params.project_id!, ctx.params.policy_id!, policy) } };
    },
  },
  {
    method: 'DELETE',
    pattern: POLICY,
    api: 'cbr',
    handler: (ctx) => {
      deletePolicy(ctx.emulator, ctx.params.project_id!, ctx.params.policy_id!);
      return { status: 204 };
    },
  },
];

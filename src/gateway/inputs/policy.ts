/**
 * GraphQL inputs of policy mutations → validated wire bodies of create/update and of associatepolicy/dissociatepolicy;
 * the policy filter → the policy list's query.
 */
import { z } from 'zod';
import {
  PolicyCreateRequest,
  PolicyUpdateRequest,
  type OperationDefinitionCreate,
  type PolicyListQuery,
} from '../../upstream/schemas/policy';
import { AssociatePolicyRequest, DissociatePolicyRequest } from '../../upstream/schemas/vault';
import type {
  AssociateVaultPolicyInput,
  CreatePolicyInput,
  DissociateVaultPolicyInput,
  PolicyFilter,
  PolicyOperationDefinitionInput,
  UpdatePolicyInput,
} from '../__generated__/resolvers-types';
import { protectionType } from '../enums';
import { Id } from './common';
import { compact, validateInput, validateWire, type PathRules } from './validate';

// The wire's `trigger.properties.pattern` is the input's flat `pattern`; operation_definition fields camel-case as is.
const RULES: PathRules = [
  ['policy', 'input'],
  ['policy.trigger', 'input.pattern'],
  ['policy.trigger.properties', 'input.pattern'],
  ['policy.trigger.properties.pattern', 'input.pattern'],
];

function operationDefinition(od: PolicyOperationDefinitionInput): OperationDefinitionCreate {
  return compact({
    day_backups: od.dayBackups,
    week_backups: od.weekBackups,
    month_backups: od.monthBackups,
    year_backups: od.yearBackups,
    max_backups: od.maxBackups,
    retention_duration_days: od.retentionDurationDays,
    timezone: od.timezone,
    full_backup_interval: od.fullBackupInterval,
    destination_project_id: od.destinationProjectId,
    destination_region: od.destinationRegion,
  });
}

export function createPolicyBody(input: CreatePolicyInput): PolicyCreateRequest {
  const policy = compact({
    name: input.name,
    enabled: input.enabled,
    operation_type: protectionType.write(input.operationType, 'input.operationType'),
    operation_definition: operationDefinition(input.operationDefinition),
    trigger: { properties: { pattern: input.pattern } },
  });
  return validateWire(PolicyCreateRequest, { policy }, RULES);
}

export function updatePolicyBody(input: UpdatePolicyInput): PolicyUpdateRequest {
  validateInput(z.object({ id: Id }), input, 'input');
  const policy = compact({
    name: input.name,
    enabled: input.enabled,
    operation_definition: input.operationDefinition ? operationDefinition(input.operationDefinition) : undefined,
    trigger: input.pattern ? { properties: { pattern: input.pattern } } : undefined,
  });
  return validateWire(PolicyUpdateRequest, { policy }, RULES);
}

const BindingRules = z.object({ vaultId: Id, policyId: Id, destinationVaultId: Id.nullish() });

export function associatePolicyBody(input: AssociateVaultPolicyInput): AssociatePolicyRequest {
  validateInput(BindingRules, input, 'input');
  const body = compact({ policy_id: input.policyId, destination_vault_id: input.destinationVaultId });
  return validateWire(AssociatePolicyRequest, body, [['', 'input']]);
}

export function dissociatePolicyBody(input: DissociateVaultPolicyInput): DissociatePolicyRequest {
  validateInput(BindingRules, input, 'input');
  return validateWire(DissociatePolicyRequest, { policy_id: input.policyId }, [['', 'input']]);
}

const FilterRules = z.object({ vaultId: Id.nullish() });

/** The filter as the policy list's query parameters. */
export function policyListQuery(filter: PolicyFilter | null | undefined): PolicyListQuery {
  const f = filter ?? {};
  validateInput(FilterRules, f, 'filter');
  return compact({
    operation_type: f.operationType ? protectionType.write(f.operationType, 'filter.operationType') : undefined,
    vault_id: f.vaultId,
  });
}

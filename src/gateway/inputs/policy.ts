/** GraphQL inputs of policy mutations → validated wire bodies of create/update and of associatepolicy/dissociatepolicy. */
import {
  PolicyCreateRequest,
  PolicyUpdateRequest,
  type OperationDefinitionCreate,
} from '../../upstream/schemas/policy';
import { AssociatePolicyRequest, DissociatePolicyRequest } from '../../upstream/schemas/vault';
import type {
  AssociateVaultPolicyInput,
  CreatePolicyInput,
  DissociateVaultPolicyInput,
  PolicyOperationDefinitionInput,
  UpdatePolicyInput,
} from '../__generated__/resolvers-types';
import { protectionType } from '../enums';
import { compact, validateWire, type PathRules } from './validate';

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
  const policy = compact({
    name: input.name,
    enabled: input.enabled,
    operation_definition: input.operationDefinition ? operationDefinition(input.operationDefinition) : undefined,
    trigger: input.pattern ? { properties: { pattern: input.pattern } } : undefined,
  });
  return validateWire(PolicyUpdateRequest, { policy }, RULES);
}

export function associatePolicyBody(input: AssociateVaultPolicyInput): AssociatePolicyRequest {
  const body = compact({ policy_id: input.policyId, destination_vault_id: input.destinationVaultId });
  return validateWire(AssociatePolicyRequest, body, [['', 'input']]);
}

export function dissociatePolicyBody(input: DissociateVaultPolicyInput): DissociatePolicyRequest {
  return validateWire(DissociatePolicyRequest, { policy_id: input.policyId }, [['', 'input']]);
}

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
import { parsePatterns } from '../../upstream/rrule';
import { badUserInput } from '../errors';
import { schedulePatterns } from './policy-schedule';
import { compact, validateInput, validateWire, type PathRules } from './validate';

/** The schedule rules the upstream enforces (upstream/rrule.ts): a problem of one rule names it (`input.pattern[2]`). */
const Pattern = z.array(z.string()).superRefine((patterns, ctx) => {
  const parsed = parsePatterns(patterns);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', path: parsed.index === undefined ? [] : [parsed.index], message: parsed.error });
});

const DESTINATION_FIELDS = ['destinationProjectId', 'destinationRegion'] as const;

/**
 * A replication policy names where to copy to, a backup policy has no destination (the real API's rule, as the
 * emulator applies it). Only on create: an update does not carry the policy's type, so there the upstream checks it.
 */
const CreateRules = z
  .object({
    operationType: z.string(),
    operationDefinition: z.object({ destinationProjectId: z.string().nullish(), destinationRegion: z.string().nullish() }),
    pattern: Pattern,
  })
  .superRefine((input, ctx) => {
    for (const field of DESTINATION_FIELDS) {
      const given = input.operationDefinition[field] !== undefined && input.operationDefinition[field] !== null;
      const path = ['operationDefinition', field];
      if (input.operationType === 'REPLICATION' && !given) ctx.addIssue({ code: 'custom', path, message: 'is mandatory for a replication policy' });
      if (input.operationType === 'BACKUP' && given) ctx.addIssue({ code: 'custom', path, message: 'is only allowed for a replication policy' });
    }
  });

const UpdateRules = z.object({ id: Id, pattern: Pattern.nullish() });

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

/**
 * The rules of `pattern` or of `schedule` (readable form, ./policy-schedule.ts), never both; `required` on create.
 * Rules from a schedule that the upstream would refuse as a whole (too dense) name `input.schedule`.
 */
function patternOf(input: CreatePolicyInput | UpdatePolicyInput, required: boolean): string[] | undefined {
  const given = (value: unknown) => value !== undefined && value !== null;
  if (given(input.pattern) && given(input.schedule)) throw badUserInput('input.schedule: give either pattern or schedule, not both', 'input.schedule');
  if (!given(input.schedule)) {
    if (required && !given(input.pattern)) throw badUserInput('input.pattern: give pattern or schedule', 'input.pattern');
    return input.pattern ?? undefined;
  }
  const patterns = schedulePatterns(input.schedule!, 'input.schedule');
  const parsed = parsePatterns(patterns);
  if (!parsed.ok) throw badUserInput(`input.schedule: ${parsed.error}`, 'input.schedule');
  return patterns;
}

export function createPolicyBody(input: CreatePolicyInput): PolicyCreateRequest {
  const pattern = patternOf(input, true);
  validateInput(CreateRules, { ...input, pattern }, 'input');
  const policy = compact({
    name: input.name,
    enabled: input.enabled,
    operation_type: protectionType.write(input.operationType, 'input.operationType'),
    operation_definition: operationDefinition(input.operationDefinition),
    trigger: { properties: { pattern } },
  });
  return validateWire(PolicyCreateRequest, { policy }, RULES);
}

export function updatePolicyBody(input: UpdatePolicyInput): PolicyUpdateRequest {
  const pattern = patternOf(input, false);
  validateInput(UpdateRules, input, 'input');
  const policy = compact({
    name: input.name,
    enabled: input.enabled,
    operation_definition: input.operationDefinition ? operationDefinition(input.operationDefinition) : undefined,
    trigger: pattern ? { properties: { pattern } } : undefined,
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
  if (filter) validateInput(FilterRules, filter, 'filter');
  return compact({
    operation_type: f.operationType ? protectionType.write(f.operationType, 'filter.operationType') : undefined,
    vault_id: f.vaultId,
  });
}

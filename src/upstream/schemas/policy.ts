/**
 * Wire shapes of the policy resource (seed 003 §4.6, API notes 1.4): the Policy model as responses carry
 * it (permissive), the strict create/update bodies with the rules of the seed's tables, and the list
 * query and envelope. The trigger patterns' RRULE grammar is checked by ../rrule.ts (the emulator's store and the
 * gateway's inputs call it), not here: these schemas only bound the list (1–24 rules).
 */
import { z } from 'zod';
import { minusOneOrRange } from './common';

export const OPERATION_TYPES = ['backup', 'replication'] as const;
export const OperationType = z.enum(OPERATION_TYPES);
export type OperationType = z.infer<typeof OperationType>;

// ---------------------------------------------------------------------------------------------------
// Response models

/** Scheduling/retention parameters as responses carry them (seed Table 4-209 PolicyODCreate). */
export const OperationDefinition = z.looseObject({
  day_backups: z.number().nullish(),
  week_backups: z.number().nullish(),
  month_backups: z.number().nullish(),
  year_backups: z.number().nullish(),
  max_backups: z.number().nullish(),
  retention_duration_days: z.number().nullish(),
  timezone: z.string().nullish(),
  full_backup_interval: z.number().nullish(),
  destination_project_id: z.string().nullish(),
  destination_region: z.string().nullish(),
  enable_acceleration: z.boolean().nullish(),
});
export type OperationDefinition = z.infer<typeof OperationDefinition>;

/** Seed Table 4-211: `start_time` looks like `2020-01-08 09:59:49` (UTC, no zone). */
export const PolicyTriggerProperties = z.looseObject({
  pattern: z.array(z.string()),
  start_time: z.string().nullish(),
});
export type PolicyTriggerProperties = z.infer<typeof PolicyTriggerProperties>;

/** Seed Table 4-210: the scheduler of a policy; `type` is `time`, `name` is `default` in every example. */
export const PolicyTrigger = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  type: z.string().nullish(),
  properties: PolicyTriggerProperties,
});
export type PolicyTrigger = z.infer<typeof PolicyTrigger>;

/** Seed Table 4-212. */
export const PolicyAssociateVault = z.looseObject({
  vault_id: z.string(),
  destination_vault_id: z.string().nullish(),
});
export type PolicyAssociateVault = z.infer<typeof PolicyAssociateVault>;

/** Seed Table 4-208. `associated_vaults` is `null` in the create example and `[]` elsewhere. */
export const Policy = z.looseObject({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  operation_type: z.string(),
  operation_definition: OperationDefinition,
  trigger: PolicyTrigger,
  associated_vaults: z.array(PolicyAssociateVault).nullish(),
  policy_type: z.string().nullish(),
});
export type Policy = z.infer<typeof Policy>;

/** `{"policy": …}`: the body of create, get and update responses. */
export const PolicyResponse = z.looseObject({ policy: Policy });
export type PolicyResponse = z.infer<typeof PolicyResponse>;

/** `GET /policies` (seed Table 4-224): no pagination. */
export const PolicyList = z.looseObject({ policies: z.array(Policy), count: z.number() });
export type PolicyList = z.infer<typeof PolicyList>;

// ---------------------------------------------------------------------------------------------------
// Requests

const LONG_TERM_FIELDS = ['day_backups', 'week_backups', 'month_backups', 'year_backups'] as const;

/**
 * PolicyODCreate (seed Table 4-204). Ranges: the long-term counters 0–100 and they need `timezone`;
 * `max_backups` and `retention_duration_days` are −1 or 1–99999 (the tables' "Minimum: 1", their prose
 * says 0–99999 for max_backups; keeping 0 backups is meaningless); `full_backup_interval` −1..100.
 * `destination_project_id`/`destination_region` are not in the seed but are how the real API
 * configures replication policies (notes 1.4); other keys (e.g. `enable_acceleration`) answer
 * `invalid key`, as the real service does.
 */
export const OperationDefinitionCreate = z
  .strictObject({
    day_backups: z.int().min(0).max(100).optional(),
    week_backups: z.int().min(0).max(100).optional(),
    month_backups: z.int().min(0).max(100).optional(),
    year_backups: z.int().min(0).max(100).optional(),
    max_backups: minusOneOrRange(1, 99999).optional(),
    retention_duration_days: minusOneOrRange(1, 99999).optional(),
    timezone: z
      .string()
      .regex(/^UTC[+-](0\d|1[0-4]):[0-5]\d$/, 'must look like UTC+08:00')
      .optional(),
    full_backup_interval: z.int().min(-1).max(100).optional(),
    destination_project_id: z.string().min(1).optional(),
    destination_region: z.string().min(1).optional(),
  })
  .superRefine((od, ctx) => {
    if (od.timezone !== undefined) return;
    const set = LONG_TERM_FIELDS.find((field) => od[field] !== undefined);
    if (set) ctx.addIssue({ code: 'custom', path: ['timezone'], message: `is mandatory when ${set} is set` });
  });
export type OperationDefinitionCreate = z.infer<typeof OperationDefinitionCreate>;

/** Seed Table 4-205/4-206: `{"properties":{"pattern":[…]}}`, at most 24 rules. */
export const PolicyTriggerCreate = z.strictObject({
  properties: z.strictObject({
    pattern: z.array(z.string().min(1)).min(1).max(24),
  }),
});
export type PolicyTriggerCreate = z.infer<typeof PolicyTriggerCreate>;

/** Seed Table 4-203: "1 to 64 characters … only letters, digits, underscores (_), and hyphens (-)". */
const PolicyName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}_-]+$/u, 'can contain only letters, digits, underscores (_) and hyphens (-)');

/**
 * PolicyCreate (seed Table 4-203). `operation_type` is mandatory per the table (the seed's worked
 * example 5.2 omits it; the table wins). `enabled` defaults to true.
 */
export const PolicyCreate = z.strictObject({
  enabled: z.boolean().optional(),
  name: PolicyName,
  operation_definition: OperationDefinitionCreate,
  operation_type: OperationType,
  trigger: PolicyTriggerCreate,
});
export type PolicyCreate = z.infer<typeof PolicyCreate>;
export const PolicyCreateRequest = z.strictObject({ policy: PolicyCreate });
export type PolicyCreateRequest = z.infer<typeof PolicyCreateRequest>;

/** PolicyUpdate (seed Table 4-233): everything optional, no `operation_type`. */
export const PolicyUpdate = z.strictObject({
  enabled: z.boolean().optional(),
  name: PolicyName.optional(),
  operation_definition: OperationDefinitionCreate.optional(),
  trigger: PolicyTriggerCreate.optional(),
});
export type PolicyUpdate = z.infer<typeof PolicyUpdate>;
export const PolicyUpdateRequest = z.strictObject({ policy: PolicyUpdate });
export type PolicyUpdateRequest = z.infer<typeof PolicyUpdateRequest>;

/** Query of `GET /policies` (seed Table 4-222). */
export const PolicyListQuery = z.object({
  operation_type: OperationType.optional(),
  vault_id: z.string().optional(),
});
export type PolicyListQuery = z.infer<typeof PolicyListQuery>;

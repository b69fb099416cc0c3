/** The createRestorePoint input → the validated `POST /checkpoints` body `{"checkpoint": {vault_id, parameters}}`. */
import { z } from 'zod';
import { CreateCheckpointRequest, type CheckpointParam } from '../../upstream/schemas/restore-point';
import type { CreateRestorePointInput } from '../__generated__/resolvers-types';
import { resourceType } from '../enums';
import { Id } from './common';
import { compact, validateInput, validateWire, type PathRules } from './validate';

const CreateRules = z.object({
  vaultId: Id,
  resourceIds: z.array(Id).nullish(),
  resources: z.array(z.object({ id: Id, excludedVolumeIds: z.array(Id).nullish() })).nullish(),
});

const RULES: PathRules = [
  ['checkpoint', 'input'],
  ['checkpoint.parameters', 'input'],
  ['checkpoint.parameters.resources', 'input.resourceIds'],
  ['checkpoint.parameters.resource_details', 'input.resources'],
  ['checkpoint.parameters.resource_details.*.extra_info.exclude_volumes', 'input.resources.*.excludedVolumeIds'],
];

export function createRestorePointBody(input: CreateRestorePointInput): CreateCheckpointRequest {
  validateInput(CreateRules, input, 'input');
  const parameters: CheckpointParam = compact({
    auto_trigger: input.autoTrigger,
    description: input.description,
    incremental: input.incremental,
    name: input.name,
    resources: input.resourceIds,
    resource_details: input.resources?.map((r, i) => ({
      id: r.id,
      type: resourceType.write(r.type, `input.resources[${i}].type`),
      ...compact({ name: r.name, extra_info: r.excludedVolumeIds ? { exclude_volumes: r.excludedVolumeIds } : undefined }),
    })),
  });
  const checkpoint = compact({
    vault_id: input.vaultId,
    // Without parameters the service backs up every resource of the vault with its defaults: send none.
    parameters: Object.keys(parameters).length > 0 ? parameters : undefined,
  });
  return validateWire(CreateCheckpointRequest, { checkpoint }, RULES);
}

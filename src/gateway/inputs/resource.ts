/** GraphQL inputs of resource associations → validated wire bodies of addresources / removeresources / migrateresources. */
import { z } from 'zod';
import { AddResourcesRequest, MigrateResourcesRequest, RemoveResourcesRequest, type ResourceCreate } from '../../upstream/schemas/resource';
import type {
  AddVaultResourcesInput,
  MigrateVaultResourcesInput,
  RemoveVaultResourcesInput,
  VaultResourceInput,
} from '../__generated__/resolvers-types';
import { resourceType } from '../enums';
import { Id } from './common';
import { compact, validateInput, validateWire, type PathRules } from './validate';

/** The gateway's own rules of a `VaultResourceInput` (./common.ts); the wire schema checks the rest. */
export const VaultResourceRules = z.object({ id: Id, excludedVolumeIds: z.array(Id).nullish() });

/** A resource input at input path `field` (e.g. `input.resources[0]`) → the wire `ResourceCreate` (not yet validated). */
export function resourceCreate(resource: VaultResourceInput, field: string): ResourceCreate {
  return compact({
    id: resource.id,
    type: resourceType.write(resource.type, `${field}.type`),
    name: resource.name,
    extra_info: resource.excludedVolumeIds ? { exclude_volumes: resource.excludedVolumeIds } : undefined,
  }) as ResourceCreate;
}

/** Wire paths of a `ResourceCreate` list at `wire`, read as the input list at `input`. */
export function resourceListRules(wire: string, input: string): PathRules {
  return [
    [wire, input],
    [`${wire}.*.extra_info`, `${input}.*.excludedVolumeIds`],
    [`${wire}.*.extra_info.exclude_volumes`, `${input}.*.excludedVolumeIds`],
  ];
}

const AddRules = z.object({ vaultId: Id, resources: z.array(VaultResourceRules) });

export function addResourcesBody(input: AddVaultResourcesInput): AddResourcesRequest {
  validateInput(AddRules, input, 'input');
  const body = { resources: input.resources.map((r, i) => resourceCreate(r, `input.resources[${i}]`)) };
  return validateWire(AddResourcesRequest, body, resourceListRules('resources', 'input.resources'));
}

const RemoveRules = z.object({ vaultId: Id, resourceIds: z.array(Id) });

export function removeResourcesBody(input: RemoveVaultResourcesInput): RemoveResourcesRequest {
  validateInput(RemoveRules, input, 'input');
  return validateWire(RemoveResourcesRequest, { resource_ids: input.resourceIds }, [['', 'input']]);
}

/** The upstream refuses a migration into the source vault itself (9900, as the emulator answers it). */
const MigrateRules = z
  .object({ vaultId: Id, destinationVaultId: Id, resourceIds: z.array(Id) })
  .refine((input) => input.destinationVaultId !== input.vaultId, {
    path: ['destinationVaultId'],
    message: 'must differ from the source vault (input.vaultId)',
  });

export function migrateResourcesBody(input: MigrateVaultResourcesInput): MigrateResourcesRequest {
  validateInput(MigrateRules, input, 'input');
  const body = { destination_vault_id: input.destinationVaultId, resource_ids: input.resourceIds };
  return validateWire(MigrateResourcesRequest, body, [['', 'input']]);
}

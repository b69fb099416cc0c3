/** GraphQL inputs of resource associations → validated wire bodies of addresources / removeresources / migrateresources. */
import { AddResourcesRequest, MigrateResourcesRequest, RemoveResourcesRequest, type ResourceCreate } from '../../upstream/schemas/resource';
import type {
  AddVaultResourcesInput,
  MigrateVaultResourcesInput,
  RemoveVaultResourcesInput,
  VaultResourceInput,
} from '../__generated__/resolvers-types';
import { resourceType } from '../enums';
import { compact, validateWire, type PathRules } from './validate';

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

export function addResourcesBody(input: AddVaultResourcesInput): AddResourcesRequest {
  const body = { resources: input.resources.map((r, i) => resourceCreate(r, `input.resources[${i}]`)) };
  return validateWire(AddResourcesRequest, body, resourceListRules('resources', 'input.resources'));
}

export function removeResourcesBody(input: RemoveVaultResourcesInput): RemoveResourcesRequest {
  return validateWire(RemoveResourcesRequest, { resource_ids: input.resourceIds }, [['', 'input']]);
}

export function migrateResourcesBody(input: MigrateVaultResourcesInput): MigrateResourcesRequest {
  const body = { destination_vault_id: input.destinationVaultId, resource_ids: input.resourceIds };
  return validateWire(MigrateResourcesRequest, body, [['', 'input']]);
}

/**
 * Protectable resources: the servers and disks of a project as CBR offers them for protection, each with whether it can
 * be associated with a vault now (`protectable.result`), why not (the code and message addresources would answer), and
 * the vault that protects it. Read-only: derived from the cloud resources and the vaults on every call.
 *
 * Emulator decisions: every cloud resource is `active` (the emulator's cloud has no failed or deleted servers); the disk
 * list holds the standalone disks, and with `server_id` the disks attached to that server, which are protected with
 * their server (not protectable on their own: addresources takes standalone disks only).
 */
import type { Emulator } from '../context';
import { apiError, invalidParameter } from '../errors';
import type { CloudResource, ProjectState } from '../state';
import type { ProtectableInstance, ProtectableListQuery, ProtectableResult, ProtectableType } from '../../upstream/schemas/protectable';
import { pageAfterMarker } from './backup';
import { findResource } from './resource';
import { presentVault } from './vault';

/** What a disk attached to a server says about itself: it is backed up with the server. */
const ATTACHED_REASON = 'The disk is attached to a server: protect the server, whose backups include its disks.';

/** `GET /protectables/{type}/instances`: in creation order; filters combine with AND; `limit` default 50. */
export function listProtectables(emulator: Emulator, projectId: string, type: string, query: ProtectableListQuery): { instances: ProtectableInstance[] } {
  const project = emulator.state.project(projectId);
  const kind = checkType(type);
  const matching = candidates(project, kind, query.server_id).filter(
    (instance) =>
      (query.id === undefined || instance.id === query.id) &&
      (query.name === undefined || (instance.name ?? '').includes(query.name)) &&
      (query.status === undefined || instance.status === query.status),
  );
  return { instances: pageAfterMarker(matching, query.marker, query.offset ?? 0, query.limit ?? 50) };
}

/** `GET /protectables/{type}/instances/{id}`: 404 BackupService.7100 for an unknown server, 7000 for an unknown disk. */
export function getProtectable(emulator: Emulator, projectId: string, type: string, id: string): ProtectableInstance {
  const project = emulator.state.project(projectId);
  const kind = checkType(type);
  const cloud = project.cloudResources.get(id);
  const attachedTo = kind === 'disk' ? [...project.cloudResources.values()].find((r) => r.disks?.some((d) => d.id === id)) : undefined;
  const instance = attachedTo
    ? attachedDisks(attachedTo).find((disk) => disk.id === id)
    : cloud && cloud.type === RESOURCE_TYPE[kind]
      ? toInstance(project, cloud)
      : undefined;
  if (!instance) throw apiError(kind === 'server' ? 'BackupService.7100' : 'BackupService.7000');
  return instance;
}

const RESOURCE_TYPE: Record<ProtectableType, CloudResource['type']> = { server: 'OS::Nova::Server', disk: 'OS::Cinder::Volume' };

function checkType(type: string): ProtectableType {
  if (type !== 'server' && type !== 'disk') throw invalidParameter(`protectable_type must be one of "server", "disk", got "${type}"`);
  return type;
}

/** The instances a list starts from: the resources of the kind, or, with `server_id`, that server or its disks. */
function candidates(project: ProjectState, kind: ProtectableType, serverId: string | undefined): ProtectableInstance[] {
  if (serverId !== undefined) {
    const server = project.cloudResources.get(serverId);
    if (!server || server.type !== 'OS::Nova::Server') return [];
    return kind === 'server' ? [toInstance(project, server)] : attachedDisks(server);
  }
  return [...project.cloudResources.values()].filter((r) => r.type === RESOURCE_TYPE[kind]).map((r) => toInstance(project, r));
}

function toInstance(project: ProjectState, cloud: CloudResource): ProtectableInstance {
  return {
    id: cloud.id,
    name: cloud.name,
    type: cloud.type,
    status: 'active',
    size: cloud.sizeGb,
    detail: { availability_zone: cloud.availabilityZone },
    children: cloud.type === 'OS::Nova::Server' ? attachedDisks(cloud) : [],
    protectable: protectableResult(project, cloud.id),
  };
}

function attachedDisks(server: CloudResource): ProtectableInstance[] {
  return (server.disks ?? []).map((disk) => ({
    id: disk.id,
    name: disk.name,
    type: 'OS::Cinder::Volume',
    status: 'active',
    size: disk.sizeGb,
    detail: { server_id: server.id, bootable: disk.bootable },
    children: [],
    protectable: { result: false, reason: ATTACHED_REASON },
  }));
}

/** Protectable unless a vault holds it already: then addresources' answer (6103, or 6134 while it is being removed). */
function protectableResult(project: ProjectState, resourceId: string): ProtectableResult {
  const holder = findResource(project, resourceId);
  if (!holder) return { result: true };
  const error = apiError(holder.resource.protect_status === 'removing' ? 'BackupService.6134' : 'BackupService.6103');
  return { result: false, code: error.code, reason: error.message, vault: presentVault(project, holder.vault) };
}

/**
 * Test builders: cloud resources (servers with disks, volumes, SFS Turbo) and vaults put straight into an emulator's
 * state, for tests of backups, restore points, tasks and sharing that should not depend on the vault endpoints.
 */
import type { Emulator } from '../../src/emulator/context';
import type { CloudResource } from '../../src/emulator/state';
import type { Backup } from '../../src/upstream/schemas/backup';
import type { Vault } from '../../src/upstream/schemas/vault';

type Disk = NonNullable<CloudResource['disks']>[number];

/** A server with a 40 GB system disk (or the given disks) in `eu-de-01`, registered in the project's cloud. */
export function addServer(
  emulator: Emulator,
  projectId: string,
  options: { name?: string; az?: string; disks?: Array<Partial<Omit<Disk, 'id'>>> } = {},
): CloudResource {
  const disks: Disk[] = (options.disks ?? [{ bootable: true, sizeGb: 40 }]).map((disk, i) => ({
    id: emulator.ids.uuid(),
    name: disk.name ?? `${options.name ?? 'ecs'}-disk-${i}`,
    sizeGb: disk.sizeGb ?? 40,
    bootable: disk.bootable ?? i === 0,
  }));
  const server: CloudResource = {
    id: emulator.ids.uuid(),
    type: 'OS::Nova::Server',
    name: options.name ?? 'ecs-test',
    sizeGb: disks.reduce((sum, disk) => sum + disk.sizeGb, 0),
    availabilityZone: options.az ?? 'eu-de-01',
    disks,
  };
  emulator.state.project(projectId).cloudResources.set(server.id, server);
  return server;
}

/** A standalone disk (EVS volume). */
export function addVolume(emulator: Emulator, projectId: string, options: { name?: string; sizeGb?: number; az?: string } = {}): CloudResource {
  const volume: CloudResource = {
    id: emulator.ids.uuid(),
    type: 'OS::Cinder::Volume',
    name: options.name ?? 'evs-test',
    sizeGb: options.sizeGb ?? 20,
    availabilityZone: options.az ?? 'eu-de-01',
  };
  emulator.state.project(projectId).cloudResources.set(volume.id, volume);
  return volume;
}

/** An SFS Turbo file system. */
export function addTurbo(emulator: Emulator, projectId: string, options: { name?: string; sizeGb?: number } = {}): CloudResource {
  const turbo: CloudResource = {
    id: emulator.ids.uuid(),
    type: 'OS::Sfs::Turbo',
    name: options.name ?? 'sfs-turbo-test',
    sizeGb: options.sizeGb ?? 500,
    availabilityZone: 'eu-de-01',
  };
  emulator.state.project(projectId).cloudResources.set(turbo.id, turbo);
  return turbo;
}

const OBJECT_TYPE: Record<CloudResource['type'], 'server' | 'disk' | 'turbo'> = {
  'OS::Nova::Server': 'server',
  'OS::Cinder::Volume': 'disk',
  'OS::Sfs::Turbo': 'turbo',
};

const SPEC_CODE = {
  server: 'vault.backup.server.normal',
  disk: 'vault.backup.volume.normal',
  turbo: 'vault.backup.turbo.normal',
} as const;

const PROVIDER = {
  server: '0daac4c5-6707-4851-97ba-169e36266b66',
  disk: 'd1603440-187d-4516-af25-121250c7cc97',
  turbo: '3f3c3220-245c-4805-b811-758870015881',
} as const;

export interface VaultOptions {
  name?: string;
  /** Default: the type of the first resource, else `server`. */
  objectType?: 'server' | 'disk' | 'turbo';
  /** GB, default 200. */
  size?: number;
  status?: 'available' | 'lock' | 'frozen' | 'deleting' | 'error';
  protectType?: 'backup' | 'replication';
  resources?: CloudResource[];
  /** Disk ids left out of server backups (`extra_info.exclude_volumes` of each server resource). */
  excludeVolumes?: string[];
}

/** A vault in wire shape (as the vault store keeps it) holding `resources`, put into the project's state. */
export function addVault(emulator: Emulator, projectId: string, options: VaultOptions = {}): Vault {
  const resources = options.resources ?? [];
  const objectType = options.objectType ?? (resources[0] ? OBJECT_TYPE[resources[0].type] : 'server');
  const vault = {
    id: emulator.ids.uuid(),
    name: options.name ?? 'vault-test',
    description: '',
    project_id: projectId,
    provider_id: PROVIDER[objectType],
    enterprise_project_id: '0',
    auto_bind: false,
    bind_rules: {},
    user_id: 'demo-user',
    created_at: '2024-01-01T00:00:00.000000',
    tags: [],
    billing: {
      allocated: 0,
      charging_mode: 'post_paid',
      cloud_type: 'public',
      consistent_level: 'crash_consistent',
      object_type: objectType,
      protect_type: options.protectType ?? 'backup',
      size: options.size ?? 200,
      spec_code: SPEC_CODE[objectType],
      status: options.status ?? 'available',
      used: 0,
      storage_unit: null,
      frozen_scene: null,
      order_id: null,
      product_id: null,
    },
    resources: resources.map((resource) => ({
      id: resource.id,
      type: resource.type,
      name: resource.name,
      size: resource.sizeGb,
      protect_status: 'available' as const,
      backup_count: 0,
      backup_size: 0,
      ...(options.excludeVolumes && resource.type === 'OS::Nova::Server' ? { extra_info: { exclude_volumes: options.excludeVolumes } } : {}),
    })),
  } satisfies Vault;
  emulator.state.project(projectId).vaults.set(vault.id, vault);
  return vault;
}

/** A fixed start for frozen-clock tests: 2024-03-01T08:00:00Z. */
export const T0 = Date.parse('2024-03-01T08:00:00Z');

/** Minimal HTTP surface of the test emulator the request helpers need. */
interface Caller {
  call(method: string, path: string, body?: unknown, options?: { token?: string | null }): Promise<{ status: number; body: any }>;
}

/** `POST /v3/{project}/checkpoints` that must succeed; returns the answered checkpoint. */
export async function createCheckpoint(
  emu: Caller,
  projectId: string,
  vaultId: string,
  parameters?: Record<string, unknown>,
  token?: string,
): Promise<any> {
  const body = { checkpoint: { vault_id: vaultId, ...(parameters ? { parameters } : {}) } };
  const res = await emu.call('POST', `/v3/${projectId}/checkpoints`, body, { token });
  if (res.status !== 200) throw new Error(`checkpoint creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.checkpoint;
}

/** The top-level backups of a checkpoint (`GET /backups?checkpoint_id=`), as TF-HWC finds them. */
export async function backupsOf(emu: Caller, projectId: string, checkpointId: string, token?: string): Promise<any[]> {
  const res = await emu.call('GET', `/v3/${projectId}/backups?checkpoint_id=${checkpointId}`, undefined, { token });
  if (res.status !== 200) throw new Error(`backup list failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.backups;
}

/**
 * The wire form of a backup still being protected, as the service answers it: its creation time set, every other time,
 * its size, name and details null.
 */
export function protectingBackup(fields: Pick<Backup, 'id' | 'project_id'> & Partial<Backup>): Backup {
  return {
    name: 'manualbk',
    status: 'protecting',
    checkpoint_id: 'cp-1',
    vault_id: 'v-1',
    resource_id: 's-1',
    resource_type: 'OS::Nova::Server',
    created_at: '2024-03-01T08:00:00.000000',
    updated_at: null,
    protected_at: null,
    expired_at: null,
    resource_size: null,
    resource_name: null,
    provider_id: null,
    extend_info: null,
    replication_records: null,
    ...fields,
  };
}

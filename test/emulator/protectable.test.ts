/**
 * Protectable resources over REST: the server and disk lists with their filters and paging, a server's disks as
 * children, the protectable result and reason (free, already in a vault with that vault, attached disk), the lookup by
 * id and its 404s, and the refused type and query values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_A, PROJECT_B, startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { addServer, addVault, addVolume, T0 } from '../helpers/builders';
import type { CloudResource } from '../../src/emulator/state';

const base = `/v3/${PROJECT_A}/protectables`;

describe('protectables', () => {
  let emu: TestEmulator;
  let web: CloudResource;
  let db: CloudResource;
  let free: CloudResource;
  let vaultId: string;

  beforeAll(async () => {
    emu = await startTestEmulator({ lifecycle: 'immediate', clock: { mode: 'frozen', start: T0 } });
    web = addServer(emu.emulator, PROJECT_A, { name: 'web-1', disks: [{ name: 'sys', sizeGb: 40 }, { name: 'data', sizeGb: 100, bootable: false }] });
    db = addServer(emu.emulator, PROJECT_A, { name: 'db-1' });
    free = addVolume(emu.emulator, PROJECT_A, { name: 'vol-free', sizeGb: 20 });
    vaultId = addVault(emu.emulator, PROJECT_A, { resources: [db], name: 'vault-db' }).id;
  });
  afterAll(() => emu.close());

  it('lists servers with their disks as children, and says which can be protected and why not', async () => {
    const res = await emu.call('GET', `${base}/server/instances`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['instances']);
    const [first, second] = res.body.instances;
    expect(first).toEqual({
      id: web.id,
      name: 'web-1',
      type: 'OS::Nova::Server',
      status: 'active',
      size: 140,
      detail: { availability_zone: 'eu-de-01' },
      children: [
        expect.objectContaining({ id: web.disks![0]!.id, name: 'sys', type: 'OS::Cinder::Volume', size: 40, status: 'active', children: [] }),
        expect.objectContaining({ id: web.disks![1]!.id, name: 'data', type: 'OS::Cinder::Volume', size: 100 }),
      ],
      protectable: { result: true },
    });
    expect(second.protectable).toEqual({
      result: false,
      code: 'BackupService.6103',
      reason: 'The resource has been associated with a vault.',
      vault: expect.objectContaining({ id: vaultId, name: 'vault-db', resources: [expect.objectContaining({ id: db.id })] }),
    });
  });

  it('lists standalone disks, or with server_id the disks of that server, which are protected with it', async () => {
    expect((await emu.call('GET', `${base}/disk/instances`)).body.instances.map((i: any) => [i.id, i.protectable.result])).toEqual([[free.id, true]]);
    const attached = (await emu.call('GET', `${base}/disk/instances?server_id=${web.id}`)).body.instances;
    expect(attached.map((i: any) => [i.name, i.protectable.result, i.detail.server_id])).toEqual([
      ['sys', false, web.id],
      ['data', false, web.id],
    ]);
    expect(attached[0].protectable.reason).toMatch(/attached to a server/);
  });

  it('filters by id, name (part of it), status and server_id, and pages by limit, offset and marker', async () => {
    const names = async (query: string) => (await emu.call('GET', `${base}/server/instances?${query}`)).body.instances.map((i: any) => i.name);
    expect(await names(`id=${db.id}`)).toEqual(['db-1']);
    expect(await names('name=web')).toEqual(['web-1']);
    expect(await names('status=active')).toEqual(['web-1', 'db-1']);
    expect(await names('status=error')).toEqual([]);
    expect(await names(`server_id=${db.id}`)).toEqual(['db-1']);
    expect(await names('limit=1')).toEqual(['web-1']);
    expect(await names('limit=1&offset=1')).toEqual(['db-1']);
    expect(await names(`marker=${web.id}`)).toEqual(['db-1']);
  });

  it('answers one instance by id, and 404 with the missing kind of resource', async () => {
    const server = await emu.call('GET', `${base}/server/instances/${db.id}`);
    expect(server.status).toBe(200);
    expect(server.body.instance).toMatchObject({ id: db.id, protectable: { result: false, vault: { id: vaultId } } });
    const disk = await emu.call('GET', `${base}/disk/instances/${web.disks![1]!.id}`);
    expect(disk.body.instance).toMatchObject({ name: 'data', protectable: { result: false } });
    const noServer = await emu.call('GET', `${base}/server/instances/${free.id}`);
    expect([noServer.status, noServer.body]).toEqual([404, { error_code: 'BackupService.7100', error_msg: 'The server does not exist.' }]);
    const noDisk = await emu.call('GET', `${base}/disk/instances/${web.id}`);
    expect([noDisk.status, noDisk.body.error_code]).toEqual([404, 'BackupService.7000']);
  });

  it('refuses another protectable type, a limit above 50 and an unknown status with 9900', async () => {
    for (const path of ['turbo/instances', 'server/instances?limit=51', 'server/instances?status=gone']) {
      const res = await emu.call('GET', `${base}/${path}`);
      expect([res.status, res.body.error_code]).toEqual([400, 'BackupService.9900']);
    }
  });

  it('shows each project its own resources', async () => {
    const other = await emu.call('GET', `/v3/${PROJECT_B}/protectables/server/instances`, undefined, { token: emu.otherProject.token });
    expect(other.body).toEqual({ instances: [] });
  });
});

/** The vault summary over REST: total and used capacity (GB) of every vault of the project, unwrapped; per project. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_A, PROJECT_B, startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { addServer, addVault, addVolume, createCheckpoint, T0 } from '../helpers/builders';

describe('GET /vaults/summary', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ lifecycle: 'immediate', clock: { mode: 'frozen', start: T0 } });
  });
  afterAll(() => emu.close());

  it('answers zero for a project without vaults, then the sums of capacity and of completed backups', async () => {
    expect((await emu.call('GET', `/v3/${PROJECT_A}/vaults/summary`)).body).toEqual({ size: 0, used_size: 0 });
    const server = addServer(emu.emulator, PROJECT_A, { disks: [{ sizeGb: 40 }, { sizeGb: 60, bootable: false }] });
    const serverVault = addVault(emu.emulator, PROJECT_A, { resources: [server], size: 500 });
    const volume = addVolume(emu.emulator, PROJECT_A, { sizeGb: 20 });
    const diskVault = addVault(emu.emulator, PROJECT_A, { resources: [volume], size: 100 });
    await createCheckpoint(emu, PROJECT_A, serverVault.id);
    await createCheckpoint(emu, PROJECT_A, diskVault.id);
    const res = await emu.call('GET', `/v3/${PROJECT_A}/vaults/summary`);
    expect([res.status, res.body]).toEqual([200, { size: 600, used_size: 120 }]);
    // The vault list agrees (billing.used is in MB), and another project sees only its own vaults.
    const vaults = (await emu.call('GET', `/v3/${PROJECT_A}/vaults`)).body.vaults;
    expect(vaults.reduce((sum: number, v: any) => sum + v.billing.used, 0)).toBe(120 * 1024);
    const other = await emu.call('GET', `/v3/${PROJECT_B}/vaults/summary`, undefined, { token: emu.otherProject.token });
    expect(other.body).toEqual({ size: 0, used_size: 0 });
  });
});

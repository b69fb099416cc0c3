/**
 * Clients that go away mid-request: logged at debug level (never as an emulator error, never answered 500), and the
 * two ways a write lands although its client gave up: `latency` (before the handler, which still runs) and
 * `latencyAfterCommit` (after the handler, before the answer).
 */
import { connect } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_PROJECT } from '../../src/emulator/demo-identity';
import type { LoggedRequest } from '../../src/emulator/request-log';
import { vaultCreate } from '../helpers/cbr';
import { useTestEmulator } from '../helpers/emulator';
import { eventually } from '../helpers/eventually';

describe('client disconnects', () => {
  const emu = useTestEmulator({ logLevel: 'debug' });
  const vaults = `/v3/${DEMO_PROJECT.id}/vaults`;
  afterEach(() => vi.restoreAllMocks());

  const entryFor = (method: string) => () => emu.emulator.requestLog.entries().find((e: LoggedRequest) => e.method === method && e.url === vaults);
  /** Resolves once the emulator has begun handling a request the (only) fault rule matches. */
  const arrived = () => eventually(() => ((emu.emulator.faults.get().rules[0]?.hits ?? 0) > 0 ? true : undefined));

  it('logs a client that leaves before its body arrived at debug level, answers nothing and keeps serving', async () => {
    const errors = vi.spyOn(console, 'error');
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    emu.emulator.faults.set({ rules: [{ route: `POST ${vaults}`, latency: { minMs: 0 } }] });
    const socket = connect(emu.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST ${vaults} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: ${emu.project.token}\r\nContent-Type: application/json\r\n` +
        'Content-Length: 1000\r\n\r\n{"vault":',
    );
    await arrived();
    socket.destroy();

    expect(await eventually(entryFor('POST'))).toMatchObject({ status: 499, clientClosed: true });
    expect(errors).not.toHaveBeenCalled();
    expect(debug.mock.calls.map((call) => String(call[0]))).toContainEqual(expect.stringContaining('client closed the connection during POST'));
    expect(emu.emulator.state.project(DEMO_PROJECT.id).vaults.size).toBe(0);
    expect((await emu.call('GET', vaults)).status).toBe(200);
  });

  it('with latency before the handler, a write whose client gave up during the wait still lands', async () => {
    const errors = vi.spyOn(console, 'error');
    vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    emu.emulator.faults.set({ rules: [{ route: `POST ${vaults}`, latency: { minMs: 300 } }] });
    const controller = new AbortController();
    const sent = request(emu.url + vaults, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': emu.project.token },
      body: JSON.stringify({ vault: vaultCreate('disk', { name: 'late' }) }),
      signal: controller.signal,
    });
    await arrived();
    controller.abort(); // the client's deadline passes while the service is still working
    await expect(sent).rejects.toThrow();

    expect(await eventually(entryFor('POST'))).toMatchObject({ status: 200, clientClosed: true });
    const listed = (await emu.call('GET', vaults)).body.vaults;
    expect(listed.map((v: { name: string }) => v.name)).toEqual(['late']);
    expect(errors).not.toHaveBeenCalled();
  });

  it('with latencyAfterCommit, the write is committed before the answer that the client no longer waits for', async () => {
    const errors = vi.spyOn(console, 'error');
    vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    emu.emulator.faults.set({ rules: [{ route: `POST ${vaults}`, latencyAfterCommit: { minMs: 5_000 } }] });
    const controller = new AbortController();
    const sent = request(emu.url + vaults, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': emu.project.token },
      body: JSON.stringify({ vault: vaultCreate('disk', { name: 'committed' }) }),
      signal: controller.signal,
    });
    // The vault exists while the answer is still held back: the client times out on a committed write.
    const vault = await eventually(() => [...emu.emulator.state.project(DEMO_PROJECT.id).vaults.values()][0]);
    expect(vault.name).toBe('committed');
    expect(entryFor('POST')()).toBeUndefined(); // not answered yet
    controller.abort();
    await expect(sent).rejects.toThrow();
    expect(errors).not.toHaveBeenCalled();
  });

  it('rejects an invalid latencyAfterCommit naming the field', () => {
    expect(() => emu.emulator.faults.set({ rules: [{ latencyAfterCommit: { minMs: -1 } }] })).toThrow(/rules\.0\.latencyAfterCommit\.minMs/);
  });
});

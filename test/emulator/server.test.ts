import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';

describe('emulator server', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());

  it('answers an unknown path with the API gateway 404 body and a request id', async () => {
    const res = await emu.call('GET', '/v3/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error_code: 'APIGW.0101',
      error_msg: 'The API does not exist or has not been published in the environment',
      request_id: res.headers.get('x-request-id'),
    });
  });

  it('logs every request with its status', async () => {
    emu.emulator.requestLog.clear();
    await emu.call('GET', '/v3/nowhere?x=1');
    expect(emu.emulator.requestLog.entries()).toEqual([{ method: 'GET', url: '/v3/nowhere?x=1', route: undefined, status: 404 }]);
  });
});

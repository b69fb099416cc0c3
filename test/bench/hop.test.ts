import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startParsingHop, type WaveSender } from '../../bench/hop';
import { createCallRecorder, type RecordedCall } from '../../bench/recorder';
import { createRestReplay, createWaveSender } from '../../bench/replay';

/** An upstream with one JSON answer and one answer that is not JSON, to tell parsed from merely read. */
let upstream: Server;
let origin: string;
const pool = new Agent({ connections: 4 });

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    const body = req.url === '/json' ? '{"vaults":[]}' : 'not json';
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await pool.close();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

const recorded = (path: string, responseBody: string): RecordedCall => ({
  method: 'GET',
  path,
  body: undefined,
  status: 200,
  responseBody,
  startMs: 0,
  endMs: 1,
});

const replayOf = (path: string, parseEvery: boolean) =>
  createRestReplay({ origin, token: 't', dispatcher: pool, waves: [[recorded(path, '{}')]], parseEvery });

describe('REST replay with parseEvery', () => {
  it('parses every answer, so an answer that is not JSON fails the replay', async () => {
    await expect(replayOf('/json', true)()).resolves.toBeUndefined();
    await expect(replayOf('/text', true)()).rejects.toThrow(SyntaxError);
  });

  it('without it, an answer no later call needs is read and dropped', async () => {
    await expect(replayOf('/text', false)()).resolves.toBeUndefined();
  });
});

describe('parsing hop', () => {
  it('serves each request\'s waves, sends their parsed answers on, and carries ids to the next request of the run', async () => {
    const served: Array<{ wave: number; ids: Map<string, string> }> = [];
    const sendWave: WaveSender = async (wave, ids) => {
      served.push({ wave, ids });
      if (wave === 0) ids.set('recorded-id', 'replayed-id');
      return [{ wave }];
    };
    const hop = await startParsingHop(sendWave, [[0], [1, 2]], pool);
    try {
      await hop.call();
      expect(served.map((s) => s.wave)).toEqual([0, 1, 2]);
      // One run: the second request sees the id the first one's wave created; a new run starts empty.
      expect(served[1]!.ids).toBe(served[0]!.ids);
      expect(served[2]!.ids.get('recorded-id')).toBe('replayed-id');
      await hop.call();
      expect(served[3]!.ids).not.toBe(served[0]!.ids);
      expect(served[3]!.ids.size).toBe(1);
    } finally {
      await hop.close();
    }
  });

  it('answers the parsed answers serialised again, and fails the call when a wave failed', async () => {
    const sendWave = createWaveSender({ origin, token: 't', dispatcher: pool, waves: [[recorded('/json', '{}')]], parseEvery: true });
    const failingWave = createWaveSender({ origin, token: 't', dispatcher: pool, waves: [[recorded('/text', '{}')]], parseEvery: true });
    expect(await sendWave(0, new Map())).toEqual([{ vaults: [] }]);
    const recorder = createCallRecorder();
    const hop = await startParsingHop(sendWave, [[0]], pool.compose(recorder.interceptor));
    const failing = await startParsingHop(failingWave, [[0]], pool);
    try {
      recorder.start();
      await expect(hop.call()).resolves.toBeUndefined();
      expect(recorder.stop().map((call) => call.responseBody)).toEqual(['[{"vaults":[]}]']);
      await expect(failing.call()).rejects.toThrow(/parsing hop answered 502: SyntaxError/);
    } finally {
      await Promise.all([hop.close(), failing.close()]);
    }
  });
});

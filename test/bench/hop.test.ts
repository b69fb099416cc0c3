import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startParsingHop } from '../../bench/hop';
import type { RecordedCall } from '../../bench/recorder';
import { createRestReplay } from '../../bench/replay';

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
  it('answers once the replay behind it has run, and fails the call when the replay failed', async () => {
    let runs = 0;
    const hop = await startParsingHop(async () => void runs++, pool);
    const failing = await startParsingHop(replayOf('/text', true), pool);
    try {
      await hop.call();
      await hop.call();
      expect(runs).toBe(2);
      await expect(failing.call()).rejects.toThrow(/parsing hop answered 502: SyntaxError/);
    } finally {
      await Promise.all([hop.close(), failing.close()]);
    }
  });
});

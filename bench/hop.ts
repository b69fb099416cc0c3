/**
 * The least any HTTP gateway in front of CBR adds: one more HTTP hop whose server sends the operation's upstream
 * calls (the REST replay, wave by wave) and JSON.parses every answer, then answers `{}`. No GraphQL, no validation,
 * no result to build. Its Δp50 over the REST baseline is the share of the gateway's Δp50 that no server design could
 * avoid on this machine; the floor (floor.ts) is what yoga adds to any request; the rest is the gateway's own work
 * (validating answers, loaders, execution, serialising the result). One request per operation, so for an operation
 * the gateway serves as two requests (create+delete) it shows one hop fewer than the gateway pays.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';

const ANSWER = '{}';

export interface ParsingHop {
  /** Sends one request through the hop and reads the answer; rejects unless it answered 200. */
  call(): Promise<void>;
  close(): Promise<void>;
}

/** Serves `replay` (built with `parseEvery`) on 127.0.0.1 and calls it through `pool`, the load generator's pool. */
export async function startParsingHop(replay: () => Promise<void>, pool: Dispatcher): Promise<ParsingHop> {
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      replay().then(
        () => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': ANSWER.length });
          res.end(ANSWER);
        },
        (error: unknown) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    async call() {
      const res = await pool.request({ origin, path: '/', method: 'POST', headers: { 'content-type': 'application/json' }, body: ANSWER });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`parsing hop answered ${res.statusCode}: ${text.slice(0, 300)}`);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
